import { z } from 'zod';
import { SLUG_PATTERN } from './slug.js';

/**
 * Zod schemas of every payload of the v1 topic tree (ARCHITECTURE.md). Payloads are JSON; every
 * object is strict (an unknown field is an error, so a typo never passes silently) and every string
 * and list is bounded (a payload can never grow a service's memory without limit).
 */

/** A topic-level name: `[a-z0-9][a-z0-9-]{0,62}`. */
export const Slug = z.string().regex(SLUG_PATTERN, 'must be a slug: [a-z0-9][a-z0-9-]{0,62}');

// 2000-01-01 and 2100-01-01: any instant outside is a broken clock or a unit mistake (s vs ms).
const EPOCH_MS_MIN = 946_684_800_000;
const EPOCH_MS_MAX = 4_102_444_800_000;

/** An instant as milliseconds since the Unix epoch, between 2000 and 2100. */
export const EpochMs = z.int().min(EPOCH_MS_MIN).max(EPOCH_MS_MAX);

/** A vote's sequence number in its box's epoch: starts at 1, never reused within the epoch. */
export const Seq = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

/**
 * A box's outbox epoch: random, made when the box's outbox file is created (a new SD card, a wiped
 * box, a second box configured with the same id: each gets its own). Together with (event, device,
 * seq) it is a vote's identity, so a box whose seqs restart at 1 is never taken for its former self.
 * Lower-case base36; boxes make 12 characters (62 bits).
 */
export const Epoch = z.string().regex(/^[0-9a-z]{1,32}$/, 'must be 1 to 32 characters of [0-9a-z]');

/** The epoch of votes, acks and statuses that carry none: boxes and ingests from before epochs. */
export const LEGACY_EPOCH = '';

/** The epoch a vote, ack or status is about: its `epoch`, or {@link LEGACY_EPOCH} without one. */
export function epochOf(payload: { epoch?: string | undefined }): string {
  return payload.epoch ?? LEGACY_EPOCH;
}

/** A press: +1 (like) or -1 (dislike). */
export const VoteValue = z.union([z.literal(1), z.literal(-1)]);

/** A talk id as found in a schedule. */
export const TalkId = z.string().min(1).max(128);

/** `devices/{device}/vote`, box → ingest, QoS 1, not retained. */
export const VotePayload = z.strictObject({
  /** Per-epoch sequence number: the vote's identity is (event, device, epoch, seq). */
  seq: Seq,
  /** The box's outbox epoch; absent (boxes from before epochs) means the legacy epoch "". */
  epoch: Epoch.optional(),
  /** +1 or -1. */
  value: VoteValue,
  /** Press time on the box's clock, epoch ms. */
  at: EpochMs,
  /** The room the box stood in when pressed. */
  room: Slug,
  /** Whether the box's clock was synchronised (NTP or RTC) when pressed. */
  synced: z.boolean(),
});

const count = z.int().min(0);

/**
 * Raw presses the box's gate did not count, since the box started (`status.refused`): during the
 * boot guard (`boot`); closed again before the button re-armed, i.e. held or chattering
 * (`notArmed`); within the minimum interval of the button's last vote (`tooSoon`); with the other
 * button (`chord`); opened before the press time (`short`); and presses held 10 s or more
 * (`held`: the press counted once, the hold nothing more).
 */
export const RefusedCounts = z.strictObject({
  boot: count,
  notArmed: count,
  tooSoon: count,
  chord: count,
  short: count,
  held: count,
});

/** `devices/{device}/status`, box → all, QoS 1, retained; also the box's last will. */
export const StatusPayload = z.strictObject({
  /** False in the last will and on a clean shutdown. */
  online: z.boolean(),
  /** Votes waiting in the box's outbox for an ack. */
  outbox: z.int().min(0),
  /** Box software version. */
  version: z.string().max(64),
  /** Seconds since the box started. */
  uptime: z.number().min(0),
  /** The box's clock when it sent this heartbeat: the ingest derives the box's clock offset from it. */
  at: EpochMs.optional(),
  /** Whether the box's clock is synchronised. */
  synced: z.boolean().optional(),
  /** The room the box is assigned to, if any. */
  room: Slug.optional(),
  /** The box's IP address, for the organisers. */
  ip: z.string().max(64).optional(),
  /** Highest seq the box has recorded in its epoch. */
  lastSeq: z.int().min(0).optional(),
  /** The box's outbox epoch (absent: the legacy epoch ""). */
  epoch: Epoch.optional(),
  /** Whether the box can record votes: `full` (no space left) and `error` refuse presses. */
  storage: z.enum(['ok', 'full', 'error']).optional(),
  /** Acks the box ignored since it started: for another epoch, or beyond its last seq. */
  badAcks: z.int().min(0).optional(),
  /** The ingest said another box uses this device id (`ack.shared`). */
  sharedId: z.boolean().optional(),
  /** Closures the box's gate did not count since it started, by reason ({@link RefusedCounts}). */
  refused: RefusedCounts.optional(),
  /** Buttons closed without a break for 10 s or more now: a held or stuck button. */
  stuck: z
    .array(z.enum(['like', 'dislike']))
    .max(2)
    .optional(),
  /**
   * The box's link to the broker: `online`; `offline` (network, broker down); `auth-failed` (the
   * broker refused its login: wrong password, unknown box). Published retained it is `online`, and
   * `offline` in the will; `auth-failed` shows on the box's own screen and `/status`.
   */
  link: z.enum(['online', 'offline', 'auth-failed']).optional(),
});

