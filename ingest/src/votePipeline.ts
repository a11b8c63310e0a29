import { epochOf, type ScheduleIndex, topics, type Vote } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { AckTracker, Stream } from './ackTracker.js';
import { attribute } from './attribution.js';
import type { BrokerLink } from './brokerLink.js';
import type { ClockSanity } from './clock.js';
import type { InvalidMessages } from './invalidMessages.js';
import type {
  AckMark,
  CommitResult,
  DeadLetter,
  Journal,
  JournalVote,
  PendingVote,
} from './journal.js';
import type { JournalStorage } from './journalStorage.js';
import type { IngestMetrics } from './metrics.js';
import type { Outputs } from './outputs.js';
import type { SharedIds } from './sharedIds.js';
import type { Tallies } from './tallies.js';

/** Most messages in one journal transaction. */
export const MAX_BATCH = 5000;
/**
 * Longest wait between two commits imposed by {@link COMMIT_DUTY}, ms. Kept short: every vote
 * waiting for a commit is an un-acked message in the broker's session, and Aedes' in-memory
 * persistence pays for each PUBACK in proportion to their number (`outgoingClearMessageId` searches
 * and splices the session's in-flight array: a fifth of the broker's CPU during a flood at 20 ms).
 */
export const MAX_COMMIT_GAP_MS = 5;
/**
 * Group commit: after a commit that took `d` ms (mostly its fsync), the next one waits until
 * `d / COMMIT_DUTY` ms after the previous one began, so committing never takes more than about a
 * third of the event loop and the rest goes to receiving votes; each commit gets bigger instead.
 */
export const COMMIT_DUTY = 1 / 3;

/**
 * A vote message as received and validated (at once, on arrival: the queue then holds the small
 * decoded vote, not the packet's topic and payload buffers), waiting for the next journal
 * transaction. An invalid one waits too, as a dead letter: its PUBACK goes out with that commit.
 */
export interface InboundVote {
  /** Device slug from the topic. */
  device: string;
  /** The payload as validated by the protocol schema, or undefined when it failed validation. */
  vote: Vote | undefined;
  /** The dead letter of an invalid message (with the low-cardinality reason for the metric). */
  dead: { letter: DeadLetter; reason: string } | undefined;
  /** Arrival time, epoch ms. */
  arrival: number;
  /** MQTT message id of a QoS 1 message whose PUBACK the link holds until the commit. */
  messageId: number | undefined;
  /** Connection the message came in on ({@link BrokerLink.generation}). */
  generation: number;
}

/** Collaborators of {@link VotePipeline}. */
export interface VotePipelineOptions {
  /** Event slug. */
  event: string;
  /** Where votes are stored first. */
  journal: Journal;
  /** Ack watermarks per (device, epoch). */
  tracker: AckTracker;
  /** Device ids two boxes use. */
  shared: SharedIds;
  /** Whether the journal can store (failed commits, backoff). */
  storage: JournalStorage;
  /** Re-timing of press times. */
  clock: ClockSanity;
  /** Releases the held PUBACKs. */
  link: Pick<BrokerLink, 'release'>;
  /** Publishes acks and the public stream. */
  outputs: Outputs;
  /** Counts per talk. */
  tallies: Tallies;
  /** Invalid-message accounting. */
  invalid: InvalidMessages;
  /** Metrics. */
  metrics: IngestMetrics;
  /** Logger (`module: pipeline`). */
  log: Logger;
  /** The current schedule index, if any. */
  index: () => ScheduleIndex | undefined;
  /** The room of a box's retained config, if known. */
  configRoom: (device: string) => string | undefined;
  /** Called after each commit with the votes it stored, with their row ids (the InfluxDB writer). */
  stored: (votes: PendingVote[]) => void;
}

/**
 * Validates, re-times and attributes incoming votes and stores them in the journal, one SQLite
 * transaction per event-loop turn (or per {@link MAX_BATCH} messages). Only after the commit: the
 * held PUBACKs go out, acks move, tallies and the public stream update, the writer wakes.
 */
export class VotePipeline {
  readonly #o: VotePipelineOptions;
  #queue: InboundVote[] = [];
  #scheduled = false;
  #nextCommitAt = 0;
  #failed: { items: InboundVote[]; votes: JournalVote[]; dead: DeadLetter[] } | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Ack watermarks moved by the last commit, persisted with the next one. */
  #acksToSave: AckMark[] = [];
  /** Duplicate votes since start. */
  duplicates = 0;

  constructor(options: VotePipelineOptions) {
    this.#o = options;
  }

  /** Queues a received vote; the commit happens on the next turn of the event loop. */
  push(vote: InboundVote): void {
    this.#queue.push(vote);
    if (this.#queue.length >= MAX_BATCH) this.flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      const wait = this.#nextCommitAt - performance.now();
      if (wait >= 1) setTimeout(() => this.flush(), wait);
      else setImmediate(() => this.flush());
    }
  }

