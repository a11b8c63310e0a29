import { isSlug } from '@likebox/protocol';
import type { AuthenticateError, Client } from 'aedes';
import type { Identity } from '../acl.js';
import { mayPublish } from '../acl.js';
import { renameClient } from '../aedes/internals.js';
import { type BrokerContext, namespacedClientId } from '../context.js';
import { AuthBusyError } from '../errors.js';
import { MessageThrottle } from '../limits.js';
import { limitPacketSize, packetLimitFor } from '../packetGuard.js';

type Done = (error: AuthenticateError | null, success: boolean | null) => void;

/** CONNACK return codes of MQTT 3.1.1 (the Aedes enum cannot be used with verbatimModuleSyntax). */
const SERVER_UNAVAILABLE = 3;
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

/**
 * The throttle's account for user names that are not slugs: no such user can exist, so they are
 * refused without a password check, and all count as one account (a flood of made-up names
 * then costs one table entry per address, not one per name).
 */
const INVALID_NAME = '\0invalid';

/** What a CONNECT gets: admitted, refused (after `holdMs`), or nothing (the client left). */
type Outcome =
  | { admit: Identity; hash: string | null }
  | { refuse: number; reason: string; holdMs: number }
  | null;

function refusal(reason: string, holdMs: number, code = BAD_USERNAME_OR_PASSWORD): Outcome {
  return { refuse: code, reason, holdMs };
}

/**
 * Checks a user's credentials under the login throttle: a locked (account, address) is refused
 * without a password check; a check that waited while a lock began is skipped; a failure is
 * counted and held for the lock it started; a success resets and trusts the pair.
 */
async function checkUser(
  ctx: BrokerContext,
  client: Client,
  username: string,
  password: Buffer | undefined,
): Promise<Outcome> {
  const { throttle } = ctx;
  const address = ctx.addresses.get(client) ?? '';
  const account = isSlug(username) ? username : INVALID_NAME;
  const locked = throttle.lockedFor(account, address);
  if (locked > 0) return refusal('locked', locked);
  if (account === INVALID_NAME) return refusal('credentials', throttle.failed(account, address));
  let skipped = false;
  const wanted = () => {
    skipped = client.closed || throttle.lockedFor(account, address) > 0;
    return !skipped;
  };
  const pw = password ?? Buffer.alloc(0);
  const user = await ctx.users.verify(username, pw, { address, wanted });
  if (client.closed) return null;
  if (user === null) {
    if (skipped) return refusal('locked', throttle.lockedFor(account, address));
    const lock = throttle.failed(account, address);
    if (lock > 0) ctx.log.warn({ username, address, lockMs: lock }, 'login locked');
    return refusal('credentials', lock);
  }
  throttle.succeeded(account, address);
  const identity: Identity = { user: username, role: user.role, event: user.event ?? ctx.event };
  return { admit: identity, hash: user.hash };
}

async function login(
  ctx: BrokerContext,
  client: Client,
  username: string | undefined,
  password: Buffer | undefined,
): Promise<Outcome> {
  let outcome: Outcome;
  if (username === undefined || username === '') {
    outcome = ctx.allowAnonymous
      ? { admit: { user: null, role: 'public', event: null }, hash: null }
      : refusal('credentials', 0, NOT_AUTHORIZED);
  } else {
    outcome = await checkUser(ctx, client, username, password);
  }
  if (outcome === null || !('admit' in outcome)) return outcome;
  const will = ctx.wills.get(client);
  if (will !== undefined && !mayPublish(outcome.admit, will)) {
    return refusal('will', 0, NOT_AUTHORIZED);
  }
  return outcome;
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
 * under the login throttle (anonymous = public role when enabled) and that the will topic is one
 * the client may publish. A refused CONNECT gets its CONNACK after the lock it hit or started
 * (at most `maxHoldMs`); one that finds the queue of password checks full gets "server
 * unavailable" at once.
 */
export function createAuthenticate(ctx: BrokerContext) {
  const refuse = (client: Client, done: Done, code: number, reason: string, username?: string) => {
    ctx.metrics.refusedConnections.inc({ reason });
    ctx.log.warn({ clientId: client.id, username, reason }, 'connection refused');
    done(Object.assign(new Error(reason), { returnCode: code }), false);
  };
  const answer = (client: Client, done: Done, outcome: Outcome, username?: string) => {
    if (outcome === null) return;
    if ('admit' in outcome) {
      admit(ctx, client, outcome.admit, outcome.hash);
      done(null, true);
      return;
    }
    const { refuse: code, reason, holdMs } = outcome;
    const hold = Math.min(holdMs, ctx.auth.maxHoldMs);
    if (hold <= 0) refuse(client, done, code, reason, username);
    else setTimeout(() => refuse(client, done, code, reason, username), hold).unref();
  };
  return (
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: Done,
  ) => {
    if ((ctx.aedes?.connectedClients ?? 0) >= ctx.limits.maxClients) {
      refuse(client, done, SERVER_UNAVAILABLE, 'max_clients', username);
      return;
    }
    login(ctx, client, username, password).then(
      (outcome) => answer(client, done, outcome, username),
      (err: unknown) => {
        if (err instanceof AuthBusyError) {
          refuse(client, done, SERVER_UNAVAILABLE, 'busy', username);
          return;
        }
        ctx.log.error({ err, username }, 'authentication failed');
        refuse(client, done, SERVER_UNAVAILABLE, 'error', username);
      },
    );
  };
}
