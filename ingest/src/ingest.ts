import { devicePoint, InfluxClient } from '@likebox/influx';
import type { Schedule, Status } from '@likebox/protocol';
import type { RunningHttpServer } from '@likebox/runtime';
import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import { AckTracker } from './ackTracker.js';
import type { BrokerLink, LinkParts } from './brokerLink.js';
import { ClockSanity } from './clock.js';
import type { Config } from './config.js';
import { DashboardFeeds } from './dashboardFeeds.js';
import { type IngestHealth, startIngestHttp } from './httpServer.js';
import { InfluxWriter } from './influxWriter.js';
import type { IngestContext } from './ingestContext.js';
import {
  deadLetterAccess,
  deadLetterViews,
  health,
  type Parts,
  restoreAcks,
  statsTimers,
} from './ingestParts.js';
import { InvalidMessages } from './invalidMessages.js';
import { Journal } from './journal.js';
import { JournalStorage } from './journalStorage.js';
import { IngestLease } from './lease.js';
import { type LocalBroker, LocalLink } from './localLink.js';
import { dispatch } from './messages.js';
import { createMetrics, type IngestMetrics } from './metrics.js';
import { MqttLink } from './mqttLink.js';
import { Outputs } from './outputs.js';
import { type CoreParts, scheduleParts } from './scheduleParts.js';
import type { loadSchedule, ScheduleLoader, ScheduleState } from './scheduleState.js';
import { SharedIds } from './sharedIds.js';
import type { Tallies } from './tallies.js';
import { VotePipeline } from './votePipeline.js';

/** Options of {@link startIngest}. */
export interface StartIngestOptions {
  /** Root logger; components log through `logger.child({ module })`. Default: silent. */
  logger?: Logger;
  /** How the schedule file is read. Default: {@link loadSchedule} (every importable format). */
  scheduleLoader?: ScheduleLoader;
  /** Also export the Node process metrics (RSS, heap, CPU, GC). Default false (embedded). */
  processMetrics?: boolean;
  /** How often the `ingest` measurement is written, ms. Default {@link STATS_EVERY_MS}. */
  statsEveryMs?: number;
  /**
   * An opened journal to use instead of opening `config.journalFile` (a test capping its size);
   * the ingest closes it when it stops.
   */
  journal?: Journal;
  /**
   * The Aedes broker of this process (`likebox up`): the ingest subscribes to it directly
   * ({@link LocalLink}) and `config.mqtt` is not used. Default: an MQTT connection ({@link MqttLink}).
   */
  broker?: LocalBroker;
}

/** How often the `ingest` measurement is written. */
export const STATS_EVERY_MS = 10_000;

/** A running ingest. */
export interface RunningIngest {
  /** Current state, whose checks `GET /healthz` serves (`ingestChecks`). */
  health(): IngestHealth;
  /** This instance's Prometheus registry (also `GET /metrics`). */
  metrics: Registry;
  /** URL of the HTTP server, when `config.http` is set. */
  httpUrl: string | undefined;
  /** The schedule in use (delays folded in), or undefined without one. */
  schedule(): Schedule | undefined;
  /** Stops: commits queued votes, disconnects, finishes the InfluxDB batch in flight, closes. */
  stop(): Promise<void>;
}

/** The InfluxDB writer and the `talk` feed, sharing one client; none without InfluxDB. */
function influxParts(config: Config, journal: Journal, log: Logger, metrics: IngestMetrics) {
  if (config.influx === undefined) {
    log.warn(
      'no LIKEBOX_INFLUX_URL: votes are kept in the journal only, and written once it is set',
    );
    return { writer: undefined, feeds: undefined };
  }
  const client = new InfluxClient(config.influx);
  const feeds = new DashboardFeeds({
    client,
    event: config.event,
    log: log.child({ module: 'dashboardFeeds' }),
  });
  const writer = new InfluxWriter({
    config: config.influx,
    client,
    journal,
    log: log.child({ module: 'influxWriter' }),
    metrics,
    onWritten: () => feeds.retry(),
  });
  return { writer, feeds };
}

function openCore(config: Config, log: Logger, metrics: IngestMetrics, given?: Journal) {
  const journal = given ?? new Journal(config.journalFile, config.journalSync);
  try {
    journal.pruneDeadLetters();
  } catch (err) {
    // A full disk must not stop the start: votes then wait unconfirmed until it has space.
    log.warn({ err }, 'dead letters not pruned');
  }
  const tracker = new AckTracker();
  restoreAcks(journal, tracker, config.event);
  const { writer, feeds } = influxParts(config, journal, log, metrics);
  const invalid = new InvalidMessages(journal, metrics, log.child({ module: 'invalid' }));
  const storage = new JournalStorage(metrics, log.child({ module: 'journal' }));
  const shared = new SharedIds({
    ...{ event: config.event, tracker, metrics, log: log.child({ module: 'identity' }) },
    write: (point) => writer?.enqueue(point),
  });
  return { journal, tracker, writer, feeds, invalid, storage, shared };
}

/** The link to the broker: in process when one is given, else over MQTT. */
function createLink(config: Config, options: StartIngestOptions, parts: LinkParts): BrokerLink {
  if (options.broker !== undefined) return new LocalLink(options.broker, parts);
  return new MqttLink(config.mqtt, parts);
}

