import { filters, topics } from '@likebox/protocol';
import mqtt from 'mqtt';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  addUser,
  removeUser,
  setPassword,
  startBroker,
  UnsafeStartError,
} from '../../src/index.js';
import {
  brokerWith,
  closed,
  connectAs,
  grants,
  nextMessage,
  PASSWORD,
  usersFileWith,
} from '../helpers.js';

const USERS = { 'box-1': 'device', 'box-2': 'device', ingest: 'ingest' } as const;

describe('broker identities', () => {
  it('keeps a box connected when another box connects with its client id', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const victim = await connectAs(broker.mqttUrl, 'box-2', { clientId: 'box-2' });

    // Act
    const intruder = await connectAs(broker.mqttUrl, 'box-1', { clientId: 'box-2' });

    // Assess
    expect(intruder.connected).toBe(true);
    await victim.publishAsync(topics.status('demo', 'box-2'), '{"online":true}', { qos: 1 });
    expect(victim.connected).toBe(true);
  });

  it('never hands a box persistent session to another user when the client id is reused', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const session = { clientId: 'box-2', clean: false };
    const owner = await connectAs(broker.mqttUrl, 'box-2', session);
    await owner.subscribeAsync(topics.ack('demo', 'box-2'), { qos: 1 });
    await owner.endAsync();
    const ingest = await connectAs(broker.mqttUrl, 'ingest');
    await ingest.publishAsync(topics.ack('demo', 'box-2'), '{"seq":7}', { qos: 1 });

    // Act
    const intruder = await connectAs(broker.mqttUrl, 'box-1', session);
    const stolen: string[] = [];
    intruder.on('message', (topic) => stolen.push(topic));
    const back = mqtt.connect(broker.mqttUrl, {
      ...session,
      protocolVersion: 4,
      reconnectPeriod: 0,
      username: 'box-2',
      password: PASSWORD,
    });
    onTestFinished(() => back.endAsync(true));
    const delivered = nextMessage(back, topics.ack('demo', 'box-2'));

    // Assess
    expect((await delivered).payload.toString()).toBe('{"seq":7}');
    expect(stolen).toEqual([]);
  });

  it('refuses the connection when a box sets its will on another box status', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const will = {
      topic: topics.status('demo', 'box-2'),
      payload: Buffer.from('{"online":false}'),
      qos: 1 as const,
      retain: true,
    };

    // Act
    const attempt = connectAs(broker.mqttUrl, 'box-1', { will });

    // Assess
    await expect(attempt).rejects.toThrow(/Not authorized/i);
  });

  it('publishes the will of a box on its own status when it drops', async () => {
    // Prepare
    const broker = await brokerWith(USERS);
    const ingest = await connectAs(broker.mqttUrl, 'ingest');
    await ingest.subscribeAsync(filters.device('demo', '+', 'status'), { qos: 1 });
    const will = {
      topic: topics.status('demo', 'box-1'),
      payload: Buffer.from('{"online":false}'),
      qos: 1 as const,
      retain: true,
    };
    const box = await connectAs(broker.mqttUrl, 'box-1', { will });
    const received = nextMessage(ingest);

    // Act
    box.stream.destroy();

    // Assess
    expect((await received).payload.toString()).toBe('{"online":false}');
  });

  it('lets anonymous clients read public topics and closes them when they publish', async () => {
    // Prepare
    const broker = await brokerWith(USERS, { allowAnonymous: true });
    const reader = await connectAs(broker.mqttUrl, null);

    // Act
    const codes = await grants(reader, [filters.rooms('+'), filters.device('demo', '+', 'vote')]);
    const gone = closed(reader);
    reader.publish(topics.tally('demo', 'room-a'), '{}', { qos: 1 });

    // Assess
    expect(codes).toEqual([1, 128]);
    await gone;
  });

  it('delivers $SYS client events to an organiser when a client connects', async () => {
    // Prepare
    const broker = await brokerWith({ ...USERS, org: 'organiser' });
    const organiser = await connectAs(broker.mqttUrl, 'org');
    await organiser.subscribeAsync('$SYS/+/new/clients', { qos: 0 });
    const event = nextMessage(organiser);

    // Act
    await connectAs(broker.mqttUrl, 'box-1', { clientId: 'box-1' });

    // Assess
    expect((await event).payload.toString()).toBe('box-1:box-1');
  });

  it('accepts a user added to the users file while the broker runs', async () => {
    // Prepare
    const usersFile = await usersFileWith(USERS);
    const broker = await startBroker({ usersFile, mqttPort: 0 });
    onTestFinished(() => broker.close());

    // Act
    await addUser(usersFile, 'box-3', 'device', PASSWORD);
    const box = await connectAs(broker.mqttUrl, 'box-3');

    // Assess
    expect(box.connected).toBe(true);
  });

  it('closes the connection of a box at once when its user is removed or its password changes', async () => {
    // Prepare
    const usersFile = await usersFileWith(USERS);
    const broker = await startBroker({ usersFile, mqttPort: 0 });
    onTestFinished(() => broker.close());
    const [removed, changed, kept] = await Promise.all(
      ['box-1', 'box-2', 'ingest'].map((user) => connectAs(broker.mqttUrl, user)),
    );
    const gone = Promise.all([closed(removed!), closed(changed!)]);

    // Act
    await removeUser(usersFile, 'box-1');
    await setPassword(usersFile, 'box-2', 'another-pass-2718');

    // Assess
    await gone;
    expect(kept!.connected).toBe(true);
    await expect(connectAs(broker.mqttUrl, 'box-2')).rejects.toThrow(/Bad username or password/i);
  });

  it('pins a user to its own event when the users file says so', async () => {
    // Prepare
    const usersFile = await usersFileWith({});
    await addUser(usersFile, 'org', 'organiser', PASSWORD, { event: 'bzh' });
    const broker = await startBroker({ usersFile, mqttPort: 0, event: 'demo' });
    onTestFinished(() => broker.close());
    const organiser = await connectAs(broker.mqttUrl, 'org');

    // Act
    const codes = await grants(organiser, [filters.event('bzh'), filters.event('demo')]);

    // Assess
    expect(codes).toEqual([1, 128]);
  });

  it('refuses to listen beyond loopback when a user has a default password', async () => {
    // Prepare
    const usersFile = await usersFileWith(USERS);
    await addUser(usersFile, 'admin', 'organiser', 'changeme');

    // Act
    const start = startBroker({ usersFile, host: '0.0.0.0', mqttPort: 0 });

    // Assess
    await expect(start).rejects.toThrow(UnsafeStartError);
    await expect(start).rejects.toThrow(/admin/);
  });

  it('listens beyond loopback when every password is a real one', async () => {
    // Prepare
    const usersFile = await usersFileWith(USERS);

    // Act
    const broker = await startBroker({ usersFile, host: '0.0.0.0', mqttPort: 0 });
    onTestFinished(() => broker.close());

    // Assess
    expect(broker.mqttUrl).toMatch(/^mqtt:\/\/0\.0\.0\.0:\d+$/);
  });
});
