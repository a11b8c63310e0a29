import { type InfluxPoint, sharedIdPoint } from '@likebox/influx';
import type { Logger } from 'pino';
import type { AckTracker } from './ackTracker.js';
import type { IngestMetrics } from './metrics.js';

/** Collaborators of {@link SharedIds}. */
export interface SharedIdsOptions {
  /** Event slug. */
  event: string;
  /** Knows which epochs of a device voted when. */
  tracker: AckTracker;
  /** Metrics (`shared_devices`, `shared_detected_total`). */
  metrics: IngestMetrics;
  /** Logger. */
  log: Logger;
  /** Writes a point to InfluxDB (none without it). */
  write: (point: InfluxPoint) => void;
}

/**
 * Two boxes configured with one device id each keep their own epoch, so no vote of either is lost;
 * but their acks overwrite each other's retained `ack`, and the organisers have one box more than
 * they think. This raises it loudly: a warning in the log, `shared_detected_total`, the
 * `shared_devices` gauge, the `ingest` check of `/healthz` (degraded, listing the devices), a
 * `device` point with `shared=true` (and `false` once it stops), and `shared` on the device's acks.
 */
export class SharedIds {
  readonly #o: SharedIdsOptions;
  /** Devices flagged now, with the room of their latest vote (the `device` point's tag). */
  readonly #flagged = new Map<string, string>();

  constructor(options: SharedIdsOptions) {
    this.#o = options;
  }

  /** Whether `device`'s id is shared at `now`. */
  shared(device: string, now: number): boolean {
    return this.#o.tracker.shared(device, now);
  }

  /** Checks the devices that just voted (device → room of the vote) for a newly shared id. */
  check(voted: ReadonlyMap<string, string>, now: number): void {
    const { tracker, metrics, log, event } = this.#o;
    for (const [device, room] of voted) {
      if (this.#flagged.has(device)) {
        this.#flagged.set(device, room);
        continue;
      }
      if (!tracker.shared(device, now)) continue;
      this.#flagged.set(device, room);
      metrics.sharedDetected.inc();
      log.warn(
        { device, room },
        'two boxes vote with one device id: give each its own id (votes of both are kept)',
      );
      this.#o.write(sharedIdPoint(event, device, room, true, now));
    }
    metrics.sharedDevices.set(this.#flagged.size);
  }

  /** Clears the devices no longer shared (called every second or so). */
  refresh(now: number): void {
    for (const [device, room] of this.#flagged) {
      if (this.#o.tracker.shared(device, now)) continue;
      this.#flagged.delete(device);
      this.#o.log.info({ device }, 'device id no longer shared');
      this.#o.write(sharedIdPoint(this.#o.event, device, room, false, now));
    }
    this.#o.metrics.sharedDevices.set(this.#flagged.size);
  }

  /** The devices flagged now, sorted. */
  list(): string[] {
    return [...this.#flagged.keys()].sort();
  }
}
