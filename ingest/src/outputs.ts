import {
  encodePayload,
  type Lease,
  type Notice,
  type Now,
  type PublicVote,
  type Result,
  type Schedule,
  type Tally,
  TopicDelivery,
  type TopicKind,
  topics,
} from '@likebox/protocol';
import type { BrokerLink } from './brokerLink.js';

/**
 * What the ingest publishes, each with the QoS and retain flag of `TopicDelivery`: retained `ack`
 * per box, retained `tally`, `now`, `schedule` and `lease`, and the anonymous QoS 0 `votes` stream.
 */
export class Outputs {
  readonly #link: Pick<BrokerLink, 'publish'>;
  readonly #event: string;
  readonly #publicRate: number;
  readonly #buckets = new Map<string, { tokens: number; last: number }>();
  /** Public stream messages skipped by the per-room rate cap since start. */
  publicSkipped = 0;
  /**
   * `after-close` (`LIKEBOX_SHOW_COUNTS`): the public stream leaves out votes for a talk (each
   * would tell the running count); votes outside every window still go out.
   */
  hideTalkVotes = false;

  /**
   * @param publicRate most `rooms/{room}/votes` messages per second and room (0: no stream). A
   *   real room peaks far below it; a flood is sampled instead of doubling the broker's load.
   */
  constructor(link: Pick<BrokerLink, 'publish'>, event: string, publicRate = 200) {
    this.#link = link;
    this.#event = event;
    this.#publicRate = publicRate;
  }

  /**
   * Retained `devices/{device}/ack`: every vote of the box's `epoch` up to `seq` is durably
   * stored. `epoch` is always set (`""` for votes without one); `shared` only when true (another
   * box votes with this device id): a box reads its absence as false.
   */
  ack(device: string, epoch: string, seq: number, shared: boolean): void {
    const ack = shared ? { seq, epoch, shared } : { seq, epoch };
    this.#publish('ack', topics.ack(this.#event, device), encodePayload('ack', ack));
  }

  /** Retained `ingest/lease`: this ingest serves the event (an empty payload clears it). */
  lease(lease: Lease | undefined): void {
    const payload = lease === undefined ? '' : encodePayload('lease', lease);
    this.#publish('lease', topics.lease(this.#event), payload);
  }

  /** Retained `notices/{id}` for organisers; `undefined` clears it (empty retained payload). */
  notice(id: string, notice: Notice | undefined): void {
    const payload = notice === undefined ? '' : encodePayload('notice', notice);
    this.#publish('notice', topics.notice(this.#event, id), payload);
  }

  /** Retained `rooms/{room}/tally`. */
  tally(room: string, tally: Tally): void {
    this.#publish('tally', topics.tally(this.#event, room), encodePayload('tally', tally));
  }

  /**
   * `rooms/{room}/votes`, QoS 0: one message per stored vote, capped per room (see the
   * constructor; skipped ones are counted, the tally stays exact). Serialised without re-validation: the
   * hot path at tens of thousands of votes per second, built from an already validated vote.
   */
  publicVote(room: string, vote: PublicVote): void {
    if (this.hideTalkVotes && vote.talk !== null) return;
    if (!this.#takeToken(room)) {
      this.publicSkipped += 1;
      return;
    }
    const payload = `{"value":${vote.value},"at":${vote.at},"talk":${JSON.stringify(vote.talk)}}`;
    this.#publish('votes', topics.votes(this.#event, room), payload);
  }

  /** Retained `rooms/{room}/talks/{talk}/result`: a talk's sealed result. */
  result(room: string, result: Result): void {
    const topic = topics.result(this.#event, room, result.talk);
    this.#publish('result', topic, encodePayload('result', result));
  }

  /** Retained `rooms/{room}/now`. */
  now(room: string, now: Now): void {
    this.#publish('now', topics.now(this.#event, room), encodePayload('now', now));
  }

  /** Retained `schedule`. */
  schedule(schedule: Schedule): void {
    this.#publish('schedule', topics.schedule(this.#event), encodePayload('schedule', schedule));
  }

  /** Token bucket per room: `publicRate` per second, bursts up to one second's worth. */
  #takeToken(room: string): boolean {
    if (this.#publicRate <= 0) return false;
    const now = performance.now();
    const bucket = this.#buckets.get(room) ?? { tokens: this.#publicRate, last: now };
    bucket.tokens = Math.min(
      this.#publicRate,
      bucket.tokens + ((now - bucket.last) / 1000) * this.#publicRate,
    );
    bucket.last = now;
    this.#buckets.set(room, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  #publish(kind: TopicKind, topic: string, payload: string): void {
    const { qos, retain } = TopicDelivery[kind];
    this.#link.publish(topic, payload, qos, retain);
  }
}
