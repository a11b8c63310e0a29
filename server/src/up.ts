import { mkdir } from 'node:fs/promises';
import { brokerCheck, type RunningBroker, startBroker } from '@likebox/broker';
import {
  type Config as IngestConfig,
  ingestChecks,
  configOf as ingestConfigOf,
  loadSchedule,
  type RunningIngest,
  startIngest,
} from '@likebox/ingest';
import type { Schedule } from '@likebox/protocol';
import {
  bindsEverywhere,
  healthOf,
  lanUrls,
  type PartStack,
  startHttpServer,
} from '@likebox/runtime';
import { replayProgramme } from '@likebox/schedule';
import { createWebHandler } from '@likebox/web';
import type { Logger } from 'pino';
import { startBrokerStats } from './brokerStats.js';
import { ensureUsers, LIVE_PAGE_USER, type NeededUser } from './credentials.js';
import { DEMO_EVENT, DEMO_PROGRAMME, DEMO_TIME_ZONE, writeDemoSchedule } from './demoProgramme.js';
import { chooseInflux, type InfluxChoice } from './influx.js';
import { SIM_PREFIX, simulatedBoxUsers, startSimulatedBoxes } from './simulate.js';
import type { UpConfig } from './upConfig.js';

/** What a running `up` serves, for the summary line and for tests. */
export interface UpSummary {
  /** Event slug. */
  event: string;
  /** `mqtt://host:port` for boxes and tools. */
  mqttUrl: string;
  /** `ws://host:port` of MQTT over WebSocket (the live page). */
  wsUrl: string | null;
  /** `http://host:port/`: live page, `/healthz`, `/metrics`. */
  httpUrl: string;
  /** `external`, `managed` or `none`. */
  influx: InfluxChoice['mode'];
  /** The InfluxDB URL, or null when running on the journal alone. */
  influxUrl: string | null;
  /** Why there is no InfluxDB, when there is none. */
  influxNote: string | null;
  /** The data folder. */
  dataDir: string;
  /** The schedule file the ingest watches, or null. */
  scheduleFile: string | null;
  /** The programme URL the ingest checks, or null. */
  scheduleUrl: string | null;
  /** Simulated boxes running in process. */
  simulated: number;
  /** Users `up` created on this start (first run, or new simulated boxes). */
  createdUsers: string[];
  /**
   * Bound to every address (`0.0.0.0`, `::`): the URLs a LAN client opens, at each address of the
   * machine's interfaces; null when bound to one address (the URLs above are the ones to open).
   */
  lan: { mqtt: string[]; ws: string[]; http: string[] } | null;
}

/** Options of {@link startUp}. */
export interface StartUpOptions {
  /** Root logger; each part logs through its own child. */
  logger: Logger;
  /**
   * Where each started part is pushed, to be stopped in reverse order (simulator, web, ingest
   * with its journal, influxd, broker), also when the start fails half-way.
   */
  parts: PartStack;
  /** Clock of the demo programme's replay. Default `Date.now`. */
  now?: () => number;
}

function neededUsers(config: UpConfig): NeededUser[] {
  // The ingest needs no account: it subscribes to the broker inside this process.
  const users: NeededUser[] = [];
  if (!config.allowAnonymous) users.push({ name: LIVE_PAGE_USER, role: 'public' });
  return [...users, ...simulatedBoxUsers(config.simulate)];
}

/** A URL the in-process clients can reach: loopback when the broker listens on every address. */
function localMqttUrl(broker: RunningBroker, bind: string): string {
  if (bind !== '0.0.0.0' && bind !== '::') return broker.mqttUrl;
  // The broker's main URL keeps its scheme: ws:// when the MQTT port is off.
  const url = new URL(broker.mqttUrl);
  url.hostname = '127.0.0.1';
  return url.href;
}

const PAST_PROGRAMME =
  'the programme is over: simulated votes fall in no vote window (talk=none); add --replay-now';

/** The programme the ingest watches (a file or a URL), and its content when the simulator needs it. */
type Programme = ({ file: string } | { url: string }) & { schedule: Schedule | null };

/**
 * The programme: the given URL or file (a file with `--replay-now` shifted so its first day starts
 * now, the ingest then watching the shifted copy in the data folder); else, for the `demo` event
 * or a simulation, the demo programme replayed now (so a fresh clone shows live talks and
 * tallies; with `--replay-now`, as a file is); else none (votes keep `talk=none`).
 */
