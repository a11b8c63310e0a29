export { type Identity, may, mayPublish, maySubscribe, type Right } from './acl.js';
export { type AuthPolicy, DEFAULT_AUTH_POLICY } from './authThrottle.js';
export {
  type BrokerHealth,
  type RetainedMessage,
  type RunningBroker,
  type StartBrokerOptions,
  startBroker,
} from './broker.js';
export { brokerCheck } from './brokerCommand.js';
export {
  BrokerVariables,
  LimitsEnvSchema,
  limitsOf,
  UsersFileEnv,
  usersFileOf,
} from './config.js';
export {
  AuthBusyError,
  BrokerError,
  ConfigError,
  UnsafeStartError,
  UsersFileError,
  WeakPasswordError,
} from './errors.js';
export { type BrokerLimits, DEFAULT_LIMITS } from './limits.js';
export type { TlsOptions } from './listeners.js';
export { hashPassword, isDefaultPassword, verifyPassword } from './password.js';
export {
  assertStrongPassword,
  MIN_PASSWORD_LENGTH,
  MIN_PASSWORD_SCORE,
  passwordWeaknesses,
} from './passwordStrength.js';
export { isRole, ROLES, type Role } from './roles.js';
export {
  type AddUserOptions,
  addUser,
  listUsers,
  removeUser,
  setPassword,
  type UserSummary,
} from './users.js';
export { readUsersFile, type UserEntry, UsersFile } from './usersFile.js';
