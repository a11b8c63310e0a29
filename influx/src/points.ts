import type { Status } from '@likebox/protocol';
import { FieldType, type IPoint, type ISchemaOptions } from 'influx';

/** What a `vote` point holds: a journalled vote, attributed to its room and talk. */
export interface StoredVote {
  /** Event slug. */
  event: string;
  /** Device slug. */
  device: string;
  /** Per-box sequence number. */
  seq: number;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time after clock sanity, epoch ms. */
  at: number;
  /** Attributed room slug. */
  room: string;
  /** Attributed talk id, or `none`. */
  talk: string;
}

/**
 * The InfluxDB points the ingest writes (schema documented in ingest/README.md and ARCHITECTURE.md).
 * Every point is written with precision `ns`, set explicitly on each request.
 */

/** Precision of every write. `ns` is the one spelling InfluxDB 1.x, 2.x and 3.x all document. */
export const WRITE_PRECISION = 'ns';

const SEQ_SLOTS = 1_000_000;

/**
 * The vote's timestamp in ns: press time in ms × 10⁶ + (seq mod 10⁶). Unique per (device, seq)
 * among a box's votes of the same millisecond, and deterministic, so re-writing a vote (after a
 * crash or during a backfill) overwrites the same point instead of adding one.
 */
export function voteTimestampNs(atMs: number, seq: number): string {
  return `${Math.trunc(atMs)}${String(seq % SEQ_SLOTS).padStart(6, '0')}`;
}

/** An epoch-ms instant as a ns timestamp string. */
export function msToNs(atMs: number): string {
  return `${Math.trunc(atMs)}000000`;
}

/** Measurement `vote`: tags event, room, talk, device; fields value and seq (integers). */
export function votePoint(vote: StoredVote): IPoint {
  return {
    measurement: 'vote',
    tags: { event: vote.event, room: vote.room, talk: vote.talk, device: vote.device },
    fields: { value: vote.value, seq: vote.seq },
    timestamp: voteTimestampNs(vote.at, vote.seq),
  };
}

/** Measurement `device`, one point per live `status` message. */
export function devicePoint(
  event: string,
  device: string,
  room: string,
  status: Status,
  received: number,
  offsetMs: number | undefined,
): IPoint {
  const fields: Record<string, number | boolean | string> = {
    online: status.online,
    outbox: status.outbox,
    uptime: status.uptime,
    version: status.version,
  };
  if (status.lastSeq !== undefined) fields.last_seq = status.lastSeq;
  if (status.synced !== undefined) fields.synced = status.synced;
  if (offsetMs !== undefined) fields.clock_offset_ms = Math.round(offsetMs);
  return {
    measurement: 'device',
    tags: { event, device, room },
    fields,
    timestamp: msToNs(received),
  };
}

/** The ingest's own health, written every ~10 s (measurement `ingest`). */
export interface IngestStats {
  /** Journal votes not yet in InfluxDB. */
  pending: number;
  /** Age of the oldest pending vote, ms (0 when none). */
  lagMs: number;
  /** Votes stored for the first time since the journal was created. */
  accepted: number;
  /** Duplicate votes (redeliveries, box retries) since start. */
  duplicates: number;
  /** Invalid messages since start. */
  invalid: number;
  /** Missing seqs across all boxes right now. */
  gaps: number;
}

/** Measurement `ingest`: tag event; integer fields pending, lag_ms, accepted, duplicates, invalid, gaps. */
export function ingestPoint(event: string, stats: IngestStats, at: number): IPoint {
  return {
    measurement: 'ingest',
    tags: { event },
    fields: {
      pending: stats.pending,
      lag_ms: stats.lagMs,
      accepted: stats.accepted,
      duplicates: stats.duplicates,
      invalid: stats.invalid,
      gaps: stats.gaps,
    },
    timestamp: msToNs(at),
  };
}

/** node-influx schemas: integer fields are written as integers (`1i`), never as floats. */
export function influxSchema(database: string): ISchemaOptions[] {
  const int = FieldType.INTEGER;
  return [
    {
      database,
      measurement: 'vote',
      tags: ['event', 'room', 'talk', 'device'],
      fields: { value: int, seq: int },
    },
    {
      database,
      measurement: 'device',
      tags: ['event', 'device', 'room'],
      fields: {
        online: FieldType.BOOLEAN,
        outbox: int,
        uptime: FieldType.FLOAT,
        version: FieldType.STRING,
        last_seq: int,
        synced: FieldType.BOOLEAN,
        clock_offset_ms: int,
      },
    },
    {
      database,
      measurement: 'ingest',
      tags: ['event'],
      fields: {
        pending: int,
        lag_ms: int,
        accepted: int,
        duplicates: int,
        invalid: int,
        gaps: int,
      },
    },
  ];
}