async function programmeFor(
  config: UpConfig,
  now: number,
  log: Logger,
): Promise<Programme | undefined> {
  if (config.scheduleUrl !== undefined) return { url: config.scheduleUrl, schedule: null };
  const file = config.scheduleFile;
  if (file !== undefined) {
    if (config.simulate === 0 && !config.replayNow) return { file, schedule: null };
    const schedule = await loadSchedule(file, config.event, config.env.LIKEBOX_SCHEDULE_TZ);
    if (!config.replayNow) {
      const last = Math.max(...schedule.talks.map((t) => Date.parse(t.end)));
      if (config.simulate > 0 && last < now) log.warn({ file }, PAST_PROGRAMME);
      return { file, schedule };
    }
    return replayed(schedule, file, config.dataDir, now, log);
  }
  if (config.event !== DEMO_EVENT && config.simulate === 0) return undefined;
  if (config.replayNow) {
    // As a file: its first slot under way at any hour, kept across restarts. The demo's own replay
    // (to today, same hours, when a talk is then under way) leaves the open rooms to the hour.
    const demo = await loadSchedule(DEMO_PROGRAMME, config.event, DEMO_TIME_ZONE);
    return replayed(demo, DEMO_PROGRAMME, config.dataDir, now, log);
  }
  const demo = await writeDemoSchedule(config.dataDir, config.event, now);
  return { file: demo.path, schedule: demo.schedule };
}

/** `schedule`, read from `file`, replayed now (`--replay-now`); the ingest watches the shifted copy. */
async function replayed(
  schedule: Schedule,
  file: string,
  dataDir: string,
  now: number,
  log: Logger,
): Promise<Programme> {
  const replay = await replayProgramme(schedule, file, dataDir, now);
  log.info({ file, offsetMs: replay.offsetMs, kept: replay.kept }, 'programme replayed now');
  return { file: replay.path, schedule: replay.schedule };
}

/**
 * The ingest's configuration: `up`'s variables, with the InfluxDB and the schedule `up` chose.
 * Not its MQTT settings: it subscribes to the broker of this process; nor its HTTP server: `up`
 * serves its health and metrics. With simulated boxes, its late-room watch counts in their
 * scenario minutes.
 */
function ingestConfigFor(
  config: UpConfig,
  influx: InfluxChoice,
  programme: Programme | undefined,
): IngestConfig {
  const ingest = ingestConfigOf({
    ...config.env,
    LIKEBOX_INFLUX_URL: influx.mode === 'none' ? undefined : influx.url,
    LIKEBOX_SCHEDULE_FILE:
      programme !== undefined && 'file' in programme ? programme.file : undefined,
    LIKEBOX_SCHEDULE_URL: programme !== undefined && 'url' in programme ? programme.url : undefined,
    LIKEBOX_MQTT_URL: 'mqtt://127.0.0.1:1883',
    LIKEBOX_MQTT_USERNAME: 'ingest',
    LIKEBOX_MQTT_PASSWORD: undefined,
    LIKEBOX_MQTT_CLIENT_ID: undefined,
  });
  // A rehearsal's late room runs late in scenario minutes: the late-room watch counts in them.
  const lateMinuteMs = config.simulate > 0 ? config.env.LIKEBOX_SIM_MINUTE_MS : 60_000;
  return { ...ingest, http: undefined, notices: { ...ingest.notices, lateMinuteMs } };
}

function summarise(
  config: UpConfig,
  broker: RunningBroker,
  httpUrl: string,
  influx: InfluxChoice,
  programme: Programme | undefined,
  createdUsers: string[],
): UpSummary {
  return {
    event: config.event,
    mqttUrl: broker.mqttUrl,
    wsUrl: broker.wsUrl,
    httpUrl: `${httpUrl}/`,
    influx: influx.mode,
    influxUrl: influx.mode === 'none' ? null : influx.url,
    influxNote: influx.mode === 'none' ? influx.reason : null,
    dataDir: config.dataDir,
    scheduleFile: programme !== undefined && 'file' in programme ? programme.file : null,
    scheduleUrl: programme !== undefined && 'url' in programme ? programme.url : null,
    simulated: config.simulate,
    createdUsers,
    lan: bindsEverywhere(config.bind)
      ? {
          mqtt: lanUrls(broker.mqttUrl, config.bind),
          ws: broker.wsUrl === null ? [] : lanUrls(broker.wsUrl, config.bind),
          http: lanUrls(`${httpUrl}/`, config.bind),
        }
      : null,
  };
}

