/*
 * The records of the journal (journal.ts), as its methods take and return them.
 */

/** A vote as the journal keeps it: identity, value, and its attribution fixed at arrival. */
export interface JournalVote {
  /** Event slug. */
  event: string;
  /** Device slug. */
  device: string;
  /** The box's outbox epoch (`""`: the legacy epoch of votes without one). */
  epoch: string;
  /** Sequence number in the box's epoch. */
  seq: number;
  /** +1 or -1. */
  value: 1 | -1;
  /** Press time after clock sanity (see clock.ts), epoch ms: the time written to InfluxDB. */
  at: number;
  /** Press time as the box sent it, epoch ms. */
  boxAt: number;
  /** Arrival time at the ingest, epoch ms. */
  received: number;
  /** Attributed room slug. */
  room: string;
  /** Attributed talk id, or `none`. */
  talk: string;
  /** Why it was set aside as likely misuse (read back from the journal); null: counted. */
  flag?: string | null;
}

/** A journal row not yet written to InfluxDB. */
export interface PendingVote extends JournalVote {
  /** The row id: the writer's high-water mark moves along it. */
  id: number;
}

/** A message that failed validation, kept for inspection. */
export interface DeadLetter {
  /** Arrival time, epoch ms. */
  received: number;
  /** The MQTT topic. */
  topic: string;
  /** Why it was refused. */
  reason: string;
  /** The raw payload. */
  payload: Uint8Array;
}

/** A room delay as kept in the journal. */
export interface StoredDelay {
  /** Room slug. */
  room: string;
  /** Minutes late (0: on time again). */
  minutes: number;
  /** When it was declared, epoch ms. */
  since: number;
}

/** An ack watermark to store: every vote of (device, epoch) up to `seq` is in the journal. */
export interface AckMark {
  /** Device slug. */
  device: string;
  /** Its epoch. */
  epoch: string;
  /** The watermark. */
  seq: number;
}

/** What the journal knows of one (device, epoch) of an event, to restore the ack tracking. */
export interface StoredStream {
  /** Device slug. */
  device: string;
  /** Its epoch. */
  epoch: string;
  /** The stored ack watermark, or undefined when none was stored yet. */
  acked: number | undefined;
  /** The lowest seq stored. */
  first: number;
  /** Arrival of its first stored vote, epoch ms. */
  firstHeard: number;
  /** Arrival of its latest stored vote, epoch ms. */
  lastHeard: number;
}

/** What one {@link Journal.commit} did. */
export interface CommitResult {
  /** Votes stored for the first time, in input order, with their row ids. */
  inserted: PendingVote[];
  /** Votes already in the journal (no-ops). */
  duplicates: JournalVote[];
}
