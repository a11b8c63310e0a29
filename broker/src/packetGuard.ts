import { MAX_PAYLOAD_BYTES } from '@likebox/protocol';
import type { Client } from 'aedes';
import { type PacketParser, packetParserOf } from './aedes/internals.js';
import type { BrokerLimits } from './limits.js';
import type { Role } from './roles.js';

/** Room for the fixed header, topic and packet id on top of the payload. */
const HEADER_ROOM = 1024;
const LARGEST_PAYLOAD = Math.max(...Object.values(MAX_PAYLOAD_BYTES));

/**
 * The largest MQTT packet (remaining length) accepted from a client of `role`: the ingest and
 * organisers may publish a schedule (the largest payload of the protocol); boxes and the public
 * only small ones. Before authentication the small limit applies (CONNECT and its will).
 */
export function packetLimitFor(role: Role | null, limits: Readonly<BrokerLimits>): number {
  if (role === 'ingest' || role === 'organiser') return LARGEST_PAYLOAD + HEADER_ROOM;
  return limits.maxPayloadBytes + HEADER_ROOM;
}

/** A client's parser with the limit of its guard (changed after authentication). */
interface GuardedParser extends PacketParser {
  likeboxMaxLength?: number;
}

function parserOf(client: Client): GuardedParser {
  return packetParserOf(client);
}

/**
 * Makes the client's packet parser fail as soon as a packet header announces more than `limit`
 * bytes, before the body is buffered: Aedes itself would buffer up to 256 MiB. It wraps
 * the parser's `_parseLength` (see `aedes/internals.ts`); `test/integration/badInput.test.ts`
 * checks the guard end to end.
 */
export function guardPacketSize(client: Client, limit: number): void {
  const parser = parserOf(client);
  parser.likeboxMaxLength = limit;
  const parseLength = parser._parseLength;
  parser._parseLength = function guardedParseLength(this: GuardedParser) {
    const complete = parseLength.call(this);
    const max = this.likeboxMaxLength ?? limit;
    if (complete && this.packet.length > max) {
      this._emitError(new Error(`packet of ${this.packet.length} bytes exceeds ${max}`));
      return false;
    }
    return complete;
  };
}

/** Changes the limit of a client guarded by {@link guardPacketSize} (after authentication). */
export function limitPacketSize(client: Client, limit: number): void {
  parserOf(client).likeboxMaxLength = limit;
}
