import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { filters, type Notice } from '@likebox/protocol';
import { eventually, tempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { expect, onTestFinished } from 'vitest';
import { LIKEBOX, type RunningUpProcess, startUpProcess, upEnv } from '../../src/testing.js';

/*
 * A rehearsal (`likebox up --simulate 6 --replay-now`) with an organiser reading its notices, for
 * the scenario and clean rehearsal tests.
 */

const ORGANISER = { user: 'orga', password: 'Orga-pw-5c1e9a77d3' };

/** Every message seen on `notices/+`: the payload, or null for a clearing (empty) one. */
export type NoticeLog = { at: number; id: string; notice: Notice | null }[];

/** A running rehearsal with an organiser reading its notices. */
export interface Rehearsal {
  up: RunningUpProcess;
  dataDir: string;
  started: number;
  log: NoticeLog;
  /** Waits until notice `id` is active; resolves with it and the seconds since `up` was ready. */
  raised(id: string, timeoutMs: number): Promise<{ notice: Notice; afterS: number }>;
  /** Waits until notice `id` was raised and then cleared; resolves with the seconds since ready. */
  cleared(id: string, timeoutMs: number): Promise<number>;
}

/** Starts `up --simulate 6 --replay-now` with `args` and `extra` variables, and subscribes. */
export async function rehearse(
  extra: Record<string, string>,
  args: string[] = [],
): Promise<Rehearsal> {
  const dataDir = await tempDir('likebox-scenario-');
  const env = upEnv(dataDir, { LIKEBOX_INFLUXD: 'off', ...extra });
  const up = await startUpProcess(env, ['--simulate', '6', '--replay-now', ...args]);
  const started = Date.now();
  await promisify(execFile)(
    process.execPath,
    [LIKEBOX, 'users', 'add', ORGANISER.user, '--role', 'organiser'].concat([
      '--password',
      ORGANISER.password,
    ]),
    { env, cwd: dataDir },
  );
  const organiser = await eventually(
    () =>
      mqtt
        .connectAsync(up.summary.mqttUrl, {
          username: ORGANISER.user,
          password: ORGANISER.password,
          reconnectPeriod: 0,
        })
        .catch(() => undefined),
    10_000,
  );
  onTestFinished(() => organiser.endAsync());
  const log: NoticeLog = [];
  organiser.on('message', (topic, payload) => {
    const notice = payload.length === 0 ? null : (JSON.parse(payload.toString()) as Notice);
    log.push({ at: Date.now(), id: topic.split('/').at(-1) ?? '', notice });
  });
  await organiser.subscribeAsync(filters.notices(up.summary.event), { qos: 1 });
  const since = () => Math.round((Date.now() - started) / 1000);
  const active = (id: string) => log.filter((e) => e.id === id).at(-1)?.notice ?? undefined;
  return {
    ...{ up, dataDir, started, log },
    raised: async (id, timeoutMs) => {
      const notice = await eventually(() => active(id), timeoutMs);
      return { notice, afterS: since() };
    },
    cleared: async (id, timeoutMs) => {
      await eventually(() => {
        const seen = log.filter((e) => e.id === id);
        return (seen.some((e) => e.notice !== null) && seen.at(-1)?.notice === null) || undefined;
      }, timeoutMs);
      return since();
    },
  };
}

/**
 * Runs `likebox ARGS` against the rehearsal as its organiser (a notice's suggestion, say); resolves
 * with what it wrote on stderr.
 */
export async function asOrganiser(r: Rehearsal, args: string[]): Promise<string> {
  const env = upEnv(r.dataDir, {
    ...{ LIKEBOX_MQTT_URL: r.up.summary.mqttUrl, LIKEBOX_EVENT: r.up.summary.event },
    ...{ LIKEBOX_MQTT_USERNAME: ORGANISER.user, LIKEBOX_MQTT_PASSWORD: ORGANISER.password },
  });
  const run = promisify(execFile);
  const { stderr } = await run(process.execPath, [LIKEBOX, ...args], { env, cwd: r.dataDir });
  return stderr;
}

/** Stops `up` (SIGINT) and reads its journal (locked while the ingest runs). */
export async function journalAfterStop<T>(r: Rehearsal, sql: string): Promise<T[]> {
  r.up.child.kill('SIGINT');
  expect((await r.up.exited).code).toBe(0);
  return journal<T>(r.dataDir, sql);
}

/** Reads the journal of a stopped `up`. */
export function journal<T>(dataDir: string, sql: string): T[] {
  const db = new Database(join(dataDir, 'ingest-journal.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** The ids of the notices ever raised. */
export function raisedIds(log: NoticeLog): string[] {
  return [...new Set(log.filter((e) => e.notice !== null).map((e) => e.id))].sort();
}
