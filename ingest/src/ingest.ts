import { devicePoint } from '@likebox/influx';
import type { Schedule, Status } from '@likebox/protocol';
import type { RunningHttpServer } from '@likebox/runtime';
import { type Logger, pino } from 'pino';
import type { Registry } from 'prom-client';
import type { ApiRouter } from './apiRouter.js';
import type { BrokerLink, LinkParts } from './brokerLink.js';
import { ClockSanity } from './clock.js';
import type { Config } from './config.js';
import { type IngestHealth, startIngestHttp } from './httpServer.js';
import type { IngestContext } from './ingestContext.js';
import { openCore } from './ingestCore.js';
import {
  type CoreParts,
  deadLetterAccess,
  deadLetterViews,
  health,
  type Parts,
  statsTimers,
} from './ingestParts.js';
import { stopParts } from './ingestStop.js';
import type { Journal } from './journal.js';
import { IngestLease } from './lease.js';
import { type LocalBroker, LocalLink } from './localLink.js';
import { dispatch } from './messages.js';
import { createMetrics } from './metrics.js';
import { MqttLink } from './mqttLink.js';
import { addNoticeRoutes } from './noticeRoutes.js';
import { leftNotices, Notices } from './notices.js';
import { NoticeWatch } from './noticeWatch.js';
import { Outputs } from './outputs.js';
import { createResultsParts, type ResultsParts } from './results/resultsParts.js';
import { scheduleParts } from './scheduleParts.js';
import type { loadSchedule, ScheduleLoader, ScheduleState } from './scheduleState.js';
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
  /** The HTTP API (`/api/v1/…`, results): served here with `config.http`, mounted by `up`. */
  api: ApiRouter;
  /** Stops: commits queued votes, disconnects, finishes the InfluxDB batch in flight, closes. */
  stop(): Promise<void>;
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
  const late: { context?: IngestContext; republish?: () => void; results?: ResultsParts } = {};
  const link = createLink(config, options, {
    ...base,
    onMessage: (topic, payload, retained, messageId) =>
      dispatch(late.context as IngestContext, topic, payload, retained, messageId),
    onConnect: () => late.republish?.(),
  });
  const outputs = new Outputs(link, config.event, config.publicVotesPerSecond);
  outputs.hideTalkVotes = config.results.showCounts === 'after-close';
  const { tallies, schedule } = scheduleParts(core, outputs, options, {
    onVote: (talk, value) => {
      late.results?.results.countVote(talk, value);
      late.results?.seals.touch(talk);
    },
    onRemove: (talk) => {
      late.results?.results.recount();
      late.results?.seals.touch(talk);
    },
  });
  const results = createResultsParts(config, journal, outputs, () => schedule.index, log);
  late.results = results;
  const notices = new Notices((id, n) => outputs.notice(id, n), log.child({ module: 'notices' }));
  const watch = new NoticeWatch({
    ...{ config: config.notices, notices, journal, journalFile: config.journalFile, storage },
    ...{ tallies, writer, index: () => schedule.index, log: log.child({ module: 'notices' }) },
  });
  addNoticeRoutes(results.api, notices);
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
    stored: (votes) => {
      writer?.offer(votes);
      watch.stored(votes);
    },
  });
  const deviceStatus = (device: string, status: Status, arrival: number) => {
    const room = status.room ?? configRooms.get(device) ?? 'none';
    writer?.enqueue(devicePoint(config.event, device, room, status, arrival, clock.offset(device)));
    watch.status(device, status, arrival);
  };
  late.context = {
    ...{ ...base, link, invalid, pipeline, clock, configRooms, schedule, deviceStatus },
    ...{ lease, onHeadcount: results.onHeadcount },
  };
  late.republish = () => {
    lease.onConnect();
    const now = Date.now();
    for (const { device, epoch, seq } of tracker.latest()) {
      outputs.ack(device, epoch, seq, shared.shared(device, now));
    }
    schedule.republish();
    tallies.touchAll();
    results.seals.touchAll();
    notices.republish();
  };
  return { link, schedule, tallies, pipeline, lease, results, notices, watch };
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
  const parts: Parts = { ...partial, ...wired };
  return await start(parts, wired.link, wired.schedule, wired.tallies);
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
    const left = await leftNotices(link, config.event);
    writer?.start();
    await schedule.start();
    parts.results.seals.start();
    const sources = {
      health: () => health(parts, link),
      metrics: metrics.registry,
      deadLetters: (limit: number) => deadLetterViews(journal, limit),
      deadLetterAccess: deadLetterAccess(config),
      api: parts.results.api,
    };
    let httpUrl: string | undefined;
    if (config.http !== undefined) {
      server = await startIngestHttp(sources, config.http.host, config.http.port, log);
      httpUrl = server.url;
    }
    await link.start();
    parts.lease.start();
    // Once this run has looked at everything (the retained statuses came with the subscriptions).
    parts.watch.check();
    parts.notices.clearLeft(left);
    timers = statsTimers(parts, link, parts.statsEveryMs);
    log.info({ event: config.event, httpUrl, influx: config.influx?.url }, 'ingest started');
    return {
      health: sources.health,
      metrics: metrics.registry,
      httpUrl,
      schedule: () => schedule.index?.schedule,
      api: parts.results.api,
      stop: () => stopAll(server, timers),
    };
  } catch (err) {
    await stopAll(server, timers);
    throw err;
  }
}