  /**
   * Commits every queued vote now. When the commit fails (disk full, I/O error), nothing is
   * confirmed: the journal is reported failing ({@link JournalStorage}), the prepared batch is
   * retried with a backoff, and new votes wait behind it.
   */
  flush(): void {
    this.#scheduled = false;
    if (this.#retryTimer !== undefined) return;
    let batch = this.#failed;
    if (batch === undefined) {
      const items = this.#queue;
      if (items.length === 0 && this.#acksToSave.length === 0) return;
      this.#queue = [];
      batch = { items, ...this.#prepare(items) };
    }
    const started = performance.now();
    let result: CommitResult;
    try {
      result = this.#o.journal.commit(batch.votes, batch.dead, this.#acksToSave, this.#o.event);
    } catch (err) {
      this.#failed = batch;
      const wait = this.#o.storage.failed(err, batch.votes.length, Date.now());
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.flush();
      }, wait);
      return;
    }
    this.#failed = undefined;
    this.#o.storage.succeeded(Date.now());
    const took = performance.now() - started;
    this.#nextCommitAt = started + Math.min(took / COMMIT_DUTY, MAX_COMMIT_GAP_MS);
    this.#o.metrics.commitSeconds.observe(took / 1000);
    this.#o.metrics.batchSize.observe(batch.items.length);
    this.#acksToSave = [];
    this.#release(batch.items);
    this.#afterCommit(result);
    if (this.#queue.length > 0 && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Stops the retry timer of a failed commit. */
  stop(): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #prepare(items: InboundVote[]): { votes: JournalVote[]; dead: DeadLetter[] } {
    const { clock, metrics, invalid, event, tracker } = this.#o;
    const index = this.#o.index();
    const votes: JournalVote[] = [];
    const dead: DeadLetter[] = [];
    for (const item of items) {
      const vote = item.vote;
      if (vote === undefined) {
        if (item.dead !== undefined) {
          dead.push(invalid.note('vote', item.device, item.dead.letter, item.dead.reason));
        }
        continue;
      }
      const epoch = epochOf(vote);
      const implausible = tracker.implausible(item.device, epoch, vote.seq);
      if (implausible !== undefined) {
        const letter = implausibleLetter(event, item, implausible);
        dead.push(invalid.note('vote', item.device, letter, 'implausible-seq'));
        continue;
      }
      const timed = clock.retime(item.device, vote, item.arrival);
      if (timed.reason !== 'trusted') metrics.retimed.inc({ reason: timed.reason });
      const where = attribute(vote.room, timed.at, this.#o.configRoom(item.device), index);
      if (where.check !== 'ok') metrics.roomChecks.inc({ check: where.check });
      // `id` is set by the journal on insert; declared here so that V8 keeps it in the object.
      const stored: PendingVote = {
        event,
        device: item.device,
        epoch,
        seq: vote.seq,
        value: vote.value,
        at: timed.at,
        boxAt: vote.at,
        received: item.arrival,
        room: where.room,
        talk: where.talk,
        id: 0,
      };
      votes.push(stored);
    }
    return { votes, dead };
  }

  #release(items: InboundVote[]): void {
    const byGeneration = new Map<number, number[]>();
    for (const item of items) {
      if (item.messageId === undefined) continue;
      const ids = byGeneration.get(item.generation) ?? [];
      ids.push(item.messageId);
      byGeneration.set(item.generation, ids);
    }
    for (const [generation, ids] of byGeneration) this.#o.link.release(ids, generation);
  }

  #afterCommit(result: CommitResult): void {
    const { tracker, outputs, tallies, metrics, shared } = this.#o;
    // The (device, epoch)s whose ack to send: moved by this commit (saved with the next one too),
    // or sent again for a duplicate. Keyed by the tracker's own objects: nothing built per vote.
    const moved = new Set<Readonly<Stream>>();
    const again = new Set<Readonly<Stream>>();
    const voted = new Map<string, string>();
    for (const vote of result.inserted) {
      const stream = tracker.record(vote.device, vote.epoch, vote.seq, vote.received);
      if (stream !== undefined) moved.add(stream);
      voted.set(vote.device, vote.room);
      tallies.add(vote.room, vote.talk, vote.value);
      outputs.publicVote(vote.room, {
        value: vote.value,
        at: vote.at,
        talk: vote.talk === 'none' ? null : vote.talk,
      });
    }
    // A duplicate means the box has not seen its ack: send the current one again.
    for (const vote of result.duplicates) {
      tracker.heard(vote.device, vote.epoch, vote.received);
      voted.set(vote.device, vote.room);
      const stream = tracker.stream(vote.device, vote.epoch);
      if (stream !== undefined && !moved.has(stream)) again.add(stream);
    }
    const now = Date.now();
    shared.check(voted, now);
    for (const stream of [...moved, ...again]) {
      outputs.ack(stream.device, stream.epoch, stream.acked, shared.shared(stream.device, now));
    }
    for (const { device, epoch, acked } of moved)
      this.#acksToSave.push({ device, epoch, seq: acked });
    metrics.accepted.inc(result.inserted.length);
    metrics.duplicates.inc(result.duplicates.length);
    this.duplicates += result.duplicates.length;
    if (result.inserted.length > 0) this.#o.stored(result.inserted);
  }

  /** Votes waiting for the journal: queued, and in a failed commit waiting for its retry. */
  get queued(): number {
    return this.#queue.length + (this.#failed?.items.length ?? 0);
  }
}

/**
 * The dead letter of a valid vote whose seq cannot be real, with the reason; its payload is the
 * validated vote serialised again (the packet's bytes are not kept past validation).
 */
function implausibleLetter(event: string, item: InboundVote, reason: string): DeadLetter {
  const payload = new TextEncoder().encode(JSON.stringify(item.vote));
  const topic = topics.vote(event, item.device);
  return { received: item.arrival, topic, reason: `implausible seq: ${reason}`, payload };
}
