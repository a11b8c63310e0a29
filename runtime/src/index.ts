export {
  type Command,
  type CommandContext,
  type CommandDefinition,
  defineCommand,
  flagOf,
  type LeafCommand,
  type MainOptions,
  NoFlags,
  type ObjectSchema,
} from './command.js';
export {
  type CommandIo,
  EXIT_GRACE_MS,
  exitAfterGrace,
  LOG_BUFFER_BYTES,
  logDestination,
  processIo,
} from './commandIo.js';
export { type DotEnv, readDotEnv } from './dotEnv.js';
export {
  Bool,
  checkScheduleSource,
  LOG_LEVELS,
  MqttUrl,
  OptionalPort,
  OptionalText,
  Port,
  RehearsalEnv,
  SharedEnv,
} from './env.js';
export { ConfigError, LikeboxError } from './errors.js';
export { type FieldInfo, fieldInfo } from './fieldInfo.js';
export { defineGroup, type GroupDefinition } from './group.js';
export { check, type Health, type HealthCheck, type HealthStatus, healthOf } from './health.js';
export {
  type HttpServerOptions,
  type Routes,
  type RunningHttpServer,
  serveHealth,
  startHttpServer,
} from './healthServer.js';
export { limitHeapGrowth } from './heapGrowth.js';
export { bindsEverywhere, type Interfaces, lanAddresses, lanUrls } from './lanUrls.js';
export { LOG_FORMATS, type LogFormat, logFormatOf, prettyDestination } from './logFormat.js';
export { PartStack } from './parts.js';
export { configError, parseVariables } from './problems.js';
export { untilSignal } from './signals.js';
export { closest, didYouMean } from './suggest.js';
