import { describe, expect, it } from 'vitest';
import { type Identity, mayPublish, maySubscribe, ROLES, type Role } from '../../src/index.js';
import { EVENT, FILTER_CASES, TOPIC_CASES, USER_OF } from '../aclMatrix.js';

function identity(role: Role): Identity {
  return role === 'public'
    ? { user: null, role, event: null }
    : { user: USER_OF[role], role, event: EVENT };
}

describe('acl', () => {
  for (const role of ROLES) {
    for (const c of TOPIC_CASES) {
      it(`${c.publish.includes(role) ? 'allows' : 'refuses'} publish of ${c.name} when role is ${role}`, () => {
        expect(mayPublish(identity(role), c.topic)).toBe(c.publish.includes(role));
      });
      it(`${c.subscribe.includes(role) ? 'allows' : 'refuses'} subscribe to ${c.name} when role is ${role}`, () => {
        expect(maySubscribe(identity(role), c.topic)).toBe(c.subscribe.includes(role));
      });
    }
    for (const c of FILTER_CASES) {
      it(`${c.subscribe.includes(role) ? 'allows' : 'refuses'} filter ${c.filter} when role is ${role}`, () => {
        expect(maySubscribe(identity(role), c.filter)).toBe(c.subscribe.includes(role));
      });
    }
  }

  it('refuses publish when the topic has a wildcard, extra levels or is not in the tree', () => {
    // Prepare
    const organiser = identity('organiser');

    // Act
    const results = [
      'likebox/v1/demo/rooms/+/tally',
      'likebox/v1/demo/rooms/a/tally/extra',
      'likebox/v1/demo/rooms/A/tally',
      '$SYS/broker/x',
      'likebox/v2/demo/schedule',
    ].map((topic) => mayPublish(organiser, topic));

    // Assess
    expect(results).toEqual([false, false, false, false, false]);
  });

  it('grants any event when the user is not pinned to one', () => {
    // Prepare
    const organiser: Identity = { user: 'org', role: 'organiser', event: null };

    // Act
    const everything = maySubscribe(organiser, 'likebox/v1/#');

    // Assess
    expect(everything).toBe(true);
  });

  it('covers the parent level with a trailing # when the filter ends one level deeper', () => {
    // Prepare
    const device = identity('device');

    // Act
    const schedule = maySubscribe(device, `likebox/v1/${EVENT}/schedule/#`);

    // Assess
    expect(schedule).toBe(true);
  });
});
