import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, type RunningBroker, startBroker } from '@likebox/broker';
import {
  encodePayload,
  type Now,
  type PayloadOf,
  type PublicVote,
  type Schedule,
  ScheduleIndex,
  type Tally,
  TopicDelivery,
  type TopicKind,
  topics,
  toTalkRef,
} from '@likebox/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, createWebHandler, type WebHandler } from '../../src/index.js';

/** The event of every web test. */
export const EVENT = 'webtest';

/** Where screenshots go: `test-artifacts/web/` at the repository root (gitignored). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/web/', import.meta.url));

const MINUTE = 60_000;

/** Debian's chromium driven by playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * A programme around `at`: in `groix` a talk whose window is open and a next one; in `belle-ile`
 * a talk whose window is open; in `brehat` a talk whose window closed 5 minutes ago.
 */
export function demoSchedule(at: number): Schedule {
  const iso = (offset: number) => new Date(at + offset * MINUTE).toISOString();
  const talk = (
    id: string,
    room: string,
    start: number,
    end: number,
    title: string,
    speakers: string[],
  ) => ({
    id,
    room,
    start: iso(start),
    end: iso(end),
    title,
    speakers,
    format: 'Conférence',
    votable: true,
  });
  return {
    version: 1,
    event: EVENT,
    name: 'BreizhCamp test',
    timeZone: 'Europe/Paris',
    rooms: [
      { slug: 'groix', name: 'Groix' },
      { slug: 'belle-ile', name: 'Belle-Île-en-Mer' },
      { slug: 'brehat', name: 'Bréhat' },
    ],
    talks: [
      talk('t-mqtt', 'groix', -20, 25, 'MQTT en action: des boîtiers aux tableaux de bord', [
        'Ada Lovelace',
        'Grace Hopper',
      ]),
      talk('t-next', 'groix', 30, 75, 'Rust pour les devs Java', ['Linus Torvalds']),
      talk('t-grafana', 'belle-ile', -15, 30, 'Grafana as code', ['Margaret Hamilton']),
      talk('t-done', 'brehat', -80, -20, 'Le futur de la JVM', ['James Gosling']),
    ],
  };
}

/** A running broker, live page server and organiser client standing in for the ingest. */
export interface WebStack {
  /** `http://127.0.0.1:{port}` of the live page. */
  baseUrl: string;
  broker: RunningBroker;
  publisher: MqttClient;
  /** Publishes a payload on a room topic (or the schedule) with the contract's QoS and retain. */
  publish<K extends TopicKind>(kind: K, room: string, payload: PayloadOf<K>): Promise<void>;
  /** Publishes the schedule and every room's `now` and `tally` as the ingest would, at `at`. */
  publishProgramme(schedule: Schedule, at: number, tallies: Record<string, Tally>): Promise<void>;
  /** Closes the broker and starts a new one on the same WebSocket port. */
  restartBroker(): Promise<void>;
  close(): Promise<void>;
}

async function openBroker(
  usersFile: string,
  wsPort: number,
): Promise<{ broker: RunningBroker; publisher: MqttClient }> {
  const broker = await startBroker({ usersFile, mqttPort: 0, wsPort, allowAnonymous: true });
  const publisher = await mqtt.connectAsync(broker.mqttUrl, {
    protocolVersion: 4,
    username: 'organiser',
    password: 'organiser-password',
    reconnectPeriod: 0,
  });
  return { broker, publisher };
}

function topicOf(kind: TopicKind, room: string): string {
  if (kind === 'schedule') return topics.schedule(EVENT);
  if (kind === 'now' || kind === 'tally' || kind === 'votes') return topics[kind](EVENT, room);
  throw new Error(`not a public topic: ${kind}`);
}

/** The `now` the ingest would publish for `room` at `at`. */
function nowOf(index: ScheduleIndex, room: { slug: string; name: string }, at: number): Now {
  const now = index.roomNow(room.slug, at);
  return {
    room: room.slug,
    roomName: room.name,
    talk: now.current === null ? null : toTalkRef(now.current.talk),
    window: now.current?.window ?? null,
    next: now.next === null ? null : toTalkRef(now.next.talk),
    nextWindow: now.next?.window ?? null,
    delay: now.delay,
    at,
  };
}

/** An HTTP server on a free loopback port answering with `handler`, 404 for the rest. */
async function serve(handler: WebHandler): Promise<Server> {
  const server = createServer((req, res) => {
    handler(req, res)
      .then((handled) => {
        if (!handled) res.writeHead(404).end('not found');
      })
      .catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** Starts the broker, the page's HTTP server and the publisher. */
export async function startWebStack(): Promise<WebStack> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-web-'));
  const usersFile = join(dir, 'users.json');
  await addUser(usersFile, 'organiser', 'organiser', 'organiser-password');
  let { broker, publisher } = await openBroker(usersFile, 0);
  const wsPort = broker.wsPort!;
  const server = await serve(await createWebHandler({ event: EVENT, mqttWsPort: wsPort }));
  const stack: WebStack = {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get broker() {
      return broker;
    },
    get publisher() {
      return publisher;
    },
    async publish(kind, room, payload) {
      const { qos, retain } = TopicDelivery[kind];
      await publisher.publishAsync(topicOf(kind, room), encodePayload(kind, payload), {
        qos,
        retain,
      });
    },
    async publishProgramme(schedule, at, tallies) {
      await stack.publish('schedule', '', schedule);
      const index = new ScheduleIndex(schedule);
      for (const room of schedule.rooms) {
        await stack.publish('now', room.slug, nowOf(index, room, at));
        const tally = tallies[room.slug];
        if (tally !== undefined) await stack.publish('tally', room.slug, tally);
      }
    },
    async restartBroker() {
      await publisher.endAsync();
      await broker.close();
      ({ broker, publisher } = await openBroker(usersFile, wsPort));
    },
    async close() {
      await publisher.endAsync().catch(() => undefined);
      await broker.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A public vote pressed now. */
export function vote(value: 1 | -1, talk: string | null): PublicVote {
  return { value, at: Date.now(), talk };
}

/** Saves a screenshot of the page under {@link ARTIFACTS}. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the element matching `selector` has exactly `text`. */
export async function waitForText(
  page: Page,
  selector: string,
  text: string,
  timeout = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ([sel, expected]) => document.querySelector(sel ?? '')?.textContent === expected,
    [selector, text] as const,
    { timeout, polling: 'raf' },
  );
}
