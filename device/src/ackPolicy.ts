import { type Ack, epochOf } from '@likebox/protocol';

/** Why a box ignores an ack. */
export type BadAckReason = 'other-epoch' | 'beyond-last-seq' | 'epoch-less';

/** What the box knows when an ack arrives. */
export interface AckContext {
  /** The box's outbox epoch (`""`: legacy). */
  epoch: string;
  /** Highest seq the box has recorded in its epoch. */
  lastSeq: number;
  /** Whether the box has seen an ack carrying `epoch` (its ingest knows epochs). */
  epochAcks: boolean;
}

/**
 * Whether a box may act on an ack: `null` when it may, else why not. Pure.
 *
 * - An ack for another epoch is about another box with the same id, or about this id's former life
 *   (an SD card replaced): never this box's votes.
 * - An ack beyond the box's last seq cannot be about votes it recorded: acting on it would delete
 *   votes nobody stored (a forged retained `{"seq": 2^53-1}`).
 * - An ack without `epoch` comes from an ingest from before epochs (which keys acks by device
 *   alone): taken while the box has never seen an ack with an epoch; after that it can only be a
 *   stale retained one or a forged one.
 */
export function badAckReason(ack: Ack, box: AckContext): BadAckReason | null {
  if (ack.epoch === undefined) {
    if (box.epochAcks) return 'epoch-less';
  } else if (epochOf(ack) !== box.epoch) return 'other-epoch';
  return ack.seq > box.lastSeq ? 'beyond-last-seq' : null;
}
