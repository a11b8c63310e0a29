import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROLES, type Role, type RunningBroker } from '../../src/index.js';
import { deliveryOf, EVENT, FILTER_CASES, TOPIC_CASES, USER_OF } from '../aclMatrix.js';
import { brokerWith, PASSWORD } from '../helpers.js';

const run = promisify(execFile);
const USERS = Object.fromEntries(ROLES.map((role) => [USER_OF[role], role])) as Record<
  string,
  Role
>;

function common(broker: RunningBroker, role: Role): string[] {
  const port = String(broker.mqttPort);
  return ['-V', 'mqttv311', '-h', '127.0.0.1', '-p', port, '-u', USER_OF[role], '-P', PASSWORD];
}

/** mosquitto_pub at QoS 1 exits 0 only once the PUBACK came back. */
async function publishes(broker: RunningBroker, role: Role): Promise<string[]> {
  const allowed: string[] = [];
  for (const c of TOPIC_CASES) {
    const retain = deliveryOf(c.kind).retain ? ['-r'] : [];
    const args = [...common(broker, role), '-q', '1', ...retain, '-t', c.topic, '-m', '{}'];
    const ok = await run('mosquitto_pub', args, { timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    if (ok) allowed.push(c.name);
  }
  return allowed;
}

/** One mosquitto_sub with every filter; `-d` prints the SUBACK return codes in order. */
async function subscribes(broker: RunningBroker, role: Role): Promise<string[]> {
  const filters = [...TOPIC_CASES.map((c) => c.topic), ...FILTER_CASES.map((c) => c.filter)];
  const args = [
    ...common(broker, role),
    '-q',
    '1',
    '-E',
    '-d',
    ...filters.flatMap((f) => ['-t', f]),
  ];
  const { stdout } = await run('mosquitto_sub', args, { timeout: 20_000 });
  const codes =
    /Subscribed \(mid: \d+\): ([\d, ]+)/.exec(stdout)?.[1]?.split(', ').map(Number) ?? [];
  expect(codes).toHaveLength(filters.length);
  return filters.filter((_, i) => codes[i] !== 128);
}

describe('ACL matrix over mosquitto_pub and mosquitto_sub', () => {
  it('grants exactly the rights of ARCHITECTURE.md when an independent client tries every topic', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { event: EVENT });

    // Act
    const published = await Promise.all(ROLES.map((role) => publishes(broker, role)));
    const subscribed = await Promise.all(ROLES.map((role) => subscribes(broker, role)));

    // Assess
    for (const [i, role] of ROLES.entries()) {
      expect({ role, published: published[i] }).toEqual({
        role,
        published: TOPIC_CASES.filter((c) => c.publish.includes(role)).map((c) => c.name),
      });
      expect({ role, subscribed: subscribed[i] }).toEqual({
        role,
        subscribed: [
          ...TOPIC_CASES.filter((c) => c.subscribe.includes(role)).map((c) => c.topic),
          ...FILTER_CASES.filter((c) => c.subscribe.includes(role)).map((c) => c.filter),
        ],
      });
    }
  });
});
