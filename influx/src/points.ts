import type { Status } from '@likebox/protocol';
import { BROKER, DEVICE, INGEST, type InfluxPoint, point, VOTE } from './measurements.js';

/** What a `vote` point holds: a journalled vote, attributed to its room and talk. */
export interface StoredVote {
  /** Event slug. */
  event: string;
  /** Device slug. */
  device: string;
  /** The box's outbox epoch (`""` or absent: the legacy epoch, no tag). */
  epoch?: string;
  /** Sequence number in the box's epoch. */
  seq: number;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time after clock sanity, epoch ms. */
  at: number;
  /** Attributed room slug. */
  room: string;
  /** Attributed talk id, or `none`. */
  talk: string;
  /** Why the ingest set it aside as likely misuse; null or absent: a counted vote. */
  flag?: string | null;
}

const SEQ_SLOTS = 1_000_000;

/**
 * The vote's timestamp in ns: press time in ms × 10⁶ + (seq mod 10⁶). Unique per (device, seq)
 * among a box's votes of the same millisecond, and deterministic, so re-writing a vote (after a
 * crash or during a backfill) overwrites the same point instead of adding one. Two epochs of one
 * device id are told apart by the `epoch` tag, not by the timestamp.
 */
export function voteTimestampNs(atMs: number, seq: number): string {
  return `${Math.trunc(atMs)}${String(seq % SEQ_SLOTS).padStart(6, '0')}`;
}

/** An epoch-ms instant as a ns timestamp string. */
export function msToNs(atMs: number): string {
  return `${Math.trunc(atMs)}000000`;
}

/**
 * Measurement `vote`: tags event, room, talk, device, epoch; fields value and seq (integers). A
 * flagged vote has `value` 0, its press in `flagged` (±1) and the reason in `flag`: rewriting a vote
 * once flagged overwrites the fields of the same point (same series and time), so the public sums
 * and counts (`value`, `value != 0`) drop it while `count(seq)` still counts every press.
 */
export function votePoint(vote: StoredVote): InfluxPoint {
  const fields =
    typeof vote.flag === 'string'
      ? { value: 0, seq: vote.seq, flagged: vote.value, flag: vote.flag }
      : { value: vote.value, seq: vote.seq };
  return point(
    VOTE,
    {
      event: vote.event,
      room: vote.room,
      talk: vote.talk,
      device: vote.device,
      epoch: vote.epoch ?? '',
    },
    fields,
    voteTimestampNs(vote.at, vote.seq),
  );
}

/** Measurement `device`, one point per live `status` message, at its arrival. */
export function devicePoint(
  event: string,
  device: string,
  room: string,
  status: Status,
  received: number,
  offsetMs: number | undefined,
): InfluxPoint {
  return point(
    DEVICE,
    { event, device, room },
    {
      online: status.online,
      outbox: status.outbox,
      uptime: status.uptime,
      version: status.version,
      ...(status.lastSeq === undefined ? {} : { last_seq: status.lastSeq }),
      ...(status.synced === undefined ? {} : { synced: status.synced }),
      ...(offsetMs === undefined ? {} : { clock_offset_ms: Math.round(offsetMs) }),
      ...(status.sharedId === undefined ? {} : { shared: status.sharedId }),
    },
    msToNs(received),
  );
}

/**
 * Measurement `device`, field `shared` alone: the ingest saw two epochs (two boxes, or a box and
 * its former life) vote under this device id within a minute (`true`), or no longer (`false`).
 */
export function sharedIdPoint(
  event: string,
  device: string,
  room: string,
  shared: boolean,
  at: number,
): InfluxPoint {
  return point(DEVICE, { event, device, room }, { shared }, msToNs(at));
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
export function ingestPoint(event: string, stats: IngestStats, at: number): InfluxPoint {
  return point(
    INGEST,
    { event },
    {
      pending: stats.pending,
      lag_ms: stats.lagMs,
      accepted: stats.accepted,
      duplicates: stats.duplicates,
      invalid: stats.invalid,
      gaps: stats.gaps,
    },
    msToNs(at),
  );
}

/** The broker's figures, written every ~10 s by the process hosting it (measurement `broker`). */
export interface BrokerStats {
  /** Connected clients, all roles. */
  clients: number;
  /** Connected clients per role. */
  byRole: { device: number; ingest: number; organiser: number; public: number };
  /** Messages received since start (cumulative). */
  messagesIn: number;
  /** Messages sent since start (cumulative). */
  messagesOut: number;
}

/** Measurement `broker`: tag event; integer fields clients, clients_<role>, messages_in, messages_out. */
export function brokerPoint(event: string, stats: BrokerStats, at: number): InfluxPoint {
  return point(
    BROKER,
    { event },
    {
      clients: stats.clients,
      clients_device: stats.byRole.device,
      clients_ingest: stats.byRole.ingest,
      clients_organiser: stats.byRole.organiser,
      clients_public: stats.byRole.public,
      messages_in: stats.messagesIn,
      messages_out: stats.messagesOut,
    },
    msToNs(at),
  );
}
