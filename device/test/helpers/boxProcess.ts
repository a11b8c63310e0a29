import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Vote } from '@likebox/protocol';
import { onTestFinished } from 'vitest';
import { PW } from './rig.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A box process and what it logged. */
export interface BoxProcess {
  child: ChildProcess;
  /** Port of its HTTP control. */
  port: number;
  /** Its pino log lines, parsed. */
  logs: Array<{ msg?: string; [key: string]: unknown }>;
}

/**
 * Starts the real box process (`node device/dist/main.js`, a virtual box with its HTTP control)
 * and resolves once the control listens and the boot guard is over; killed after the test.
 */
export async function spawnBox(
  dir: string,
  url: string,
  env: Record<string, string> = {},
): Promise<BoxProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      LIKEBOX_DEVICE_ID: 'box-1',
      LIKEBOX_MQTT_URL: url,
      LIKEBOX_MQTT_PASSWORD: PW.device,
      LIKEBOX_DATA_DIR: dir,
      LIKEBOX_ROOM: 'amphi-a',
      LIKEBOX_CONTROL_PORT: '0',
      LIKEBOX_BOOT_MS: '100',
      LIKEBOX_MIN_INTERVAL_MS: '20',
      LIKEBOX_ACK_TIMEOUT_S: '2',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => {
    child.kill('SIGKILL');
  });
  const logs: BoxProcess['logs'] = [];
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`box exited early with ${code}`)));
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; port?: number };
      logs.push(entry);
      if (entry.msg === 'virtual box control listening' && entry.port !== undefined)
        resolve(entry.port);
    });
  });
  await new Promise((r) => setTimeout(r, 150)); // past the boot guard
  return { child, port, logs };
}

/** Clicks a button through the HTTP control; the vote when it counted, else null. */
export async function click(port: number, button: 'like' | 'dislike'): Promise<Vote | null> {
  const res = await fetch(`http://127.0.0.1:${port}/buttons/${button}/click`, { method: 'POST' });
  const body = (await res.json()) as { counted?: Vote };
  return res.status === 200 && body.counted !== undefined ? body.counted : null;
}
