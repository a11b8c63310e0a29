import type { Notice, Status, Vote } from '@likebox/protocol';
import { filters, topics } from '@likebox/protocol';
import type { MqttClient } from 'mqtt';
import { onTestFinished } from 'vitest';
import { type RunningIngest, startIngest } from '../../src/ingest.js';
import {
  connectAs,
  eventually,
  startTestBroker,
  tempDir,
  testConfig,
  writeSchedule,
} from './harness.js';

/** Every message seen on `notices/+`: the payload, or null for a clearing (empty) one. */
export type NoticeLog = { id: string; notice: Notice | null }[];

/** A broker, an ingest with talk `t1` open in `amphi`, and an organiser reading the notices. */
export interface NoticeChain {
  dir: string;
  brokerUrl: string;
  /** The ingest's configuration: start another ingest with it to restart. */
  config: ReturnType<typeof testConfig>;
  ingest: RunningIngest;
  journalFile: string;
  organiser: MqttClient;
  log: NoticeLog;
  /** Waits until the notice `id` is active (raised, not cleared since). */
  raised(id: string, timeoutMs?: number): Promise<Notice>;
  /** Waits until the notice `id` was raised and then cleared. */
  cleared(id: string, timeoutMs?: number): Promise<void>;
}

/**
 * Starts the chain with the given extra variables (notice thresholds); talk `t1` of `amphi` lasts
 * an hour from `start` (default: 30 min ago).
 */
export async function startNoticeChain(
  boxes: string[],
  env: Record<string, string>,
  start = Date.now() - 30 * 60_000,
): Promise<NoticeChain> {
  const dir = await tempDir();
  const broker = await startTestBroker(dir, boxes);
  const schedule = await writeSchedule(dir, start);
  const config = testConfig(dir, broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: schedule, ...env });
  const ingest = await startIngest(config);
  onTestFinished(() => ingest.stop());
  const organiser = await connectAs(broker.mqttUrl, 'organiser');
  const log: NoticeLog = [];
  organiser.on('message', (topic, payload) => {
    const id = topic.split('/').at(-1) ?? '';
    if (!topic.includes('/notices/')) return;
    log.push({
      id,
      notice: payload.length === 0 ? null : (JSON.parse(payload.toString()) as Notice),
    });
  });
  await organiser.subscribeAsync(filters.notices('test'), { qos: 1 });
  const active = (id: string) => log.filter((e) => e.id === id).at(-1)?.notice ?? undefined;
  return {
    ...{ dir, brokerUrl: broker.mqttUrl, config, ingest, journalFile: config.journalFile },
    ...{ organiser, log },
    raised: (id, timeoutMs = 20_000) => eventually(() => active(id), timeoutMs),
    cleared: async (id, timeoutMs = 20_000) => {
      await eventually(() => {
        const seen = log.filter((e) => e.id === id);
        const wasRaised = seen.some((e) => e.notice !== null);
        return wasRaised && seen.at(-1)?.notice === null ? true : undefined;
      }, timeoutMs);
    },
  };
}

/** A box's live status. */
export function status(outbox: number): Status {
  return { online: true, outbox, version: 'test', uptime: 10 };
}

/** Publishes a status of `device`. */
export async function publishStatus(box: MqttClient, device: string, s: Status): Promise<void> {
  await box.publishAsync(topics.status('test', device), JSON.stringify(s), {
    qos: 1,
    retain: true,
  });
}

/** Votes of one value, seqs `from`…, pressed at `start` + i × `gapMs`, room `amphi`. */
export function paced(
  from: number,
  n: number,
  value: 1 | -1,
  start: number,
  gapMs: number,
): Vote[] {
  return Array.from({ length: n }, (_, i) => ({
    ...{ seq: from + i, value, at: start + i * gapMs },
    ...{ room: 'amphi', synced: true },
  }));
}
