/** One box's progress: the contiguous watermark and the stored seqs beyond it. */
interface DeviceProgress {
  /** Highest seq with every seq from 1 up to it stored. */
  acked: number;
  /** Stored seqs above `acked` (non-empty only while a gap is open). */
  above: Set<number>;
}

/**
 * Per-box ack watermarks: the highest seq such that every seq from 1 up to it is stored
 * (ARCHITECTURE.md `ack`). Seqs arriving out of order wait in a set until the gap closes.
 */
export class AckTracker {
  readonly #devices = new Map<string, DeviceProgress>();

  /** Restores a box's state after a restart: its stored watermark and the seqs stored above it. */
  restore(device: string, acked: number, storedAbove: Iterable<number>): void {
    const progress = { acked, above: new Set(storedAbove) };
    this.#devices.set(device, progress);
    advance(progress);
  }

  /** Records stored seqs; returns the new watermark when it moved, else undefined. */
  record(device: string, seq: number): number | undefined {
    let progress = this.#devices.get(device);
    if (progress === undefined) {
      progress = { acked: 0, above: new Set() };
      this.#devices.set(device, progress);
    }
    if (seq <= progress.acked) return undefined;
    const before = progress.acked;
    if (seq === progress.acked + 1) {
      progress.acked = seq;
      if (progress.above.size > 0) advance(progress);
    } else {
      progress.above.add(seq);
    }
    return progress.acked === before ? undefined : progress.acked;
  }

  /** The box's watermark (0 when nothing is stored). */
  acked(device: string): number {
    return this.#devices.get(device)?.acked ?? 0;
  }

  /** Boxes known. */
  devices(): IterableIterator<string> {
    return this.#devices.keys();
  }

  /**
   * Missing seqs: for each box, the seqs between its watermark and its highest stored seq that are
   * not stored. Returns the total and the number of boxes with at least one.
   */
  gaps(): { missing: number; devices: number } {
    let missing = 0;
    let devices = 0;
    for (const progress of this.#devices.values()) {
      if (progress.above.size === 0) continue;
      let highest = 0;
      for (const seq of progress.above) highest = Math.max(highest, seq);
      missing += highest - progress.acked - progress.above.size;
      devices += 1;
    }
    return { missing, devices };
  }
}

function advance(progress: DeviceProgress): void {
  while (progress.above.delete(progress.acked + 1)) progress.acked += 1;
}
