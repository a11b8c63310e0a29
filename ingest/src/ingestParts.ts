import { ingestPoint } from '@likebox/influx';
import { healthOf } from '@likebox/runtime';
import type { Logger } from 'pino';
import type { AckTracker } from './ackTracker.js';
import type { BrokerLink } from './brokerLink.js';
import type { Config } from './config.js';
import type { DashboardFeeds } from './dashboardFeeds.js';
import { OrganiserCheck } from './deadLetterAccess.js';
import { type DeadLetterView, type IngestHealth, ingestChecks } from './httpServer.js';
import type { InfluxWriter } from './influxWriter.js';
import type { InvalidMessages } from './invalidMessages.js';
import type { Journal } from './journal.js';
import type { JournalStorage } from './journalStorage.js';
import type { IngestLease } from './lease.js';
import type { IngestMetrics } from './metrics.js';
import type { ScheduleState } from './scheduleState.js';
import type { SharedIds } from './sharedIds.js';
import type { VotePipeline } from './votePipeline.js';

/** How often the gauges (pending, lag, gaps, write buffer) are refreshed. */
const GAUGES_EVERY_MS = 1000;

/** The parts of a running ingest, wired together by `startIngest`. */
export interface Parts {
  config: Config;
  log: Logger;
  metrics: IngestMetrics;
  journal: Journal;
  tracker: AckTracker;
  writer: InfluxWriter | undefined;
  /** Writes `talk` for the dashboards; undefined without InfluxDB. */
  feeds: DashboardFeeds | undefined;
  invalid: InvalidMessages;
  /** Whether the journal can store votes. */
  storage: JournalStorage;
  /** Device ids two boxes use. */
  shared: SharedIds;
  /** The event's lease. */
  lease: IngestLease;
  pipeline: VotePipeline;
  /** The live schedule (its programme URL's state for the health document). */
  schedule: ScheduleState;
  statsEveryMs: number;
}

/** The ingest's health from its parts (served on `/health`). */
export function health(parts: Parts, link: BrokerLink): IngestHealth {
  const { writer, tracker, config, journal, storage, shared, lease } = parts;
  const connected = link.connected;
  const reachable = writer?.reachable ?? false;
  const pending = writer?.pending() ?? journal.lastId() - journal.writtenId();
  const lagMs = writer?.lagMs() ?? 0;
  const remote = parts.schedule.remote;
  const state: IngestHealth = {
    status: 'ok',
    ok: true,
    broker: { connected },
    influx: { configured: config.influx !== undefined, reachable },
    journal: {
      ...{ waiting: parts.pipeline.queued, pending, lagMs },
      ...{ gaps: tracker.gaps().missing, storage: storage.state },
    },
    sharedDevices: shared.list(),
    lease: { held: lease.held, conflict: lease.conflict() },
    ...(remote === undefined ? {} : { schedule: remote }),
  };
  const status = healthOf(ingestChecks(state)).status;
  return { ...state, status, ok: status === 'ok' };
}

/** Who may read `/dead-letters`: undefined = nobody. */
export function deadLetterAccess(config: Config): OrganiserCheck | undefined {
  const { access, usersFile } = config.deadLetters;
  return access === 'organiser' ? new OrganiserCheck(usersFile, config.event) : undefined;
}

/** An interval whose failures are logged, never thrown out of the timer. */
function every(ms: number, log: Logger, task: () => void): NodeJS.Timeout {
  return setInterval(() => {
    try {
      task();
    } catch (err) {
      log.error({ err }, 'periodic task failed');
    }
  }, ms);
}

/** Starts the gauge refresh (every second) and the periodic `ingest` measurement. */
export function statsTimers(
  parts: Parts,
  link: BrokerLink,
  statsEveryMs: number,
): NodeJS.Timeout[] {
  const { metrics, writer, tracker, config, invalid, log } = parts;
  const gauges = every(GAUGES_EVERY_MS, log, () => {
    const h = health(parts, link);
    metrics.pending.set(h.journal.pending);
    metrics.lag.set(h.journal.lagMs / 1000);
    const gaps = tracker.gaps();
    metrics.gapSeqs.set(gaps.missing);
    metrics.gapDevices.set(gaps.devices);
    metrics.mqttWriteBuffer.set(link.backlog);
    metrics.pubacksHeld.set(link.held);
    parts.shared.refresh(Date.now());
  });
  const stats = every(statsEveryMs, log, () => {
    const h = health(parts, link);
    const stats = {
      pending: h.journal.pending,
      lagMs: h.journal.lagMs,
      accepted: parts.journal.lastId(),
      duplicates: parts.pipeline.duplicates,
      invalid: invalid.count,
      gaps: h.journal.gaps,
    };
    writer?.enqueue(ingestPoint(config.event, stats, Date.now()));
  });
  return [gauges, stats];
}

const utf8 = new TextDecoder('utf-8');

/** The newest dead letters of the journal, for `/dead-letters`. */
export function deadLetterViews(journal: Journal, limit: number): DeadLetterView[] {
  return journal.deadLetters(limit).map((letter) => ({
    id: letter.id,
    received: new Date(letter.received).toISOString(),
    topic: letter.topic,
    reason: letter.reason,
    payload: utf8.decode(letter.payload),
  }));
}

/**
 * Restores the ack watermark of every (device, epoch) of the journal: the stored one, or, when
 * none was stored yet (acks are saved with the commit after the one that moved them), just below
 * its lowest stored seq, as a (device, epoch) heard for the first time starts (`AckTracker`).
 */
export function restoreAcks(journal: Journal, tracker: AckTracker, event: string): void {
  for (const stream of journal.streams(event)) {
    const { device, epoch, firstHeard, lastHeard } = stream;
    const acked = stream.acked ?? stream.first - 1;
    const storedAbove = journal.storedSeqsAbove(event, device, epoch, acked);
    tracker.restore({ device, epoch, acked, storedAbove, firstHeard, lastHeard });
  }
}
