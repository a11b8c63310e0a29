import { hostname } from 'node:os';
import { decodePayload, type Lease, topics } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { BrokerLink } from './brokerLink.js';
import { IngestError } from './errors.js';
import type { IngestMetrics } from './metrics.js';
import type { Outputs } from './outputs.js';

/** A lease lapses this long after its last renewal: how long a crashed ingest blocks another. */
export const LEASE_TTL_MS = 30_000;
/** The holder renews its lease this often (three renewals per lifetime). */
export const LEASE_RENEW_MS = 10_000;

/** Thrown at start when another ingest holds the event's lease. */
export class LeaseError extends IngestError {}

/** Collaborators of {@link IngestLease}. */
export interface IngestLeaseOptions {
  /** Event slug. */
  event: string;
  /** This ingest's identity: its journal's (`Journal.identity()`). */
  id: string;
  /** Reads the retained lease and subscribes to it. */
  link: Pick<BrokerLink, 'readRetained' | 'subscribe'>;
  /** Publishes the lease. */
  outputs: Pick<Outputs, 'lease'>;
  /** Metrics (`lease_conflict`). */
  metrics: IngestMetrics;
  /** Logger. */
  log: Logger;
  /** Clock, epoch ms. */
  now?: () => number;
}

function describe(lease: Lease): string {
  const since = new Date(lease.since).toISOString();
  return `ingest ${lease.id} on ${lease.host} (pid ${lease.pid}, since ${since})`;
}

/**
 * One ingest per event (ARCHITECTURE.md, `ingest/lease`). Two ingests on one event would each
 * store every vote in their own journal and overwrite each other's retained tallies with their own
 * partial counts. At start ({@link acquire}) the retained lease is read: a live one of another
 * ingest refuses the start with {@link LeaseError}, naming it, before anything is published. Then
 * the lease is published (retained) on every connection and renewed every
 * {@link LEASE_RENEW_MS}; a clean stop clears it, a crash lets it lapse after {@link LEASE_TTL_MS}.
 * The id is the journal's: an ingest restarted on its journal takes its own lease back at once.
 *
 * While running, a live lease of another id (two ingests that started at the same moment, or a
 * broker that lost its retained messages) is a conflict: logged as an error, `lease_conflict` 1,
 * the `ingest` check of `/healthz` failing. A broker that refuses the ingest the lease topic (one
 * from before it) turns the check off, with a warning, instead of refusing to run.
 */
export class IngestLease {
  readonly #o: IngestLeaseOptions;
  readonly #now: () => number;
  readonly #since: number;
  #enabled = false;
  #timer: NodeJS.Timeout | undefined;
  #conflict: Lease | undefined;

  constructor(options: IngestLeaseOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#since = this.#now();
  }

  /** Reads the retained lease; throws {@link LeaseError} when another ingest holds it. */
  async acquire(): Promise<void> {
    const { link, event, log, id } = this.#o;
    const read = await link.readRetained(topics.lease(event));
    if (!read.granted) {
      log.warn('the broker refuses the ingest its lease topic: one-ingest-per-event check off');
      return;
    }
    const held = this.#decode(read.payload);
    if (held !== undefined && held.id !== id && held.until > this.#now()) {
      throw new LeaseError(
        `another ingest serves event ${event}: ${describe(held)}, lease until ` +
          `${new Date(held.until).toISOString()}. Stop it first (a stopped ingest clears its ` +
          `lease; a crashed one's lapses ${LEASE_TTL_MS / 1000} s after its last renewal)`,
      );
    }
    this.#enabled = true;
  }

  /** Renews the lease every {@link LEASE_RENEW_MS} from now on. */
  start(): void {
    if (!this.#enabled || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.#publish(), LEASE_RENEW_MS);
  }

  /** On every (re)connection: watch the lease topic, and publish ours (a new broker lacks it). */
  onConnect(): void {
    if (!this.#enabled) return;
    this.#o.link.subscribe(topics.lease(this.#o.event));
    this.#publish();
  }

  /** A message on the lease topic. */
  observe(payload: Uint8Array): void {
    if (!this.#enabled) return;
    if (payload.byteLength === 0) {
      // Cleared by someone (another ingest stopping): ours must stand.
      if (this.#timer !== undefined) this.#publish();
      return;
    }
    const lease = this.#decode(payload);
    if (lease === undefined || lease.id === this.#o.id || lease.until <= this.#now()) return;
    if (this.#conflict?.id !== lease.id) {
      this.#o.log.error(
        { other: lease },
        'another ingest claims this event: stop one of them (each stores every vote)',
      );
    }
    this.#conflict = lease;
    this.#o.metrics.leaseConflict.set(1);
  }

  /** The live lease of another ingest seen while running, if any. */
  conflict(): Lease | undefined {
    if (this.#conflict !== undefined && this.#conflict.until <= this.#now()) {
      this.#conflict = undefined;
      this.#o.metrics.leaseConflict.set(0);
    }
    return this.#conflict;
  }

  /** Whether this ingest holds the event's lease (false when the broker has no lease topic). */
  get held(): boolean {
    return this.#enabled;
  }

  /** Stops renewing and clears the lease (unless another ingest's stands there now). */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#enabled && this.conflict() === undefined) this.#o.outputs.lease(undefined);
    this.#enabled = false;
  }

  #publish(): void {
    const now = this.#now();
    const { id } = this.#o;
    const lease = { id, host: hostname(), pid: process.pid, until: now + LEASE_TTL_MS };
    this.#o.outputs.lease({ ...lease, since: this.#since });
  }

  #decode(payload: Uint8Array | undefined): Lease | undefined {
    if (payload === undefined || payload.byteLength === 0) return undefined;
    const decoded = decodePayload('lease', payload);
    if (decoded.success) return decoded.data;
    this.#o.log.warn({ error: decoded.error }, 'invalid retained lease ignored');
    return undefined;
  }
}
