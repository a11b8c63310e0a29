import { addUser } from '@likebox/broker';
import { topics } from '@likebox/protocol';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startIngest } from '../../src/ingest.js';
import {
  basicAuth,
  connectAs,
  eventually,
  PASSWORD,
  startTestBroker,
  tempDir,
  testConfig,
} from './harness.js';

const SECRET = 'not-a-vote-secret-payload';

function basic(user: string, password: string): Record<string, string> {
  return { authorization: basicAuth(user, password) };
}

/** An ingest holding one dead letter whose payload is {@link SECRET}. */
async function ingestWithDeadLetter(env: Record<string, string>) {
  const dir = await tempDir();
  const broker = await startTestBroker(dir, ['box-1']);
  await addUser(`${dir}/users.json`, 'org-other', 'organiser', PASSWORD, { event: 'other' });
  const ingest = await startIngest(testConfig(dir, broker.mqttUrl, env));
  onTestFinished(() => ingest.stop());
  const box = await connectAs(broker.mqttUrl, 'box-1');
  await box.publishAsync(topics.vote('test', 'box-1'), SECRET, { qos: 1 });
  await eventually(async () =>
    (await ingest.metrics.metrics()).includes('reason="not-json"} 1') ? true : undefined,
  );
  const get = (headers: Record<string, string> = {}) =>
    fetch(`${ingest.httpUrl}/dead-letters`, { headers });
  return { get };
}

describe('GET /dead-letters', () => {
  it('never serves raw payloads while it is off, which it is by default', async () => {
    // Prepare
    const { get } = await ingestWithDeadLetter({});

    // Act
    const anonymous = await get();
    const organiser = await get(basic('organiser', PASSWORD));

    // Assess
    for (const response of [anonymous, organiser]) {
      expect(response.status).toBe(403);
      expect(await response.text()).not.toContain(SECRET);
    }
  });

  it('serves them to an organiser of the event only, when set to organiser', async () => {
    // Prepare
    const { get } = await ingestWithDeadLetter({ LIKEBOX_DEAD_LETTERS: 'organiser' });

    // Act
    const anonymous = await get();
    const wrongPassword = await get(basic('organiser', 'wrong-password-1'));
    const unknownUser = await get(basic('nobody', PASSWORD));
    const device = await get(basic('box-1', PASSWORD));
    const otherEvent = await get(basic('org-other', PASSWORD));
    const organiser = await get(basic('organiser', PASSWORD));

    // Assess
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    expect(device.status).toBe(403);
    expect(otherEvent.status).toBe(403);
    for (const refused of [anonymous, wrongPassword, unknownUser, device, otherEvent]) {
      expect(await refused.text()).not.toContain(SECRET);
    }
    expect(organiser.status).toBe(200);
    expect(await organiser.json()).toMatchObject([
      { topic: topics.vote('test', 'box-1'), payload: SECRET },
    ]);
  });
});
