import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ScheduleIndex, Status } from '@likebox/protocol';
import type { Logger } from 'pino';
import type { InfluxWriter } from './influxWriter.js';
import type { Journal, PendingVote } from './journal.js';
import type { JournalStorage } from './journalStorage.js';
import { MisuseDetector, type MisusePattern } from './misuse.js';
import type { NoticeConfig } from './noticeConfig.js';
import type { Notices } from './notices.js';
import { lateNotice, RoomLateness } from './roomLate.js';
import type { Tallies } from './tallies.js';
import { wilsonLower } from './wilson.js';

/** What {@link NoticeWatch} reads and acts on. */
export interface NoticeWatchOptions {
  /** Thresholds. */
  config: NoticeConfig;
  /** Where notices are raised and cleared. */
  notices: Notices;
  /** Flags misuse. */
  journal: Journal;
  /** The journal file (`:memory:`: no disk to watch). */
  journalFile: string;
  /** Commits failing (a full disk). */
  storage: JournalStorage;
  /** Counted figures, corrected when votes are flagged. */
  tallies: Tallies;
  /** Rewritten after flagging; undefined without InfluxDB. */
  writer: InfluxWriter | undefined;
  /** The live schedule's index, if any (late rooms). */
  index: () => ScheduleIndex | undefined;
  /** Logger (`module: notices`). */
  log: Logger;
}

interface BoxState {
  lastHeard: number;
  online: boolean;
  outbox: { at: number; depth: number }[];
  lastFlag?: { at: number; reason: MisusePattern['reason']; votes: number };
  /** Buttons the box's last live status reports held closed 10 s or more. */
  stuck: readonly string[];
}

const REASON_TEXT: Record<MisusePattern['reason'], string> = {
  steady: 'the same vote again and again at a steady pace',
  rate: 'more votes per minute than a crowd gives, sustained',
  'stuck-button':
    "a run of the same vote at the pace of the box's gate: a chattering switch or a hammering hand",
};

/**
 * Raises and clears the ingest's notices: misuse and stuck buttons (flagging the votes), silent
 * boxes, growing outboxes, sinking talks, InfluxDB unreachable and a nearly full journal disk.
 * Boxes are known from their status or votes since this ingest started.
 */
export class NoticeWatch {
  readonly #o: NoticeWatchOptions;
  readonly #misuse: MisuseDetector;
  readonly #boxes = new Map<string, BoxState>();
  readonly #lateness: RoomLateness;
  #influxSince: number;

  constructor(options: NoticeWatchOptions, now = Date.now()) {
    this.#o = options;
    this.#misuse = new MisuseDetector(options.config);
    this.#lateness = new RoomLateness(options.config.lateMinuteMs);
    this.#influxSince = now;
  }

  /** Takes in votes just stored: flags the misuse they complete. */
  stored(votes: readonly PendingVote[], now = Date.now()): void {
    for (const vote of votes) {
      this.#box(vote.device, now).lastHeard = vote.received;
      this.#lateness.add(vote.room, vote.at);
    }
    for (const pattern of this.#misuse.observe(votes)) this.#flag(pattern, votes, now);
  }

  /** Takes in a box's status. */
  status(device: string, status: Status, arrival: number): void {
    const box = this.#box(device, arrival);
    box.lastHeard = arrival;
    box.online = status.online;
    // The will (online false) says nothing of the buttons: the last live status stands.
    if (status.online) box.stuck = status.stuck ?? [];
    box.outbox.push({ at: arrival, depth: status.outbox });
    const keepFrom = arrival - 2 * this.#o.config.outboxMs;
    while ((box.outbox[0]?.at ?? arrival) < keepFrom) box.outbox.shift();
  }

  /** Re-evaluates every condition (called every second). */
  check(now = Date.now()): void {
    this.#checkBoxes(now);
    this.#checkTalks();
    this.#checkRooms(now);
    this.#checkInflux(now);
    this.#checkDisk();
  }

  #box(device: string, now: number): BoxState {
    let box = this.#boxes.get(device);
    if (box === undefined) {
      box = { lastHeard: now, online: true, outbox: [], stuck: [] };
      this.#boxes.set(device, box);
    }
    return box;
  }

