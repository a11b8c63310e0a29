import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectAs, PASSWORD, tempDir } from '../helpers.js';

const run = promisify(execFile);
const LIKEBOX = join(import.meta.dirname, '..', '..', '..', 'server', 'bin', 'likebox.js');

/** Runs `likebox …args` in its data folder (so that no `.env` of the repository is read). */
function likebox(args: string[], env: Record<string, string>, input?: string) {
  const child = spawn(process.execPath, [LIKEBOX, ...args], {
    env: { ...process.env, ...env },
    cwd: env.LIKEBOX_DATA_DIR,
  });
  if (input !== undefined) child.stdin.end(input);
  return child;
}

async function output(
  child: ReturnType<typeof likebox>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('likebox users and likebox broker', () => {
  it('manages users from the command line when the password comes on stdin', async () => {
    // Prepare
    const env = { LIKEBOX_DATA_DIR: await tempDir() };

    // Act
    const added = await output(
      likebox(['users', 'add', 'box-1', '--role', 'device'], env, `${PASSWORD}\n`),
    );
    const again = await output(
      likebox(['users', 'add', 'box-1', '--role', 'device', '--password', 'x'], env),
    );
    const { stdout } = await run(process.execPath, [LIKEBOX, 'users', 'list', '--json'], {
      env: { ...process.env, ...env },
      cwd: env.LIKEBOX_DATA_DIR,
    });

    // Assess
    expect(added).toMatchObject({ code: 0, stdout: 'added box-1 (device)\n' });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists/);
    expect(JSON.parse(stdout)).toEqual([{ name: 'box-1', role: 'device', weak: false }]);
  });

  it('refuses a weak password unless told to keep it, changes it and removes a user', async () => {
    // Prepare
    const env = { LIKEBOX_DATA_DIR: await tempDir() };
    await output(
      likebox(['users', 'add', 'box-1', '--role', 'device', '--password', PASSWORD], env),
    );

    // Act
    const refused = await output(likebox(['users', 'passwd', 'box-1'], env, 'password\n'));
    const passwd = await output(
      likebox(['users', 'passwd', 'box-1', '--allow-weak'], env, 'password\n'),
    );
    const listed = await output(likebox(['users', 'list'], env));
    const removed = await output(likebox(['users', 'remove', 'box-1'], env));
    const again = await output(likebox(['users', 'remove', 'box-1'], env));

    // Assess
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/too weak[\s\S]*fewer than 12[\s\S]*well-known default/);
    expect(passwd).toMatchObject({ code: 0, stdout: 'password of box-1 changed\n' });
    expect(passwd.stderr).toMatch(/weak .*well-known default.*refuse to listen beyond loopback/);
    expect(listed.stdout).toMatch(/box-1\s+device\s+-\s+WEAK PASSWORD/);
    expect(removed).toMatchObject({ code: 0, stdout: 'removed box-1\n' });
    expect(again).toMatchObject({ code: 1, stderr: 'likebox users: no such user: box-1\n' });
  });

  it('lists every configuration problem at once and exits 1 when the flags are bad', async () => {
    // Prepare
    const env = { LIKEBOX_DATA_DIR: await tempDir(), LIKEBOX_LOG_LEVEL: 'loud' };

    // Act
    const result = await output(likebox(['broker', '--mqtt-port', '99999', '--bogus'], env));

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--bogus[\s\S]*LIKEBOX_MQTT_PORT[\s\S]*LIKEBOX_LOG_LEVEL/);
  });

  it('serves MQTT, /healthz and /metrics, and exits 0 on SIGTERM', async () => {
    // Prepare
    const env = { LIKEBOX_DATA_DIR: await tempDir() };
    await output(
      likebox(['users', 'add', 'box-1', '--role', 'device', '--password', PASSWORD], env),
    );
    const child = likebox(
      ['broker', '--mqtt-port', '0', '--ws-port', 'off', '--http-port', '0'],
      env,
    );
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    const found: Record<string, string> = {};
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as { msg: string; mqttPort?: number; url?: string };
      if (entry.msg === 'broker listening') found.mqtt = `mqtt://127.0.0.1:${entry.mqttPort}`;
      if (entry.msg === 'http listening') found.http = entry.url ?? '';
      if (found.mqtt !== undefined && found.http !== undefined) break;
    }

    // Act
    const box = await connectAs(found.mqtt!, 'box-1');
    const health = await (await fetch(`${found.http}/healthz`)).json();
    const metrics = await (await fetch(`${found.http}/metrics`)).text();
    await box.endAsync();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    // Assess
    expect(health).toMatchObject({
      status: 'ok',
      checks: { broker: { status: 'ok', clients: 1, cluster: false } },
    });
    expect(metrics).toMatch(/likebox_broker_clients\{role="device"\} 1/);
    expect(metrics).toMatch(/process_resident_memory_bytes/);
    expect(code).toBe(0);
  });
});
