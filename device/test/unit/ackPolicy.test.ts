import { describe, expect, it } from 'vitest';
import { type AckContext, badAckReason } from '../../src/ackPolicy.js';

const box: AckContext = { epoch: 'k3v9x0a1b2c4', lastSeq: 30, epochAcks: true };

describe('badAckReason', () => {
  it('accepts an ack for its own epoch up to its last seq', () => {
    // Act
    const reasons = [0, 12, 30].map((seq) => badAckReason({ seq, epoch: box.epoch }, box));
    // Assess
    expect(reasons).toEqual([null, null, null]);
  });

  it('ignores an ack beyond its last seq, whatever its epoch', () => {
    // Act
    const reasons = [
      badAckReason({ seq: 31, epoch: box.epoch }, box),
      badAckReason({ seq: Number.MAX_SAFE_INTEGER, epoch: box.epoch }, box),
      badAckReason({ seq: Number.MAX_SAFE_INTEGER }, { ...box, epochAcks: false }),
    ];
    // Assess
    expect(reasons).toEqual(['beyond-last-seq', 'beyond-last-seq', 'beyond-last-seq']);
  });

  it('ignores an ack for another epoch, even a plausible one', () => {
    // Act
    const reasons = [
      badAckReason({ seq: 3, epoch: 'otherbox0001' }, box),
      badAckReason({ seq: 3, epoch: '' }, box),
    ];
    // Assess
    expect(reasons).toEqual(['other-epoch', 'other-epoch']);
  });

  it('takes an ack without epoch while its ingest has never sent one with, and not after', () => {
    // Act
    const before = badAckReason({ seq: 12 }, { ...box, epochAcks: false });
    const after = badAckReason({ seq: 12 }, box);
    // Assess
    expect([before, after]).toEqual([null, 'epoch-less']);
  });

  it('takes acks for the legacy epoch on a box from before epochs', () => {
    // Prepare
    const legacy: AckContext = { epoch: '', lastSeq: 30, epochAcks: false };
    // Act
    const reasons = [
      badAckReason({ seq: 12 }, legacy),
      badAckReason({ seq: 12, epoch: '' }, legacy),
      badAckReason({ seq: 12, epoch: 'k3v9x0a1b2c4' }, legacy),
    ];
    // Assess
    expect(reasons).toEqual([null, null, 'other-epoch']);
  });
});
