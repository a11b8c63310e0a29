/**
 * Broker benchmark: the LikeBox broker (authentication and ACL on) against Mosquitto (Debian,
 * password file and ACL on), each in its own process, driven by the same MQTT.js load generator
 * in the same run.
 *
 *   npx tsc -b && npx tsx bench/brokerBench.ts                 # 3 runs per throughput figure
 *   BENCH_RUNS=1 BENCH_PER_PUBLISHER=5000 npx tsx bench/brokerBench.ts   # quicker
 *
 * Bare Aedes (no authentication, ACL, limits, metrics) runs too, as a third column: it tells what
 * the engine costs and what LikeBox adds on top.
 *
 * Prints delivered messages/s (10 publishers) and p50/p99 publish→receive latency at 2,000 msg/s
 * after a 1 s warm-up (medians of BENCH_RUNS runs each, the brokers taking turns within each run,
 * after one discarded warm-up round) for QoS 0 and QoS 1, the ratio
 * LikeBox/Mosquitto, the RSS of each broker with 1,000 connected boxes, and each target of issue 3
 * with PASS or MISS.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { hashPassword } from '@likebox/broker';
import { connectBoxes, type Latency, latency, type Target, throughput } from './brokerLoad.js';
import { PRODUCTION_ENV } from './processSettings.js';

const run = promisify(execFile);
const PASSWORD = 'bench-password-1';
const BOXES = 1000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PER_PUBLISHER = Number(process.env.BENCH_PER_PUBLISHER ?? 20_000);
const LATENCY_RATE = 2000;
const LATENCY_SECONDS = 5;
/** Load average when the bench started: other work on the machine skews every figure. */
const LOAD_AT_START = loadavg()[0] ?? 0;
interface Broker {
  name: string;
  target: Target;
  process: ChildProcess;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const socket = connect(port, '127.0.0.1');
    const ok = await new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      socket.once('error', () => resolve(false));
    });
    socket.destroy();
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** One scrypt hash shared by every bench user (hashing 1,000 passwords would take a minute). */
async function likeboxUsers(dir: string): Promise<string> {
  const hash = await hashPassword(PASSWORD);
  const users: Record<string, { role: string; hash: string }> = {
    ingest: { role: 'ingest', hash },
  };
  for (let i = 0; i < BOXES; i++) users[`box-${i}`] = { role: 'device', hash };
  const file = join(dir, 'users.json');
  await writeFile(file, JSON.stringify({ version: 1, users }), { mode: 0o600 });
  return file;
}

/** Aedes 1.x alone (no authentication, ACL, limits or metrics): what the engine itself does. */
async function startBareAedes(_dir: string): Promise<Broker> {
  const code = [
    "import { createServer } from 'node:net';",
    "import { Aedes } from 'aedes';",
    'const aedes = await Aedes.createBroker();',
    'const server = createServer({ noDelay: true }, aedes.handle);',
    "server.listen(0, '127.0.0.1', () => console.log(server.address().port));",
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, ...PRODUCTION_ENV },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { name: 'Aedes', target: { port: Number(line), password: PASSWORD }, process: child };
}