/** Everything the messaging side needs, wired around one broker link. */
function wireMessaging(core: CoreParts, options: StartIngestOptions) {
  const { config, log, metrics, journal, tracker, writer, invalid, storage, shared } = core;
  const base = { event: config.event, log: log.child({ module: 'subscriber' }), metrics };
  const late: { context?: IngestContext; republish?: () => void } = {};
  const link = createLink(config, options, {
    ...base,
    onMessage: (topic, payload, retained, messageId) =>
      dispatch(late.context as IngestContext, topic, payload, retained, messageId),
    onConnect: () => late.republish?.(),
  });
  const outputs = new Outputs(link, config.event, config.publicVotesPerSecond);
  const { tallies, schedule } = scheduleParts(core, outputs, options);
  const clock = new ClockSanity(config.clockToleranceMs);
  const configRooms = new Map<string, string>();
  const lease = new IngestLease({
    ...{ event: config.event, id: journal.identity(), link, outputs, metrics },
    log: log.child({ module: 'lease' }),
  });
  const pipeline = new VotePipeline({
    ...{ event: config.event, journal, tracker, clock, link, outputs, tallies, metrics, invalid },
    ...{ shared, storage },
    log: log.child({ module: 'pipeline' }),
    index: () => schedule.index,
    configRoom: (device) => configRooms.get(device),
    stored: (votes) => writer?.offer(votes),
  });
  const deviceStatus = (device: string, status: Status, arrival: number) => {
    const room = status.room ?? configRooms.get(device) ?? 'none';
    writer?.enqueue(devicePoint(config.event, device, room, status, arrival, clock.offset(device)));
  };
  late.context = {
    ...{ ...base, link, invalid, pipeline, clock, configRooms, schedule, deviceStatus },
    lease,
  };
  late.republish = () => {
    lease.onConnect();
    const now = Date.now();
    for (const { device, epoch, seq } of tracker.latest()) {
      outputs.ack(device, epoch, seq, shared.shared(device, now));
    }
    schedule.republish();
    tallies.touchAll();
  };
  return { link, schedule, tallies, pipeline, lease };
}

/**
 * Starts the ingest: opens the journal, restores the ack watermarks, starts the InfluxDB writer
 * (backfilling whatever the journal holds), loads the schedule, connects to the broker with its
 * persistent session (or subscribes to the broker of this process, `options.broker`) and serves
 * `/healthz` and `/metrics`. Rejects when the journal or the schedule cannot be read or the broker
 * refuses the connection.
 */
export async function startIngest(
  config: Config,
  options: StartIngestOptions = {},
): Promise<RunningIngest> {
  const log = options.logger ?? pino({ level: 'silent' });
  const metrics = createMetrics(undefined, options.processMetrics ?? false);
  const core = openCore(config, log, metrics, options.journal);
  const statsEveryMs = options.statsEveryMs ?? STATS_EVERY_MS;
  const partial = { config, log, metrics, ...core, statsEveryMs };
  let wired: ReturnType<typeof wireMessaging>;
  try {
    wired = wireMessaging(partial, options);
  } catch (err) {
    core.journal.close();
    throw err;
  }
  const { pipeline, lease, schedule } = wired;
  const parts: Parts = { ...partial, pipeline, lease, schedule };
  return await start(parts, wired.link, wired.schedule, wired.tallies);
}

/** Stops every part in reverse order of start, each in its own try (a failure is logged). */
async function stopParts(
  parts: Parts,
  running: { link: BrokerLink; schedule: ScheduleState; tallies: Tallies },
  server: RunningHttpServer | undefined,
  timers: NodeJS.Timeout[],
): Promise<void> {
  const { link, schedule, tallies } = running;
  const steps: [string, () => unknown][] = [
    ['http', () => server?.close()],
    ['timers', () => timers.forEach(clearInterval)],
    ['pipeline', () => parts.pipeline.flush()],
    ['pipeline retry', () => parts.pipeline.stop()],
    // Before the link: a clean stop clears the lease (never one this ingest did not acquire).
    ['lease', () => parts.lease.stop()],
    ['broker link', () => link.stop()],
    ['schedule', () => schedule.stop()],
    ['tallies', () => tallies.stop()],
    ['writer', () => parts.writer?.stop()],
    ['dashboard feeds', () => parts.feeds?.stop()],
    ['journal', () => parts.journal.close()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      parts.log.error({ err, step: name }, 'stop step failed');
    }
  }
}

async function start(
  parts: Parts,
  link: BrokerLink,
  schedule: ScheduleState,
  tallies: Tallies,
): Promise<RunningIngest> {
  const { config, log, metrics, journal, writer } = parts;
  const stopAll = (server: RunningHttpServer | undefined, timers: NodeJS.Timeout[]) =>
    stopParts(parts, { link, schedule, tallies }, server, timers);
  let server: RunningHttpServer | undefined;
  let timers: NodeJS.Timeout[] = [];
  try {
    // First, before anything is published: a second ingest on the event refuses to start.
    await parts.lease.acquire();
    writer?.start();
    await schedule.start();
    const sources = {
      health: () => health(parts, link),
      metrics: metrics.registry,
      deadLetters: (limit: number) => deadLetterViews(journal, limit),
      deadLetterAccess: deadLetterAccess(config),
    };
    let httpUrl: string | undefined;
    if (config.http !== undefined) {
      server = await startIngestHttp(sources, config.http.host, config.http.port, log);
      httpUrl = server.url;
    }
    await link.start();
    parts.lease.start();
    timers = statsTimers(parts, link, parts.statsEveryMs);
    log.info({ event: config.event, httpUrl, influx: config.influx?.url }, 'ingest started');
    return {
      health: sources.health,
      metrics: metrics.registry,
      httpUrl,
      schedule: () => schedule.index?.schedule,
      stop: () => stopAll(server, timers),
    };
  } catch (err) {
    await stopAll(server, timers);
    throw err;
  }
}
