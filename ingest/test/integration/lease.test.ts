import { join } from 'node:path';
import { type Lease, topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import { JournalInUseError } from '../../src/journalFiles.js';
import { LEASE_TTL_MS, LeaseError } from '../../src/lease.js';
import {
  connectAs,
  eventually,
  startTestBroker,
  tempDir,
  testConfig,
  waitForMessage,
  writeSchedule,
} from './harness.js';
import { journalSeqs, lossAndDoubles, range, testBox } from './scenario.js';

const NONE = { lost: 0, doubled: 0, missing: 0, extra: 0 };

/** Every message of the event the organiser sees from now on, by topic. */
async function recorder(url: string) {
  const client = await connectAs(url, 'organiser', 'recorder');
  const seen: { topic: string; payload: string; retain: boolean }[] = [];
  client.on('message', (topic, payload, packet) => {
    seen.push({ topic, payload: payload.toString(), retain: packet.retain });
  });
  await client.subscribeAsync('likebox/v1/test/#', { qos: 1 });
  return seen;
}

describe('one ingest per event', () => {
  it('refuses a second ingest on the event, naming the first, without touching its tallies or acks', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const schedule = await writeSchedule(dir, Date.now() - 20 * 60_000);
    const first = await startIngest(
      testConfig(join(dir, 'first'), broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: schedule }),
    );
    onTestFinished(() => first.stop());
    const box = await testBox(broker.mqttUrl, 'box-1', 'k3v9x0a1b2c4');
    await box.publish(1, 12);
    await eventually(async () => (box.confirmed() === 12 ? true : undefined));
    const watcher = await connectAs(broker.mqttUrl, 'organiser');
    const lease = await waitForMessage<Lease>(watcher, topics.lease('test'), () => true);
    const seen = await recorder(broker.mqttUrl);

    // Act
    const second = startIngest(
      testConfig(join(dir, 'second'), broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: schedule }),
    );
    const refusal = await second.then(
      (running) => running.stop().then(() => undefined),
      (err: unknown) => err,
    );
    await box.publish(13, 3);
    await eventually(async () => (box.confirmed() === 15 ? true : undefined));
    await eventually(async () =>
      seen.some((m) => m.topic.endsWith('/tally') && m.payload.includes('"likes":7'))
        ? true
        : undefined,
    );
    // Live messages only: the retained ones the recorder got on subscribing are from before.
    const live = seen.filter((m) => !m.retain);
    // The box votes in the amphi; the lab's tally (no vote) is republished too when its talk changes.
    const tallies = live
      .filter((m) => m.topic === topics.tally('test', 'amphi'))
      .map((m) => JSON.parse(m.payload));
    const leases = live.filter((m) => m.topic === topics.lease('test') && m.payload !== '');
    await first.stop();

    // Assess
    expect(refusal).toBeInstanceOf(LeaseError);
    expect((refusal as Error).message).toContain(
      `another ingest serves event test: ingest ${lease.id} on ${lease.host} (pid ${process.pid}`,
    );
    expect(lease.until - Date.now()).toBeLessThanOrEqual(LEASE_TTL_MS);
    expect(leases.every((m) => (JSON.parse(m.payload) as Lease).id === lease.id)).toBe(true);
    expect(tallies.length).toBeGreaterThan(0);
    // The first ingest's own tally of the first 12 votes may still be on its way when the recorder
    // subscribes; a partial tally of a second ingest would count only the 3 later votes.
    expect(tallies.every((t) => t.likes + t.dislikes >= 12)).toBe(true);
    expect(live.some((m) => m.topic.endsWith('/schedule'))).toBe(false);
    const stored = journalSeqs(join(dir, 'first', 'ingest-journal.sqlite'), 'box-1', box.epoch);
    expect(lossAndDoubles(range(15), box.confirmed(), stored)).toEqual(NONE);
  });

  it('refuses a standalone ingest on the event of a running likebox up (the ingest in process)', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const inUp = await startIngest(testConfig(join(dir, 'up'), broker.mqttUrl), { broker });
    onTestFinished(() => inUp.stop());

    // Act
    const standalone = await startIngest(testConfig(join(dir, 'standalone'), broker.mqttUrl)).then(
      (running) => running.stop().then(() => undefined),
      (err: unknown) => err,
    );

    // Assess
    expect(standalone).toBeInstanceOf(LeaseError);
    expect(inUp.health().lease).toEqual({ held: true, conflict: undefined });
  });

  it('starts once the other ingest stopped cleanly, and over a lease that lapsed', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const first = await startIngest(testConfig(join(dir, 'first'), broker.mqttUrl));
    await first.stop();
    const organiser = await connectAs(broker.mqttUrl, 'organiser');

    // Act
    const afterStop = await startIngest(testConfig(join(dir, 'second'), broker.mqttUrl));
    await afterStop.stop();
    const lapsed = { id: 'crashed', host: 'elsewhere', pid: 7, since: Date.now() - 90_000 };
    await organiser.publishAsync(
      topics.lease('test'),
      JSON.stringify({ ...lapsed, until: Date.now() - 1000 }),
      { qos: 1, retain: true },
    );
    const afterLapse = await startIngest(testConfig(join(dir, 'third'), broker.mqttUrl));
    onTestFinished(() => afterLapse.stop());

    // Assess
    expect(afterLapse.health().lease).toEqual({ held: true, conflict: undefined });
  });

  it('refuses a second ingest on the same journal file', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const first = await startIngest(testConfig(dir, broker.mqttUrl));
    onTestFinished(() => first.stop());

    // Act
    const second = await startIngest(testConfig(dir, broker.mqttUrl)).then(
      (running) => running.stop().then(() => undefined),
      (err: unknown) => err,
    );

    // Assess
    expect(second).toBeInstanceOf(JournalInUseError);
    expect((second as Error).message).toContain(`in use by process ${process.pid} on `);
  });

  it('fails its health when another ingest claims the event while it runs', async () => {
    // Prepare
    const dir = await tempDir();
    const broker = await startTestBroker(dir, []);
    const ingest = await startIngest(testConfig(dir, broker.mqttUrl));
    onTestFinished(() => ingest.stop());
    const organiser = await connectAs(broker.mqttUrl, 'organiser');
    const other = { id: 'other', host: 'elsewhere', pid: 7, since: Date.now() };

    // Act
    await organiser.publishAsync(
      topics.lease('test'),
      JSON.stringify({ ...other, until: Date.now() + LEASE_TTL_MS }),
      { qos: 1, retain: true },
    );
    await eventually(async () => (ingest.health().lease.conflict === undefined ? undefined : true));
    const healthz = await fetch(`${ingest.httpUrl}/healthz`);

    // Assess
    expect(healthz.status).toBe(503);
    expect(await healthz.json()).toMatchObject({
      status: 'failing',
      checks: { ingest: { status: 'failing', other: { id: 'other', host: 'elsewhere' } } },
    });
  });
});
