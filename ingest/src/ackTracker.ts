/**
 * Largest step a vote's seq may make above its (device, epoch)'s ack watermark (0 for an epoch the
 * journal has no record of). A box records a few thousand votes in a whole event; a seq further
 * away is a broken or hostile box: kept aside as a dead letter, it neither opens a gap nobody can
 * close nor holds the ack back.
 */
export const MAX_SEQ_JUMP = 1_000_000;

/**
 * Two epochs of one device id whose votes interleave, both heard within this long: the id is
 * shared (two boxes configured alike), `ack.shared`.
 */
export const SHARED_WINDOW_MS = 60_000;

/** One (device, epoch)'s progress: the contiguous watermark and the stored seqs beyond it. */
export interface Stream {
  /** Device slug. */
  device: string;
  /** Its epoch. */
  epoch: string;
  /** Highest seq with every seq of the epoch up to it stored. */
  acked: number;
  /** Stored seqs above `acked` (non-empty only while a gap is open). */
  above: Set<number>;
  /** Arrival of its first vote, epoch ms. */
  firstHeard: number;
  /** Arrival of its latest vote (new or a copy), epoch ms. */
  lastHeard: number;
}

/** A (device, epoch) as the journal has it, to restore after a restart. */
export interface RestoredStream {
  /** Device slug. */
  device: string;
  /** Its epoch. */
  epoch: string;
  /** The watermark to start from. */
  acked: number;
  /** The seqs stored above it. */
  storedAbove: Iterable<number>;
  /** Arrival of its first stored vote, epoch ms. */
  firstHeard: number;
  /** Arrival of its latest stored vote, epoch ms. */
  lastHeard: number;
}

/** An ack to publish: every vote of (device, epoch) up to `seq` is stored. */
export interface AckState {
  /** Device slug. */
  device: string;
  /** Its epoch. */
  epoch: string;
  /** The watermark. */
  seq: number;
}

/**
 * Ack watermarks per (device, epoch) (ARCHITECTURE.md `ack`): the highest seq such that every seq
 * of that epoch up to it is stored. Seqs arriving out of order wait in a set until the gap closes.
 *
 * A (device, epoch) the journal has no record of starts just below the first seq received from it:
 * a box sends its outbox in seq order over one QoS 1 session (and again from its lowest unacked
 * vote after each reconnect), so the first seq heard of an epoch is the lowest one the box still
 * holds: 1 for a new epoch; after a journal was wiped, the first vote the box has not seen acked.
 * Without this rule a wiped journal would never ack a box's later votes, and every box would send
 * its whole outbox again every 30 s for the rest of the event.
 */
export class AckTracker {
  /** Streams by device, then epoch: two lookups, no key string built per vote. */
  readonly #byDevice = new Map<string, Map<string, Stream>>();