  #flag(pattern: MisusePattern, votes: readonly PendingVote[], now: number): void {
    const { journal, tallies, writer, log } = this.#o;
    let flagged: ReturnType<Journal['flags']['flag']>;
    try {
      flagged = journal.flags.flag(pattern.ids, pattern.reason);
    } catch (err) {
      log.error({ err, device: pattern.device }, 'votes not flagged: the journal cannot write');
      return;
    }
    if (flagged.length === 0) return;
    for (const vote of flagged) tallies.remove(vote.room, vote.talk, vote.value);
    writer?.rewind(Math.min(...flagged.map((v) => v.id)) - 1);
    const box = this.#box(pattern.device, now);
    const before = box.lastFlag?.reason === pattern.reason ? box.lastFlag.votes : 0;
    box.lastFlag = { at: now, reason: pattern.reason, votes: before + flagged.length };
    log.info(
      { device: pattern.device, reason: pattern.reason, votes: flagged.length, seen: votes.length },
      'votes flagged as misuse',
    );
    this.#raiseMisuse(pattern.device, box);
  }

  #raiseMisuse(device: string, box: BoxState): void {
    const flag = box.lastFlag;
    if (flag === undefined) return;
    const kind = flag.reason === 'stuck-button' ? 'stuck-button' : 'misuse';
    this.#o.notices.raise({
      ...{ id: `${kind}-${device}`, kind, severity: 'warning', subject: device },
      message:
        `Box ${device}: ${flag.votes} votes set aside (${REASON_TEXT[flag.reason]}); ` +
        'they stay in the journal and out of the public figures.',
    });
  }

  #checkBoxes(now: number): void {
    const { config, notices } = this.#o;
    for (const [device, box] of this.#boxes) {
      const silentFor = now - box.lastHeard;
      const silentId = `box-silent-${device}`;
      if (silentFor >= config.silentMs) {
        const how = box.online ? '' : ' (its connection dropped)';
        notices.raise(
          {
            ...{ id: silentId, kind: 'box-silent', severity: 'warning', subject: device },
            message: `Box ${device} has not been heard since ${new Date(box.lastHeard).toISOString()}${how}.`,
          },
          box.lastHeard,
        );
      } else notices.clear(silentId);
      this.#checkOutbox(device, box, now);
      const flag = box.lastFlag;
      const flagHeld = flag !== undefined && now - flag.at < config.misuseHoldMs;
      if (!flagHeld) notices.clear(`misuse-${device}`);
      this.#checkStuck(device, box, flagHeld && flag?.reason === 'stuck-button', now);
    }
  }

  /**
   * `stuck-button` from the box's own status (`stuck` not empty), besides the vote pattern: a held
   * button gives no votes at all, so only the status shows it. Cleared when neither holds.
   */
  #checkStuck(device: string, box: BoxState, flagged: boolean, now: number): void {
    const id = `stuck-button-${device}`;
    if (box.stuck.length > 0) {
      const which = box.stuck.join(' and ');
      this.#o.notices.raise(
        {
          ...{ id, kind: 'stuck-button', severity: 'warning', subject: device },
          message: `Box ${device}: its ${which} button has been held closed for 10 s or more; its presses are not counted until it is released.`,
        },
        now,
      );
    } else if (flagged) this.#raiseMisuse(device, box);
    else this.#o.notices.clear(id);
  }

  #checkOutbox(device: string, box: BoxState, now: number): void {
    const { config, notices } = this.#o;
    const id = `outbox-growing-${device}`;
    const window = box.outbox.filter((s) => s.at >= now - config.outboxMs);
    const first = box.outbox.find((s) => s.at <= now - config.outboxMs) ?? window[0];
    const last = box.outbox.at(-1);
    if (first === undefined || last === undefined) return;
    let rising = now - first.at >= config.outboxMs && last.depth - first.depth >= config.outboxRise;
    for (let i = 1; i < window.length && rising; i++) {
      if ((window[i] as { depth: number }).depth < (window[i - 1] as { depth: number }).depth)
        rising = false;
    }
    if (rising) {
      notices.raise({
        ...{ id, kind: 'outbox-growing', severity: 'warning', subject: device },
        message: `Box ${device} holds ${last.depth} unconfirmed votes, up from ${first.depth}: it does not reach the ingest.`,
      });
    } else notices.clear(id);
  }

  #checkTalks(): void {
    const { config, notices, tallies } = this.#o;
    const keep = new Set<string>();
    for (const [talk, counts] of tallies.counts()) {
      const votes = counts.likes + counts.dislikes;
      if (votes < config.sinkingVotes) continue;
      const bound = wilsonLower(counts.likes, votes);
      if (bound >= config.sinkingWilson) continue;
      const id = `talk-sinking-${talk}`.slice(0, 63).replace(/-+$/, '');
      keep.add(id);
      notices.raise({
        ...{ id, kind: 'talk-sinking', severity: 'info', subject: talk },
        message: `Talk ${talk}: ${counts.likes} likes of ${votes} votes (Wilson bound ${bound.toFixed(2)}).`,
      });
    }
    notices.clearOthers('talk-sinking', keep);
  }

  #checkRooms(now: number): void {
    const index = this.#o.index();
    const late = index === undefined ? [] : this.#lateness.check(index, now);
    for (const room of late) this.#o.notices.raise(lateNotice(room));
    this.#o.notices.clearOthers('room-late', new Set(late.map((r) => `room-late-${r.room}`)));
  }

  #checkInflux(now: number): void {
    const { writer, config, notices } = this.#o;
    if (writer === undefined || writer.reachable) {
      this.#influxSince = now;
      notices.clear('influx-unreachable');
      return;
    }
    if (now - this.#influxSince < config.influxMs) return;
    notices.raise(
      {
        ...{ id: 'influx-unreachable', kind: 'influx-unreachable', severity: 'critical' },
        subject: 'influxdb',
        message: `InfluxDB has not answered since ${new Date(this.#influxSince).toISOString()}: votes wait in the journal and are written when it is back.`,
      },
      this.#influxSince,
    );
  }

  #checkDisk(): void {
    const { storage, config, notices, journalFile } = this.#o;
    let free: number | undefined;
    if (journalFile !== ':memory:') {
      try {
        const fs = statfsSync(dirname(journalFile));
        free = fs.bavail * fs.bsize;
      } catch {
        free = undefined; // not knowable here: only a failed commit tells
      }
    }
    const full = !storage.state.ok || (free !== undefined && free < config.diskFreeBytes);
    if (!full) {
      notices.clear('journal-full');
      return;
    }
    const why = storage.state.ok
      ? `${Math.round((free ?? 0) / 1048576)} MB free`
      : `commits fail (${storage.state.reason})`;
    notices.raise({
      ...{ id: 'journal-full', kind: 'journal-full', severity: 'critical', subject: 'journal' },
      message: `The journal's disk is nearly full: ${why}. Boxes keep their votes until it has room.`,
    });
  }
}
