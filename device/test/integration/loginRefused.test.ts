import { join } from 'node:path';
import { setPassword } from '@likebox/broker';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startAckStandIn, waitFor } from '../helpers/ackStandIn.js';
import {
  broker,
  FAST_GATE,
  PRESS_GAP_MS,
  PW,
  statuses,
  tempDir,
  virtualBox,
} from '../helpers/rig.js';

const FIXED_PASSWORD = 'box-password-fixed';

describe('a box whose login the broker refuses', () => {
  it('says so on its LCD and in its status, keeps its votes, and connects once the password is fixed', {
    timeout: 60_000,
  }, async () => {
    // Prepare: the broker knows box-1 with another password than the box's.
    const dir = tempDir();
    const b = await broker(dir);
    const standIn = await startAckStandIn({
      ...{ url: b.mqttUrl, event: 'demo', username: 'ingest', password: PW.ingest },
    });
    onTestFinished(() => standIn.close());
    const published = await statuses(b.mqttUrl);
    const { box, io, outbox, buttons } = await virtualBox(dir, b.mqttUrl, {
      ...FAST_GATE,
      LIKEBOX_MQTT_PASSWORD: FIXED_PASSWORD,
      LIKEBOX_LOGIN_RETRY_S: '0.5',
    });

    // Act
    await waitFor(() => box.publisher.link === 'auth-failed', 15_000, 'login refused');
    await buttons.click('like');
    await new Promise((resolve) => setTimeout(resolve, PRESS_GAP_MS));
    await buttons.click('dislike');
    await waitFor(() => io.lcdLines()[0]?.startsWith('Login') === true, 5_000, 'alert shown');
    const refusedLcd = io.lcdLines();
    const refusedStatus = box.status();
    await setPassword(join(dir, 'users.json'), 'box-1', FIXED_PASSWORD);
    await waitFor(() => box.publisher.connected, 30_000, 'connected with the fixed password');
    await waitFor(() => outbox.depth === 0, 15_000, 'outbox drained');

    // Assess
    expect(refusedLcd).toEqual(['Login refuse    ', 'Mot de passe ? !']);
    expect(refusedStatus).toMatchObject({ link: 'auth-failed', outbox: 2 });
    expect(box.status().link).toBe('online');
    expect(io.lcdLines()[0]).not.toMatch(/^Login/);
    expect([...standIn.stored('box-1', outbox.epoch).keys()]).toEqual([1, 2]);
    await waitFor(() => published.at(-1)?.outbox === 0, 10_000, 'status after the ack');
    expect(published.at(-1)).toMatchObject({ online: true, link: 'online' });
  });
});
