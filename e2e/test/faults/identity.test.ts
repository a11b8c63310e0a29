import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { topics } from '@likebox/protocol';
import { tempDir } from '@likebox/runtime/testing';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { type FaultBox, startBox } from './boxes.js';
import { report } from './counts.js';
import { confirmedBy, fileInfluxd, mqttClient, settle, upWithBoxes } from './rig.js';
import { upServer } from './server.js';

const influx = fileInfluxd();

describe('fault suite: vote identity', () => {
  it('re-flashed box', async () => {
    // Prepare: a box whose votes reached the server
    const { server, proxy, boxes } = await upWithBoxes(influx.url, 'reflashed', { proxy: true });
    const [box] = boxes as [FaultBox];
    await box.press(30);
    await box.drained();
    const firstEpoch = (await box.status()).epoch;

    // Act: a new SD card (outbox gone), booted and pressed before it reaches the server
    await box.process.kill();
    await rm(box.options.dir, { recursive: true, force: true });
    proxy.setOffline(true);
    await box.restart();
    const pressed = await box.press(30);
    const status = await box.status();
    proxy.setOffline(false);

    // Assess: seq restarted at 1 in a new epoch; both lives stored
    expect(status.epoch).not.toBe(firstEpoch);
    // Seq restarted at 1: 30 presses at most, and every confirmed one (a press the gate took as a
    // chord on a loaded machine is not counted; one slower than the control's wait is stored).
    expect(status.lastSeq).toBeGreaterThanOrEqual(pressed);
    expect(status.lastSeq).toBeLessThanOrEqual(30);
    const counts = await settle(server, [box]);
    report('re-flashed box', counts, 'new epoch, seq 1..30 again, sent after boot offline');
  });

  it('two boxes, one id', async () => {
    // Prepare: two boxes configured with the same id (a cloned image), each its own outbox
    const dir = await tempDir('likebox-fault-');
    const server = await upServer({
      dir,
      influxUrl: influx.url,
      database: 'shared_id',
      boxes: ['box-1'],
    });
    const boxes = await Promise.all(
      ['a', 'b'].map((name) => startBox({ id: 'box-1', dir: join(dir, name), url: server.url })),
    );

    // Act: both press at once
    await Promise.all(boxes.map((box) => box.press(60)));

    // Assess: both raised the shared id; neither lost a vote
    const statuses = await Promise.all(boxes.map((box) => box.status()));
    const counts = await settle(server, boxes);
    expect(statuses.some((s) => s.sharedId === true)).toBe(true);
    report('two boxes, one id', counts, 'two epochs, both stored; the boxes said "shared id"');
  });

  it('wiped server journal', async () => {
    // Prepare: votes stored and acknowledged
    const { server, boxes } = await upWithBoxes(influx.url, 'wiped');
    const [box] = boxes as [FaultBox];
    await box.press(30);
    await box.drained();
    await server.influxHolds(box.confirmed);

    // Act: the journal is lost; up starts on an empty one; the box keeps pressing
    await server.finish();
    for (const suffix of ['', '-wal', '-shm', '.lock'])
      await rm(`${server.journalFile}${suffix}`, { force: true });
    const before = new Set(box.confirmed);
    await server.start();
    await box.press(30);

    // Assess: the outbox empties (no re-sending forever); the new journal holds the new votes
    const counts = await settle(server, [box]);
    const after = confirmedBy([box]).filter((id) => !before.has(id));
    report(
      'wiped server journal',
      { ...counts, journalMustHold: after },
      'journal holds the 30 after the wipe; outbox drained',
    );
  });

  it('forged ack seq 2^53-1', async () => {
    // Prepare: a box offline with votes waiting
    const { server, proxy, boxes } = await upWithBoxes(influx.url, 'forged_ack', { proxy: true });
    const [box] = boxes as [FaultBox];
    await box.press(10);
    await box.drained();
    proxy.setOffline(true);
    await box.press(30);
    const { epoch } = await box.status();

    // Act: an organiser account leaves a retained ack of 2^53-1 for the box's epoch; it comes back
    const organiser = await mqttClient(server.url, 'organiser');
    const forged = JSON.stringify({ seq: Number.MAX_SAFE_INTEGER, epoch });
    await organiser.publishAsync(topics.ack('demo', 'box-1'), forged, { qos: 1, retain: true });
    proxy.setOffline(false);
    await box.press(10);

    // Assess: the box ignored it (reported), kept and sent its votes
    const counts = await settle(server, [box]);
    const { badAcks } = await box.status();
    expect(badAcks).toBeGreaterThan(0);
    report('forged ack seq 2^53-1', counts, `ignored by the box (badAcks ${badAcks})`);
  });

  it('vote seq 2^53-1', async () => {
    // Prepare: a box pressing, and another device account that sends one absurd seq
    const dir = await tempDir('likebox-fault-');
    const ids = ['box-1', 'box-2'];
    const server = await upServer({ dir, influxUrl: influx.url, database: 'huge_seq', boxes: ids });
    const box = await startBox({ id: 'box-1', dir: join(dir, 'box-1'), url: server.url });
    const rogue = await mqttClient(server.url, 'box-2');

    // Act
    await box.press(20);
    const vote = {
      seq: Number.MAX_SAFE_INTEGER,
      value: 1,
      at: Date.now(),
      room: 'amphi',
      synced: true,
    };
    await rogue.publishAsync(topics.vote('demo', 'box-2'), JSON.stringify(vote), { qos: 1 });
    await box.press(20);
    await box.drained();
    const health = await fetch(server.healthUrl());

    // Assess: dead-lettered, never stored, health not stuck
    const counts = await settle(server, [box]);
    const db = new Database(server.journalFile, { readonly: true });
    const deadLetters = db.prepare('SELECT count(*) FROM dead_letters').pluck().get() as number;
    db.close();
    expect(health.status).toBe(200);
    expect(deadLetters).toBe(1);
    report('vote seq 2^53-1', counts, 'dead-lettered (1), not stored; /healthz 200');
  });
});
