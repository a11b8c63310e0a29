import { LEGACY_EPOCH, type Status } from '@likebox/protocol';
import { CLOCK_FLOOR_MS } from './clock.js';
import type { Outbox } from './outbox.js';
import type { PressCounters } from './pressCounters.js';
import type { Publisher } from './publisher.js';
import { UNASSIGNED_ROOM } from './roomState.js';

/** What a box's `status` is made of. */
export interface BoxStatusParts {
  outbox: Outbox;
  version: string;
  ip: string;
  room: string;
  /** `performance.now()` when the box started. */
  startedAt: number;
  /** The box's wall clock, epoch ms. */
  now: number;
  synced: boolean;
  publisher: Publisher;
  presses: PressCounters;
}

/** The `status` payload of a box (without `online`). */
export function boxStatus(p: BoxStatusParts): Omit<Status, 'online'> {
  const { outbox, room, ip } = p;
  return {
    outbox: outbox.depth,
    version: p.version,
    uptime: Math.round((performance.now() - p.startedAt) / 1000),
    at: Math.max(p.now, CLOCK_FLOOR_MS),
    synced: p.synced,
    ...(room === UNASSIGNED_ROOM ? {} : { room }),
    ...(ip === '' ? {} : { ip: ip.slice(0, 64) }),
    lastSeq: outbox.lastSeq,
    ...(outbox.epoch === LEGACY_EPOCH ? {} : { epoch: outbox.epoch }),
    storage: outbox.storage,
    badAcks: p.publisher.badAcks,
    sharedId: p.publisher.sharedId,
    link: p.publisher.link,
    refused: p.presses.refused,
    stuck: p.presses.stuck,
  };
}