/** `likebox broker` as in production (compiled JS, process metrics on), HTTP and WebSocket off. */
async function startLikebox(dir: string): Promise<Broker> {
  await mkdir(dir, { recursive: true });
  const env = {
    ...process.env,
    ...PRODUCTION_ENV,
    LIKEBOX_USERS_FILE: await likeboxUsers(dir),
    LIKEBOX_MQTT_PORT: '0',
    LIKEBOX_WS_PORT: 'off',
    LIKEBOX_HTTP_PORT: 'off',
    // The per-client rate limit is a protection, not what is measured: set out of the way.
    LIKEBOX_MESSAGES_PER_SECOND: '1000000',
    LIKEBOX_MESSAGE_BURST: '1000000',
  };
  const bin = join(import.meta.dirname, '..', 'server', 'bin', 'likebox.js');
  const child = spawn(process.execPath, [bin, 'broker'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for await (const line of createInterface({ input: child.stdout! })) {
    const entry = JSON.parse(line) as { msg: string; mqttPort?: number };
    if (entry.msg === 'broker listening') {
      child.stdout!.resume();
      return {
        name: 'LikeBox',
        target: { port: entry.mqttPort!, password: PASSWORD },
        process: child,
      };
    }
  }
  throw new Error('likebox broker exited before listening');
}

async function startMosquitto(dir: string): Promise<Broker> {
  await mkdir(dir, { recursive: true });
  const passwd = join(dir, 'mosquitto.passwd');
  await run('mosquitto_passwd', ['-c', '-b', passwd, 'ingest', PASSWORD]);
  const lines = Array.from({ length: BOXES }, (_, i) => `box-${i}:${PASSWORD}`);
  await writeFile(join(dir, 'plain.passwd'), `${lines.join('\n')}\n`);
  await run('mosquitto_passwd', ['-U', join(dir, 'plain.passwd')]);
  await writeFile(
    passwd,
    (await readFile(passwd, 'utf8')) + (await readFile(join(dir, 'plain.passwd'), 'utf8')),
  );
  const acl = join(dir, 'mosquitto.acl');
  await writeFile(
    acl,
    [
      'user ingest',
      'topic read likebox/v1/demo/devices/+/vote',
      'pattern write likebox/v1/demo/devices/%u/vote',
      'pattern read likebox/v1/demo/devices/%u/ack',
      'pattern read likebox/v1/demo/devices/%u/config',
      'pattern read likebox/v1/demo/schedule',
      'pattern read likebox/v1/demo/rooms/+/now',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  await writeFile(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous false',
      `password_file ${passwd}`,
      `acl_file ${acl}`,
      'set_tcp_nodelay true',
      'persistence false',
      'max_queued_messages 1000000',
      'log_type none',
      '',
    ].join('\n'),
  );
  // Started as root, mosquitto drops to the `mosquitto` user: it must be able to read its files.
  await run('chmod', ['-R', 'a+rX', dir]);
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port);
  return { name: 'Mosquitto', target: { port, password: PASSWORD }, process: child };
}

async function rssMb(pid: number | undefined): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * Every figure of every broker, the brokers taking turns within each run: broker A's first run
 * is never the one that warms up the load generator (this process's MQTT.js, JIT-compiled as it
 * goes) while broker B gets it warm. One discarded round first warms the generator and the Node
 * brokers alike; at an event the broker has been running for hours.
 */
async function measureAll(brokers: Broker[]): Promise<Record<string, number>[]> {
  const results = brokers.map(() => ({}) as Record<string, number>);
  for (const broker of brokers) {
    await throughput(broker.target, 1, 10, PER_PUBLISHER / 4);
    await latency(broker.target, 1, LATENCY_RATE, 1);
  }
  for (const qos of [0, 1] as const) {
    const rates = brokers.map(() => [] as number[]);
    // One 5 s run's p99 is 50 bursts' worth of samples: a single GC pause moves it by a
    // millisecond, so the median of BENCH_RUNS runs is reported, as for throughput.
    const runs = brokers.map(() => [] as Latency[]);
    for (let r = 0; r < RUNS; r++) {
      for (const [i, broker] of brokers.entries())
        rates[i]!.push((await throughput(broker.target, qos, 10, PER_PUBLISHER)).perSecond);
      for (const [i, broker] of brokers.entries())
        runs[i]!.push(await latency(broker.target, qos, LATENCY_RATE, LATENCY_SECONDS));
    }
    for (const [i, result] of results.entries()) {
      result[`qos${qos} msg/s`] = median(rates[i]!);
      result[`qos${qos} p50 ms`] = median(runs[i]!.map((run) => run.p50));
      result[`qos${qos} p99 ms`] = median(runs[i]!.map((run) => run.p99));
    }
  }
  return results;
}

/** RSS of a fresh broker process, idle and then with 1,000 boxes connected and subscribed. */
async function memory(start: (dir: string) => Promise<Broker>, dir: string) {
  const broker = await start(dir);
  try {
    const idle = await rssMb(broker.process.pid);
    const boxes = await connectBoxes(broker.target, BOXES);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const loaded = await rssMb(broker.process.pid);
    await Promise.all(boxes.map((box) => box.endAsync(true)));
    return { 'RSS MB, idle': idle, [`RSS MB, ${BOXES} boxes`]: loaded };
  } finally {
    broker.process.kill('SIGTERM');
  }
}

function report(
  ours: Record<string, number>,
  theirs: Record<string, number>,
  bare: Record<string, number>,
): void {
  console.log(`\nLikeBox process settings: ${JSON.stringify(PRODUCTION_ENV)}`);
  console.log(
    `\n${RUNS} run(s), ${PER_PUBLISHER} msgs × 10 publishers, on this 2-core machine ` +
      `(1-min load average at start: ${LOAD_AT_START.toFixed(2)})`,
  );
  const cell = (v: number) => v.toFixed(v > 100 ? 0 : 2).padStart(12);
  console.log(
    `${'figure'.padEnd(22)}${'LikeBox'.padStart(12)}${'Mosquitto'.padStart(12)}${'ratio'.padStart(8)}` +
      `${'bare Aedes'.padStart(12)}`,
  );
  for (const key of Object.keys(ours)) {
    const [a, b, c] = [ours[key]!, theirs[key]!, bare[key]!];
    console.log(`${key.padEnd(22)}${cell(a)}${cell(b)}${(a / b).toFixed(2).padStart(8)}${cell(c)}`);
  }
  const checks: Array<[string, boolean]> = [
    ['QoS 1 throughput ≥ 0.9 × Mosquitto', ours['qos1 msg/s']! >= 0.9 * theirs['qos1 msg/s']!],
    ['QoS 0 throughput ≥ 0.75 × Mosquitto', ours['qos0 msg/s']! >= 0.75 * theirs['qos0 msg/s']!],
    ['QoS 1 p99 at 2,000 msg/s < 3 ms', ours['qos1 p99 ms']! < 3],
    [`RSS with ${BOXES} boxes < 120 MB`, ours[`RSS MB, ${BOXES} boxes`]! < 120],
  ];
  for (const [name, ok] of checks) console.log(`${ok ? 'PASS' : 'MISS'}  ${name}`);
}

const dir = await mkdtemp(join(tmpdir(), 'likebox-bench-'));
await chmod(dir, 0o755);
const brokers: Broker[] = [];
try {
  brokers.push(await startLikebox(join(dir, 'a')), await startMosquitto(join(dir, 'b')));
  brokers.push(await startBareAedes(dir));
  const [ours, theirs, bare] = (await measureAll(brokers)) as [
    Record<string, number>,
    Record<string, number>,
    Record<string, number>,
  ];
  for (const broker of brokers.splice(0)) broker.process.kill('SIGTERM');
  Object.assign(ours, await memory(startLikebox, join(dir, 'c')));
  Object.assign(theirs, await memory(startMosquitto, join(dir, 'd')));
  Object.assign(bare, await memory(startBareAedes, dir));
  report(ours, theirs, bare);
} finally {
  for (const broker of brokers) broker.process.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
