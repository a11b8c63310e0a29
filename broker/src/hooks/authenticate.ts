import type { AuthenticateError, Client } from 'aedes';
import type { Identity } from '../acl.js';
import { mayPublish } from '../acl.js';
import { renameClient } from '../aedes/internals.js';
import { type BrokerContext, namespacedClientId } from '../context.js';
import { MessageThrottle } from '../limits.js';
import { limitPacketSize, packetLimitFor } from '../packetGuard.js';

type Done = (error: AuthenticateError | null, success: boolean | null) => void;

/** CONNACK return codes of MQTT 3.1.1 (the Aedes enum cannot be used with verbatimModuleSyntax). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function refuse(done: Done, returnCode: number, message: string): void {
  done(Object.assign(new Error(message), { returnCode }), false);
}

async function identify(
  ctx: BrokerContext,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<{ identity: Identity; hash: string | null } | null> {
  if (username === undefined || username === '') {
    return ctx.allowAnonymous
      ? { identity: { user: null, role: 'public', event: null }, hash: null }
      : null;
  }
  const wanted = () => !client.closed;
  const user = await ctx.users.verify(username, password ?? Buffer.alloc(0), wanted);
  if (user === null) return null;
  const identity: Identity = { user: username, role: user.role, event: user.event ?? ctx.event };
  return { identity, hash: user.hash };
}

function admit(ctx: BrokerContext, client: Client, identity: Identity, hash: string | null): void {
  const { limits } = ctx;
  const limited = identity.role !== 'ingest' && limits.messagesPerSecond > 0;
  ctx.clients.set(client, {
    identity,
    throttle: limited ? new MessageThrottle(limits.messagesPerSecond, limits.messageBurst) : null,
    counted: false,
    hash,
  });
  // Aedes reads `client.id` after this hook (session, persistence, takeover): see context.ts.
  renameClient(client, namespacedClientId(identity.user, client.id));
  limitPacketSize(client, packetLimitFor(identity.role, limits));
}

/**
 * The Aedes `authenticate` hook: checks the client limit, the credentials against the users file
 * (anonymous = public role when enabled) and that the will topic is one the client may publish.
 */
export function createAuthenticate(ctx: BrokerContext) {
  const reject = (client: Client, done: Done, code: number, reason: string, username?: string) => {
    ctx.metrics.refusedConnections.inc({ reason });
    ctx.log.warn({ clientId: client.id, username, reason }, 'connection refused');
    refuse(done, code, reason);
  };
  return (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: Done,
  ) => {
    if ((ctx.aedes?.connectedClients ?? 0) >= ctx.limits.maxClients) {
      reject(client, done, SERVER_UNAVAILABLE, 'max_clients', username);
      return;
    }
    identify(ctx, client, username, password).then(
      (found) => {
        if (found === null) {
          const code = username ? BAD_USERNAME_OR_PASSWORD : NOT_AUTHORIZED;
          reject(client, done, code, 'credentials', username);
          return;
        }
        const { identity, hash } = found;
        const will = ctx.wills.get(client);
        if (will !== undefined && !mayPublish(identity, will)) {
          reject(client, done, NOT_AUTHORIZED, 'will', username);
          return;
        }
        admit(ctx, client, identity, hash);
        done(null, true);
      },
      (err: unknown) => {
        ctx.log.error({ err, username }, 'authentication failed');
        reject(client, done, SERVER_UNAVAILABLE, 'error', username);
      },
    );
  };
}
