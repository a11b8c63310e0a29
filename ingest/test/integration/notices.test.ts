import { join } from 'node:path';
import { startManagedInfluxd } from '@likebox/influx';
import { NoticesAnswer, topics } from '@likebox/protocol';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import { fullDisk } from './fullDisk.js';
import {
  basicAuth,
  connectAs,
  eventually,
  influxNumber,
  PASSWORD,
  publishVotes,
  startTestBroker,
  tempDir,
  testConfig,
  votes,
  waitForMessage,
} from './harness.js';
import { paced, publishStatus, startNoticeChain, status } from './noticeHarness.js';

const QUICK = {
  LIKEBOX_NOTICE_MISUSE_HOLD_S: '3',
  LIKEBOX_NOTICE_SILENT_S: '2',
  LIKEBOX_NOTICE_OUTBOX_S: '2',
  LIKEBOX_NOTICE_OUTBOX_RISE: '10',
};

function flags(file: string): Record<string, string | null> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare('SELECT device, seq, flag FROM votes').all() as {
      device: string;
      seq: number;
      flag: string | null;
    }[];
    return Object.fromEntries(rows.map((r) => [`${r.device}#${r.seq}`, r.flag]));
  } finally {
    db.close();
  }
}

describe('notices', () => {
  it('flags a troll and a stuck button, raises their notices within 20 s and clears them after the hold; a normal box stays counted', async () => {
    // Prepare
    const chain = await startNoticeChain(['box-1', 'box-2', 'box-3'], QUICK);
    const troll = await connectAs(chain.brokerUrl, 'box-1');
    const normal = await connectAs(chain.brokerUrl, 'box-2');
    const stuck = await connectAs(chain.brokerUrl, 'box-3');
    const now = Date.now();

    // Act: +1 every minute for six minutes; 10 mixed votes; 25 × +1 within 400 ms each.
    await publishVotes(troll, 'test', 'box-1', paced(1, 6, 1, now - 6 * 60_000, 60_000));
    await publishVotes(normal, 'test', 'box-2', votes(1, 10, now - 60_000));
    await publishVotes(stuck, 'test', 'box-3', paced(1, 25, 1, now - 30_000, 400));
    const misuse = await chain.raised('misuse-box-1');
    const stuckButton = await chain.raised('stuck-button-box-3');
    const url = `${chain.ingest.httpUrl}/api/v1/notices`;
    const anonymous = await fetch(url);
    const asBox = await fetch(url, { headers: { authorization: basicAuth('box-1', PASSWORD) } });
    const listed = NoticesAnswer.parse(
      await (
        await fetch(url, { headers: { authorization: basicAuth('organiser', PASSWORD) } })
      ).json(),
    );
    const tally = await waitForMessage<{ likes: number; dislikes: number }>(
      chain.organiser,
      topics.tally('test', 'amphi'),
      (t) => t.likes === 5 && t.dislikes === 5,
    );
    await chain.cleared('misuse-box-1');
    await chain.cleared('stuck-button-box-3');
    await chain.ingest.stop();

    // Assess
    expect(misuse).toMatchObject({ kind: 'misuse', severity: 'warning', subject: 'box-1' });
    expect(misuse.message).toMatch(/6 votes set aside/);
    expect(stuckButton).toMatchObject({ kind: 'stuck-button', subject: 'box-3' });
    expect(tally).toMatchObject({ likes: 5, dislikes: 5 });
    expect(anonymous.status).toBe(401);
    expect(asBox.status).toBe(403);
    expect(listed.notices.map((n) => n.id)).toEqual(
      expect.arrayContaining(['misuse-box-1', 'stuck-button-box-3']),
    );
    const stored = flags(chain.journalFile);
    expect(Object.keys(stored)).toHaveLength(41);
    for (let seq = 1; seq <= 6; seq++) expect(stored[`box-1#${seq}`]).toBe('steady');
    for (let seq = 1; seq <= 25; seq++) expect(stored[`box-3#${seq}`]).toBe('stuck-button');
    for (let seq = 1; seq <= 10; seq++) expect(stored[`box-2#${seq}`]).toBeNull();
  }, 60_000);

  it('raises stuck-button from a box status listing a held button, and clears it when the list empties', async () => {
    // Prepare
    const chain = await startNoticeChain(['box-8'], QUICK);
    const box = await connectAs(chain.brokerUrl, 'box-8');

    // Act: no vote at all (a held button gives none), only the status.
    await publishStatus(box, 'box-8', { ...status(0), stuck: ['like'] });
    const raised = await chain.raised('stuck-button-box-8');
    await publishStatus(box, 'box-8', { ...status(0), stuck: [] });
    await chain.cleared('stuck-button-box-8');

    // Assess
    expect(raised).toMatchObject({ kind: 'stuck-button', severity: 'warning', subject: 'box-8' });
    expect(raised.message).toMatch(/like button has been held closed/);
  }, 60_000);

  it('raises and clears box-silent and outbox-growing from box statuses, and a sinking talk from its votes', async () => {
    // Prepare
    const chain = await startNoticeChain(['box-4', 'box-5', 'box-6', 'box-7'], QUICK);
    const quiet = await connectAs(chain.brokerUrl, 'box-4');
    const stuckOutbox = await connectAs(chain.brokerUrl, 'box-5');
    const critics = await connectAs(chain.brokerUrl, 'box-6');
    const fans = await connectAs(chain.brokerUrl, 'box-7');
    const now = Date.now();

    // Act
    await publishStatus(quiet, 'box-4', status(0));
    const silent = await chain.raised('box-silent-box-4');
    await publishStatus(quiet, 'box-4', status(0));
    await chain.cleared('box-silent-box-4');
    for (const depth of [0, 4, 8, 12, 16, 20]) {
      await publishStatus(stuckOutbox, 'box-5', status(depth));
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    const outbox = await chain.raised('outbox-growing-box-5');
    await publishStatus(stuckOutbox, 'box-5', status(0));
    await chain.cleared('outbox-growing-box-5');
    await publishVotes(critics, 'test', 'box-6', paced(1, 25, -1, now - 120_000, 3000));
    const sinking = await chain.raised('talk-sinking-t1');
    await publishVotes(fans, 'test', 'box-7', paced(1, 60, 1, now - 200_000, 3000));
    await chain.cleared('talk-sinking-t1');

    // Assess
    expect(silent).toMatchObject({ kind: 'box-silent', subject: 'box-4' });
    expect(outbox).toMatchObject({ kind: 'outbox-growing', subject: 'box-5' });
    expect(outbox.message).toMatch(/holds 2\d unconfirmed votes|holds 1\d unconfirmed votes/);
    expect(sinking).toMatchObject({ kind: 'talk-sinking', subject: 't1', severity: 'info' });
  }, 90_000);

  it('rewrites flagged votes in InfluxDB (value 0, flagged ±1, the reason) and leaves them out of vote_1m; raises influx-unreachable while InfluxDB is down, and clears it', async () => {
    // Prepare
    const dir = await tempDir();
    const influxd0 = await startManagedInfluxd({ dataDir: join(dir, 'influxd') });
    let influxd = influxd0;
    onTestFinished(() => influxd.stop());
    const chain = await startNoticeChain(['box-1'], {
      ...QUICK,
      LIKEBOX_INFLUX_URL: influxd.url,
      LIKEBOX_INFLUX_DATABASE: 'flags',
      LIKEBOX_NOTICE_INFLUX_S: '2',
    });
    const troll = await connectAs(chain.brokerUrl, 'box-1');
    const start = Date.now() - 6 * 60_000;
    const q = (text: string) => influxNumber(influxd.url, 'flags', text);

    // Act
    await publishVotes(troll, 'test', 'box-1', paced(1, 6, 1, start, 60_000));
    await chain.raised('misuse-box-1');
    await eventually(async () => (await q('SELECT sum("flagged") FROM "vote"')) === 6 || undefined);
    const counted = await q('SELECT sum("value") FROM "vote"');
    const presses = await q('SELECT count("seq") FROM "vote"');
    const rollup = await q('SELECT sum("votes") FROM "vote_1m"');
    await influxd.stop();
    const down = await chain.raised('influx-unreachable');
    influxd = await startManagedInfluxd({ dataDir: join(dir, 'influxd'), port: influxd0.port });
    await chain.cleared('influx-unreachable', 30_000);

    // Assess
    expect(counted).toBe(0);
    expect(presses).toBe(6);
    expect(rollup).toBe(0);
    expect(down).toMatchObject({ kind: 'influx-unreachable', severity: 'critical' });
  }, 120_000);

  it('raises journal-full while commits fail for lack of space, and clears it once space returns', async () => {
    // Prepare
    const disk = fullDisk('journal.sqlite');
    const dir = await tempDir();
    const broker = await startTestBroker(dir, ['box-1']);
    const config = testConfig(dir, broker.mqttUrl, {
      LIKEBOX_JOURNAL_FILE: join(disk.dir, 'journal.sqlite'),
      LIKEBOX_NOTICE_DISK_FREE_MB: '0',
    });
    const ingest = await startIngest(config, { journal: disk.journal });
    onTestFinished(() => ingest.stop());
    const organiser = await connectAs(broker.mqttUrl, 'organiser');
    const box = await connectAs(broker.mqttUrl, 'box-1');
    const topic = topics.notice('test', 'journal-full');

    // Act
    disk.fill();
    const raised = waitForMessage<{ kind: string }>(organiser, topic, () => true);
    const sent = publishVotes(box, 'test', 'box-1', votes(1, 50, Date.now() - 1000));
    const notice = await raised;
    const cleared = new Promise<void>((resolve) =>
      organiser.on('message', (t, payload) => {
        if (t === topic && payload.length === 0) resolve();
      }),
    );
    disk.free();
    await sent;
    await cleared;

    // Assess
    expect(notice).toMatchObject({
      kind: 'journal-full',
      severity: 'critical',
      subject: 'journal',
    });
  }, 60_000);
});
