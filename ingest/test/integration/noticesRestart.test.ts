import { encodePayload, filters, type Notice, topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  connectAs,
  INGEST_LINKS,
  publishVotes,
  startTestBroker,
  tempDir,
  testConfig,
  writeSchedule,
} from './harness.js';
import { paced, startNoticeChain } from './noticeHarness.js';

/** The notice ids the broker holds retained now, read by a fresh organiser connection. */
async function retainedNotices(brokerUrl: string): Promise<string[]> {
  const reader = await connectAs(brokerUrl, 'organiser', `reader-${Date.now()}`);
  const ids: string[] = [];
  reader.on('message', (topic, payload, packet) => {
    if (packet.retain && payload.length > 0) ids.push(topic.split('/').at(-1) ?? '');
  });
  await reader.subscribeAsync(filters.notices('test'), { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await reader.endAsync();
  return ids;
}

describe('notices across a restart', () => {
  it('clears a notice the previous run left retained once the new run does not raise it', async () => {
    // Prepare: a chattering button (25 likes 300 ms apart) raises stuck-button, held 10 minutes.
    const chain = await startNoticeChain(['box-3'], { LIKEBOX_NOTICE_MISUSE_HOLD_S: '600' });
    const box = await connectAs(chain.brokerUrl, 'box-3');
    await publishVotes(box, 'test', 'box-3', paced(1, 25, 1, Date.now() - 30_000, 300));
    await chain.raised('stuck-button-box-3');
    await chain.ingest.stop();
    const leftBehind = await retainedNotices(chain.brokerUrl);

    // Act: the next run starts with no memory of the pattern (it is in the flags, not notices).
    const restarted = await startIngest(chain.config);
    onTestFinished(() => restarted.stop());
    await chain.cleared('stuck-button-box-3');

    // Assess
    expect(leftBehind).toEqual(['stuck-button-box-3']);
    expect(await retainedNotices(chain.brokerUrl)).toEqual([]);
  }, 60_000);

  for (const { link, start } of INGEST_LINKS) {
    it(`clears a notice left retained for a box the new run finds well (${link})`, async () => {
      // Prepare: what a run killed while box-9 was silent left on the broker.
      const dir = await tempDir();
      const broker = await startTestBroker(dir, ['box-9']);
      const previous = await connectAs(broker.mqttUrl, 'ingest', 'previous-ingest');
      const notice: Notice = {
        ...{ id: 'box-silent-box-9', kind: 'box-silent', severity: 'warning', subject: 'box-9' },
        ...{ message: 'box-9 has sent no status for 2 min', since: Date.now() - 600_000 },
      };
      await previous.publishAsync(
        topics.notice('test', notice.id),
        encodePayload('notice', notice),
        { qos: 1, retain: true },
      );
      await previous.endAsync();
      const schedule = await writeSchedule(dir, Date.now() - 30 * 60_000);
      const config = testConfig(dir, broker.mqttUrl, { LIKEBOX_SCHEDULE_FILE: schedule });

      // Act
      await start(broker, config);

      // Assess
      expect(await retainedNotices(broker.mqttUrl)).toEqual([]);
    }, 60_000);
  }
});
