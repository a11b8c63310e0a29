import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { addUser } from '@likebox/broker';
import { freePort } from '@likebox/influx';
import { eventually } from '@likebox/runtime/testing';
import { type RunningUpProcess, startUpProcess, upEnv } from '@likebox/server/testing';
import { PASSWORD } from './boxes.js';
import { type Identity, influxIdentities, journalIdentities } from './counts.js';
import { type CommandProcess, spawnLikebox } from './processes.js';

/** The event server of a scenario: `likebox up`, or a `likebox broker` and a `likebox ingest`. */
export interface FaultServer {
  /** `mqtt://127.0.0.1:{port}`, the same across restarts (boxes reconnect to it). */
  url: string;
  /** The MQTT port. */
  port: number;
  /** The InfluxDB database of the scenario. */
  database: string;
  /** The journal file. */
  journalFile: string;
  /** Where the ingest's data lives (journal). */
  ingestDir: string;
  /** The ingest's `/healthz` URL (the current process). */
  healthUrl(): string;
  /** The processes now running: `[up]` or `[broker, ingest]`. */
  processes(): CommandProcess[] | RunningUpProcess[];
  /** Starts (again) whatever is not running. */
  start(): Promise<void>;
  /** Waits until InfluxDB holds every identity of `ids` (the writer's batches are done). */
  influxHolds(ids: Iterable<Identity>, timeoutMs?: number): Promise<void>;
  /** Stops everything cleanly and reads the journal and InfluxDB. */
  finish(): Promise<{ journal: Identity[]; influx: Identity[] }>;
}

/** Options shared by both kinds of server. */
export interface ServerOptions {
  /** The scenario's folder. */
  dir: string;
  /** The InfluxDB every scenario of a file shares (one database per scenario). */
  influxUrl: string;
  /** The scenario's database. */
  database: string;
  /** Device accounts to create. */
  boxes: string[];
  /** Extra variables. */
  env?: Record<string, string>;
  /** `up`'s data folder (default `{dir}/up`): a small tmpfs to fill, for instance. */
  dataDir?: string;
}

async function writeUsers(usersFile: string, boxes: string[]): Promise<void> {
  for (const box of boxes) await addUser(usersFile, box, 'device', PASSWORD);
  await addUser(usersFile, 'ingest', 'ingest', PASSWORD);
  await addUser(usersFile, 'organiser', 'organiser', PASSWORD);
}

function common(o: ServerOptions, port: number, journalFile: string) {
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    database: o.database,
    journalFile,
    async influxHolds(ids: Iterable<Identity>, timeoutMs = 60_000) {
      const want = [...ids];
      await eventually(async () => {
        const held = new Set(await influxIdentities(o.influxUrl, o.database));
        return want.every((id) => held.has(id)) ? true : undefined;
      }, timeoutMs);
    },
  };
}

/** `likebox up` (broker, ingest and live page in one process) on a fixed free MQTT port. */
export async function upServer(o: ServerOptions): Promise<FaultServer> {
  const dataDir = o.dataDir ?? join(o.dir, 'up');
  await writeUsers(join(dataDir, 'users.json'), o.boxes);
  const port = await freePort();
  const env = upEnv(dataDir, {
    ...{ LIKEBOX_EVENT: 'demo', LIKEBOX_MQTT_PORT: String(port) },
    ...{ LIKEBOX_INFLUX_URL: o.influxUrl, LIKEBOX_INFLUX_DATABASE: o.database },
    ...o.env,
  });
  let up: RunningUpProcess | undefined;
  const alive = () =>
    up !== undefined && up.child.exitCode === null && up.child.signalCode === null;
  const journalFile = join(dataDir, 'ingest-journal.sqlite');
  const server: FaultServer = {
    ...common(o, port, journalFile),
    ingestDir: dataDir,
    healthUrl: () => `${up?.summary.httpUrl.replace(/\/$/, '')}/healthz`,
    processes: () => (up === undefined ? [] : [up]),
    async start() {
      if (!alive()) up = await startUpProcess(env);
    },
    async finish() {
      if (alive() && up !== undefined) {
        up.child.kill('SIGTERM');
        await up.exited;
      }
      return {
        journal: journalIdentities(journalFile),
        influx: await influxIdentities(o.influxUrl, o.database),
      };
    },
  };
  await server.start();
  return server;
}

/** A standalone server: a `likebox broker` process and a `likebox ingest` process, each killable. */
export interface StandaloneServer extends FaultServer {
  /** The broker process now running. */
  broker(): CommandProcess;
  /** The ingest process now running. */
  ingest(): CommandProcess;
}

/** Starts `likebox broker` on a fixed free MQTT port and `likebox ingest` against it. */
export async function standaloneServer(o: ServerOptions): Promise<StandaloneServer> {
  const brokerDir = join(o.dir, 'broker');
  const ingestDir = join(o.dir, 'ingest');
  await mkdir(ingestDir, { recursive: true, mode: 0o700 });
  await writeUsers(join(brokerDir, 'users.json'), o.boxes);
  const port = await freePort();
  const base = { LIKEBOX_EVENT: 'demo', LIKEBOX_HTTP_PORT: '0', ...o.env };
  const brokerEnv = {
    ...base,
    LIKEBOX_DATA_DIR: brokerDir,
    LIKEBOX_MQTT_PORT: String(port),
    LIKEBOX_WS_PORT: '0',
  };
  const ingestEnv = {
    ...base,
    ...{ LIKEBOX_DATA_DIR: ingestDir, LIKEBOX_MQTT_URL: `mqtt://127.0.0.1:${port}` },
    ...{ LIKEBOX_MQTT_USERNAME: 'ingest', LIKEBOX_MQTT_PASSWORD: PASSWORD },
    ...{ LIKEBOX_INFLUX_URL: o.influxUrl, LIKEBOX_INFLUX_DATABASE: o.database },
  };
  let broker: CommandProcess | undefined;
  let ingest: (CommandProcess & { ready: Record<string, unknown> }) | undefined;
  const alive = (p: CommandProcess | undefined) =>
    p !== undefined && p.child.exitCode === null && p.child.signalCode === null;
  const journalFile = join(ingestDir, 'ingest-journal.sqlite');
  const server: StandaloneServer = {
    ...common(o, port, journalFile),
    ingestDir,
    healthUrl: () => `${String(ingest?.ready.httpUrl).replace(/\/$/, '')}/healthz`,
    processes: () => [broker, ingest].filter((p) => p !== undefined),
    broker: () => broker as CommandProcess,
    ingest: () => ingest as CommandProcess,
    async start() {
      if (!alive(broker)) {
        broker = await spawnLikebox(
          'broker',
          brokerEnv,
          brokerDir,
          (e) => e.msg === 'broker listening',
        );
      }
      if (!alive(ingest)) {
        ingest = await spawnLikebox(
          'ingest',
          ingestEnv,
          ingestDir,
          (e) => e.msg === 'ingest started',
        );
      }
    },
    async finish() {
      await ingest?.stop();
      await broker?.stop();
      return {
        journal: journalIdentities(journalFile),
        influx: await influxIdentities(o.influxUrl, o.database),
      };
    },
  };
  await server.start();
  return server;
}