  #add(stream: Stream): Stream {
    const epochs = this.#byDevice.get(stream.device) ?? new Map<string, Stream>();
    epochs.set(stream.epoch, stream);
    this.#byDevice.set(stream.device, epochs);
    return stream;
  }

  /** The progress of (device, epoch), if known: the object {@link record} updates. */
  stream(device: string, epoch: string): Readonly<Stream> | undefined {
    return this.#byDevice.get(device)?.get(epoch);
  }

  /** Restores a (device, epoch) after a restart: its watermark and the seqs stored above it. */
  restore(restored: RestoredStream): void {
    const { device, epoch, acked, firstHeard, lastHeard } = restored;
    const stream = { device, epoch, acked, above: new Set(restored.storedAbove) };
    advance(this.#add({ ...stream, firstHeard, lastHeard }));
  }

  /**
   * Why `seq` cannot be a real vote of (device, epoch), or undefined when it can: the largest
   * safe integer (no seq could follow it), or more than {@link MAX_SEQ_JUMP} above its watermark.
   */
  implausible(device: string, epoch: string, seq: number): string | undefined {
    if (seq >= Number.MAX_SAFE_INTEGER) return `seq ${seq} leaves no seq after it`;
    const acked = this.stream(device, epoch)?.acked ?? 0;
    if (seq - acked <= MAX_SEQ_JUMP) return undefined;
    return `seq ${seq} is more than ${MAX_SEQ_JUMP} above the acknowledged seq ${acked}`;
  }

  /**
   * Records a stored seq, heard at `at`; returns its (device, epoch) when the watermark moved, else
   * undefined. A new (device, epoch) starts just below `seq` (see the class comment).
   */
  record(device: string, epoch: string, seq: number, at: number): Readonly<Stream> | undefined {
    let stream = this.#byDevice.get(device)?.get(epoch);
    if (stream === undefined) {
      const fresh = { device, epoch, acked: seq - 1, above: new Set<number>() };
      stream = this.#add({ ...fresh, firstHeard: at, lastHeard: at });
    }
    stream.lastHeard = Math.max(stream.lastHeard, at);
    if (seq <= stream.acked) return undefined;
    const before = stream.acked;
    if (seq === stream.acked + 1) {
      stream.acked = seq;
      if (stream.above.size > 0) advance(stream);
    } else {
      stream.above.add(seq);
    }
    return stream.acked === before ? undefined : stream;
  }

  /** Notes a copy of a stored vote of (device, epoch) heard at `at` (the box is alive). */
  heard(device: string, epoch: string, at: number): void {
    const stream = this.#byDevice.get(device)?.get(epoch);
    if (stream !== undefined) stream.lastHeard = Math.max(stream.lastHeard, at);
  }

  /** The watermark of (device, epoch) (0 when nothing is stored). */
  acked(device: string, epoch: string): number {
    return this.stream(device, epoch)?.acked ?? 0;
  }

  /** For each device, the ack of its most recently heard epoch: what its retained `ack` says. */
  latest(): AckState[] {
    const acks: AckState[] = [];
    for (const epochs of this.#byDevice.values()) {
      let last: Stream | undefined;
      for (const stream of epochs.values()) {
        if (last === undefined || stream.lastHeard > last.lastHeard) last = stream;
      }
      if (last !== undefined)
        acks.push({ device: last.device, epoch: last.epoch, seq: last.acked });
    }
    return acks;
  }

  /**
   * Whether two epochs of `device` share its id at `now`: both heard within
   * {@link SHARED_WINDOW_MS}, and their votes interleave (each was heard after the other's first
   * vote). A box whose SD card was replaced is not flagged: its old epoch fell silent before the
   * new one began.
   */
  shared(device: string, now: number): boolean {
    const recent = [...(this.#byDevice.get(device)?.values() ?? [])].filter(
      (stream) => now - stream.lastHeard < SHARED_WINDOW_MS,
    );
    return recent.some((a) =>
      recent.some((b) => a !== b && a.lastHeard >= b.firstHeard && b.lastHeard >= a.firstHeard),
    );
  }

  /** The devices whose id is shared at `now` ({@link shared}), sorted. */
  sharedDevices(now: number): string[] {
    return [...this.#byDevice.keys()].filter((device) => this.shared(device, now)).sort();
  }

  /**
   * Missing seqs: for each (device, epoch), the seqs between its watermark and its highest stored
   * seq that are not stored. Returns the total and the number of devices with at least one.
   */
  gaps(): { missing: number; devices: number } {
    let missing = 0;
    const devices = new Set<string>();
    for (const stream of [...this.#byDevice.values()].flatMap((epochs) => [...epochs.values()])) {
      if (stream.above.size === 0) continue;
      let highest = 0;
      for (const seq of stream.above) highest = Math.max(highest, seq);
      missing += highest - stream.acked - stream.above.size;
      devices.add(stream.device);
    }
    return { missing, devices: devices.size };
  }
}

function advance(stream: Stream): void {
  while (stream.above.delete(stream.acked + 1)) stream.acked += 1;
}
