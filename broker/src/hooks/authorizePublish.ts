import { MAX_PAYLOAD_BYTES, type ParsedTopic, topicParser } from '@likebox/protocol';
import type { Client, PublishPacket } from 'aedes';
import { type Identity, mayParsed } from '../acl.js';
import { type BrokerContext, userOfClientId } from '../context.js';

type Callback = (error?: Error | null) => void;

/** Identity of a will published by Aedes for a client of a dead cluster node (client = null). */
function identityOfWill(ctx: BrokerContext, packet: PublishPacket): Identity | null {
  const clientId = (packet as { clientId?: string }).clientId;
  const user = clientId === undefined ? null : userOfClientId(clientId);
  if (user === null) return null;
  if (user === '') return { user: null, role: 'public', event: null };
  const entry = ctx.users.get(user);
  return entry === undefined ? null : { user, role: entry.role, event: entry.event ?? ctx.event };
}

/** True when the client may publish this packet: topic rights, then the payload limit of its kind. */
function allowed(
  identity: Identity,
  packet: PublishPacket,
  parse: (topic: string) => ParsedTopic | null,
): boolean {
  const parsed = parse(packet.topic);
  if (parsed === null || !mayParsed(identity, 'publish', parsed)) return false;
  const size =
    typeof packet.payload === 'string' ? Buffer.byteLength(packet.payload) : packet.payload.length;
  return size <= MAX_PAYLOAD_BYTES[parsed.kind];
}

/**
 * The Aedes `authorizePublish` hook: only the topics of the role (ARCHITECTURE.md), never `$SYS`,
 * payloads within the protocol's limit per kind of topic. A refusal makes Aedes close the client.
 * Within the rights, the per-client rate limit delays the packet (see `MessageThrottle`).
 */
export function createAuthorizePublish(ctx: BrokerContext) {
  const parse = topicParser();
  return (client: Client | null, packet: PublishPacket, callback: Callback) => {
    const state = client === null ? undefined : ctx.clients.get(client);
    const identity = state?.identity ?? (client === null ? identityOfWill(ctx, packet) : null);
    const role = identity?.role ?? 'unknown';
    if (identity === null || !allowed(identity, packet, parse)) {
      ctx.metrics.refusedAuthorizations.inc({ action: 'publish', role });
      ctx.log.warn({ clientId: client?.id, role, topic: packet.topic }, 'publish refused');
      callback(new Error('publish not authorized'));
      return;
    }
    ctx.metrics.countIn(role);
    const wait = state?.throttle?.delay() ?? 0;
    if (wait <= 0) {
      callback(null);
      return;
    }
    ctx.metrics.throttled.inc();
    setTimeout(callback, wait, null);
  };
}
