import type { Aedes, Client } from 'aedes';
import type { Logger } from 'pino';
import type { Identity } from './acl.js';
import type { AuthPolicy, AuthThrottle } from './authThrottle.js';
import type { BrokerLimits, MessageThrottle } from './limits.js';
import type { BrokerMetrics } from './metrics.js';
import type { UserDirectory } from './userDirectory.js';

/** What the broker knows about one authenticated client. */
export interface ClientState {
  /** Who the client is. */
  identity: Identity;
  /** The client's PUBLISH rate limit, or null when its role is not limited. */
  throttle: MessageThrottle | null;
  /** True once counted in the clients-by-role gauge. */
  counted: boolean;
  /** The password hash the client logged in with (null when anonymous): a change revokes it. */
  hash: string | null;
}

/** Everything the hooks and event handlers of one broker share. */
export interface BrokerContext {
  /** The Aedes instance (set once created). */
  aedes: Aedes | null;
  /** The users and their password checks. */
  users: UserDirectory;
  /** The broker's limits. */
  limits: Readonly<BrokerLimits>;
  /** The broker's metrics. */
  metrics: BrokerMetrics;
  /** Logger of the broker. */
  log: Logger;
  /** Event of users that are not pinned to one; null = any event. */
  event: string | null;
  /** Anonymous clients are accepted with the public role. */
  allowAnonymous: boolean;
  /** State of each authenticated client. */
  clients: WeakMap<Client, ClientState>;
  /** Will message topic of each connecting client, checked at CONNECT. */
  wills: WeakMap<Client, string>;
  /** Remote address of each client, taken from its socket when accepted. */
  addresses: WeakMap<Client, string>;
  /** Login backoff and lockout per account and address. */
  throttle: AuthThrottle;
  /** The policy `throttle` and the queue of password checks follow. */
  auth: Readonly<AuthPolicy>;
}

/** Separates the user name from the client's own id in the broker-side client id. */
export const CLIENT_ID_SEPARATOR = ':';

/**
 * The broker-side id of a client: `user:clientId` (`:clientId` when anonymous). User names are
 * slugs and never contain `:`, so sessions of different users can never collide: a client can
 * neither kick another user's client off nor resume its persistent session.
 */
export function namespacedClientId(user: string | null, clientId: string): string {
  return `${user ?? ''}${CLIENT_ID_SEPARATOR}${clientId}`;
}

/** The user name a broker-side client id belongs to ('' for anonymous, null when not ours). */
export function userOfClientId(clientId: string): string | null {
  const at = clientId.indexOf(CLIENT_ID_SEPARATOR);
  return at < 0 ? null : clientId.slice(0, at);
}
