/**
 * Process part of the box benchmark (run through bench/device.ts): idle CPU and RSS of the real box
 * process (`node device/dist/main.js`, virtual IO, no network, a long title scrolling on the LCD),
 * read from /proc, against a bare `node` process measured the same way in the same run.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Schedule } from '@likebox/protocol';
import { Outbox } from '../device/src/outbox.js';

const MAIN = fileURLToPath(new URL('../device/dist/main.js', import.meta.url));
const TICKS_PER_S = 100; // USER_HZ on Linux
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU (% of a core) and RSS (MB) of one process. */
export interface ProcessFigures {
  cpu: number;
  rssMb: number;
}

function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1000;
}

async function sample(child: ChildProcess, ms: number): Promise<ProcessFigures> {
  const pid = child.pid!;
  const before = cpuTicks(pid);
  await sleep(ms);
  const cpu = ((cpuTicks(pid) - before) / TICKS_PER_S / (ms / 1000)) * 100;
  return { cpu, rssMb: rssMb(pid) };
}

/** A bare Node process with a timer, as the reference. */
export async function bareNode(ms: number): Promise<ProcessFigures> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await sleep(1000);
  const figures = await sample(child, ms);
  child.kill();
  return figures;
}

/** Node options of infra/pi/likebox-box.service: a 1 MB young generation, one V8 worker. */
export const UNIT_NODE_OPTIONS = '--max-semi-space-size=1 --v8-pool-size=1';

/** Starts the box process with `schedule` cached, lets it settle, presses 20 times, then samples idle. */
export async function boxProcess(
  dir: string,
  schedule: Schedule,
  ms: number,
  nodeOptions = '',
): Promise<ProcessFigures> {
  const cache = Outbox.open(join(dir, 'box-box-1.sqlite'));
  cache.cacheSet('schedule', schedule);
  cache.close();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: nodeOptions,
      UV_THREADPOOL_SIZE: nodeOptions === '' ? '4' : '2',
      LIKEBOX_DEVICE_ID: 'box-1',
      LIKEBOX_EVENT: schedule.event,
      LIKEBOX_ROOM: schedule.rooms[0]?.slug ?? 'amphi-a',
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_MQTT_URL: 'mqtt://127.0.0.1:1',
      LIKEBOX_CONTROL_PORT: '0',
      LIKEBOX_CLOCK_SYNCED: 'true',
      LIKEBOX_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      if (entry.msg === 'virtual box control listening' && entry.port !== undefined)
        resolve(entry.port);
    });
  });
  await sleep(2500);
  for (let i = 0; i < 20; i++) {
    await fetch(`http://127.0.0.1:${port}/buttons/${i % 2 ? 'like' : 'dislike'}/click`, {
      method: 'POST',
    });
    await sleep(200);
  }
  await sleep(2000);
  const lcd = await (await fetch(`http://127.0.0.1:${port}/lcd`)).text();
  const figures = await sample(child, ms);
  child.kill('SIGTERM');
  if (nodeOptions === '') console.log(`box process LCD while idle:\n${lcd}`);
  return figures;
}