/**
 * Starts the whole event server in one process: the broker, an InfluxDB (given, a managed child,
 * or none), the ingest on the broker with its own account, the live page with `/healthz` and
 * `/metrics`, and optionally simulated boxes. Each part is pushed on `options.parts` as soon as it
 * runs, so that the caller stops what started, also after a failure half-way.
 */
export async function startUp(config: UpConfig, options: StartUpOptions): Promise<UpSummary> {
  const log = options.logger;
  const parts = options.parts;
  // Owner only: it holds the journal, the users file, the credentials and the boxes' outboxes.
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const users = await ensureUsers(config.usersFile, config.dataDir, neededUsers(config));
  const broker = await startBroker({
    usersFile: config.usersFile,
    host: config.bind,
    mqttPort: config.mqttPort,
    wsPort: config.wsPort,
    // A fixed port only: with 0 the page's port is known once it listens, after the broker.
    ...(config.httpPort === 0 ? {} : { livePagePort: config.httpPort }),
    allowAnonymous: config.allowAnonymous,
    event: config.event,
    limits: config.limits,
    logger: log,
    // `up` is a process of its own: its Node metrics are served once, with the broker's.
    processMetrics: true,
  });
  parts.push('broker', () => broker.close());
  const influx = await chooseInflux(config, log.child({ module: 'influxd' }));
  if (influx.mode === 'managed') parts.push('influxd', () => influx.influxd.stop());
  const programme = await programmeFor(config, (options.now ?? Date.now)(), log);
  const ingestConfig = ingestConfigFor(config, influx, programme);
  const ingest = await startIngest(ingestConfig, { logger: log, broker });
  parts.push('ingest', () => ingest.stop());
  if (ingestConfig.influx !== undefined) {
    const stopStats = startBrokerStats(broker, config.event, ingestConfig.influx, log);
    parts.push('broker stats', () => Promise.resolve(stopStats()));
  }
  const http = await startWeb(config, broker, ingest, users.passwords, influx, log);
  parts.push('http', () => http.close());
  // A programme URL's schedule is the one the ingest fetched (or its last good copy).
  const simulated = programme?.schedule ?? ingest.schedule();
  if (config.simulate > 0 && simulated !== undefined) {
    const boxes = await startSimulatedBoxes({
      ...{ count: config.simulate, event: config.event, dataDir: config.dataDir },
      mqttUrl: localMqttUrl(broker, config.bind),
      ...{ password: users.passwords.get(`${SIM_PREFIX}-1`) ?? '', logLevel: config.logLevel },
      logFormat: config.env.LIKEBOX_LOG_FORMAT,
      ...{ schedule: simulated, logger: log, simEnv: config.simEnv },
    });
    parts.push('simulator', () => boxes.stop());
  }
  return summarise(config, broker, http.url, influx, programme, users.created);
}

/** The live page, the API (`/api/v1/…`) and `/healthz`, `/metrics` of every part, on one HTTP port. */
async function startWeb(
  config: UpConfig,
  broker: RunningBroker,
  ingest: RunningIngest,
  passwords: Map<string, string>,
  influx: InfluxChoice,
  log: Logger,
) {
  const password = passwords.get(LIVE_PAGE_USER);
  const web = await createWebHandler(
    {
      event: config.event,
      mqttWsPort: broker.wsPort ?? config.wsPort,
      ...(password === undefined
        ? {}
        : { publicCredentials: { username: LIVE_PAGE_USER, password } }),
    },
    log.child({ module: 'web' }),
  );
  return startHttpServer({
    host: config.bind,
    port: config.httpPort,
    log: log.child({ module: 'http' }),
    routes: async (req, res) => (await ingest.api.handle(req, res)) || (await web(req, res)),
    health: () => {
      const checks = ingestChecks(ingest.health());
      return healthOf({
        broker: brokerCheck(broker.health()),
        ...checks,
        influx: { ...checks.influx, mode: influx.mode },
      });
    },
    registries: [broker.metrics, ingest.metrics],
  });
}