/** `devices/{device}/ack`, ingest → box, QoS 1, retained. */
export const AckPayload = z.strictObject({
  /** Highest seq such that every vote of the epoch up to it is durably stored (0: none yet). */
  seq: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  /**
   * The epoch this ack is for, `""` for votes without epoch. An ingest that knows epochs always
   * sets it; absent means an ingest from before epochs, which keys acks by device alone. A box acts
   * only on an ack for its own epoch whose seq it has reached; an ack without epoch, only while it
   * has never seen an ack with one (after that, such an ack is stale or forged).
   */
  epoch: z.union([Epoch, z.literal(LEGACY_EPOCH)]).optional(),
  /** Another box (another epoch) is publishing votes with this device id at the same time. */
  shared: z.boolean().optional(),
});

/** `devices/{device}/config`, organiser → box, QoS 1, retained. */
export const ConfigPayload = z.strictObject({
  /** The room the box stands in. */
  room: Slug,
  /** The room's display name, for the screen. */
  roomName: z.string().min(1).max(120).optional(),
  /** Language of the box's screens. */
  locale: z.enum(['fr', 'en']).optional(),
});

/**
 * `rooms/{room}/tally`, ingest → all, retained: counts of the room's current (or last) talk. With
 * `LIKEBOX_SHOW_COUNTS=after-close`, a talk whose window is open has `hidden: true` and its counts
 * withheld (likes and dislikes 0, not its counts): screens say "results after the talk".
 */
export const TallyPayload = z.strictObject({
  talk: TalkId.nullable(),
  likes: z.int().min(0),
  dislikes: z.int().min(0),
  /** Counts withheld until the talk's window closes (likes and dislikes are then 0). */
  hidden: z.literal(true).optional(),
  at: EpochMs,
});

/** `rooms/{room}/votes`, ingest → public, QoS 0: the anonymous stream of validated votes. */
export const PublicVotePayload = z.strictObject({
  value: VoteValue,
  at: EpochMs,
  talk: TalkId.nullable(),
});

/**
 * `rooms/{room}/delay`, organiser → ingest, QoS 1, not retained: "this room runs N minutes late".
 * The ingest keeps the delay, folds it into the schedule's `delays` and republishes `schedule` and `now`.
 */
export const DelayPayload = z.strictObject({
  /** Minutes late from now on (0 cancels; negative: the room runs early). */
  minutes: z.int().min(-240).max(240),
  /** When the organiser declared it, epoch ms (default: when the ingest receives it). */
  at: EpochMs.optional(),
});

/**
 * `ingest/lease`, ingest → ingests, QoS 1, retained: "this ingest serves the event until `until`".
 * One ingest per event: a starting ingest that finds a live lease of another `id` refuses to start
 * (two would each store every vote and overwrite the retained tallies with their own counts). The
 * holder renews it well before `until` and clears it (empty retained payload) when it stops.
 */
export const LeasePayload = z.strictObject({
  /** The holder's identity: kept in its journal, so a restart on the same journal is the same holder. */
  id: z.string().regex(/^[0-9a-z]{1,32}$/, 'must be 1 to 32 characters of [0-9a-z]'),
  /** Host name of the holder, for the person reading the refusal. */
  host: z.string().min(1).max(255),
  /** Process id of the holder. */
  pid: z.int().min(1),
  /** The lease lapses at this instant (holder's clock, epoch ms) unless renewed before. */
  until: EpochMs,
  /** When the holder took the lease, epoch ms. */
  since: EpochMs,
});

/** The kinds of notice the ingest raises for organisers (ARCHITECTURE.md, "Notices"). */
export const NOTICE_KINDS = [
  'misuse',
  'stuck-button',
  'box-silent',
  'outbox-growing',
  'talk-sinking',
  'room-late',
  'influx-unreachable',
  'journal-full',
] as const;

/**
 * `notices/{id}`, ingest → organisers, QoS 1, retained: something an organiser should look at. The
 * ingest raises it (this payload) and clears it with an empty retained payload, which removes it
 * from the broker: what is retained under `notices/+` is exactly what is active.
 */
export const NoticePayload = z.strictObject({
  /** The notice's slug, also the last topic level: the same condition always gets the same id. */
  id: Slug,
  /** What kind of condition it is. */
  kind: z.enum(NOTICE_KINDS),
  /** `info`: worth a look; `warning`: figures are affected; `critical`: votes are at risk. */
  severity: z.enum(['info', 'warning', 'critical']),
  /** What it is about: a device, a room, a talk, `influxdb`, `journal`. */
  subject: z.string().min(1).max(128),
  /** One sentence for the organiser. */
  message: z.string().min(1).max(1000),
  /** When the condition was first seen, epoch ms. */
  since: EpochMs,
  /** What the organiser may do about it, e.g. the exact command to run. */
  suggestion: z.string().min(1).max(1000).optional(),
});

export type Vote = z.infer<typeof VotePayload>;
export type Status = z.infer<typeof StatusPayload>;
export type RefusedCounts = z.infer<typeof RefusedCounts>;
export type Ack = z.infer<typeof AckPayload>;
export type DeviceConfig = z.infer<typeof ConfigPayload>;
export type Tally = z.infer<typeof TallyPayload>;
export type PublicVote = z.infer<typeof PublicVotePayload>;
export type Delay = z.infer<typeof DelayPayload>;
export type Lease = z.infer<typeof LeasePayload>;
export type Notice = z.infer<typeof NoticePayload>;
export type NoticeKind = Notice['kind'];
