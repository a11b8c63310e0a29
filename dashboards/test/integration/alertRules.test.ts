import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InfluxClient,
  type InfluxPoint,
  type ManagedInfluxd,
  startManagedInfluxd,
} from '@likebox/influx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertRuleSpec, alertRules } from '../../src/alerting/rules.js';
import { type AlertEvaluation, evaluateAlert } from '../support/alertEval.js';
import {
  BOXES,
  cleanHour,
  ingestHealth,
  statuses,
  votePoints,
  votes,
} from '../support/alertScenarios.js';

const MINUTE = 60_000;
const RULES = new Map(alertRules('demo').map((rule) => [rule.uid, rule]));
let influxd: ManagedInfluxd;
let dataDir: string;
let databases = 0;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'likebox-alerts-'));
  influxd = await startManagedInfluxd({ dataDir });
});

afterAll(async () => {
  await influxd?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function rule(uid: string): AlertRuleSpec {
  const found = RULES.get(uid);
  if (found === undefined) throw new Error(`no rule ${uid}`);
  return found;
}

/** A fresh database holding `points`. */
async function database(points: readonly InfluxPoint[]): Promise<InfluxClient> {
  databases += 1;
  const influx = new InfluxClient({ url: influxd.url, database: `alerts_${databases}` });
  await influx.admin.createDatabase(`alerts_${databases}`);
  await influx.write(points);
  return influx;
}

/** The clean hour without the statuses of `device`. */
function cleanHourWithout(now: number, device: string): InfluxPoint[] {
  return cleanHour(now).filter(
    (point) => !(point.measurement === 'device' && point.tags.device === device),
  );
}

/** Every rule evaluated at `now`, by uid. */
async function evaluateAll(influx: InfluxClient, now: number) {
  const outcomes: Record<string, AlertEvaluation> = {};
  for (const one of RULES.values()) outcomes[one.uid] = await evaluateAlert(influx, one, now);
  return outcomes;
}

/** Uids of the rules that fire, with the labels of their instances. */
function firing(outcomes: Record<string, AlertEvaluation>): Record<string, object[]> {
  return Object.fromEntries(
    Object.entries(outcomes)
      .filter(([, outcome]) => outcome.firing.length > 0)
      .map(([uid, outcome]) => [uid, outcome.firing.map((instance) => instance.labels)]),
  );
}

describe('alert rules on a real influxd', () => {
  it('fire on nothing on a clean hour of an event', async () => {
    // Prepare
    const now = Date.now();
    const influx = await database(cleanHour(now));

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess: every query ran and answered; the values are far from their thresholds
    expect(firing(outcomes)).toEqual({});
    const heartbeats = outcomes['likebox-box-silent']?.values ?? {};
    expect(Object.keys(heartbeats)).toEqual(['device=d-a1', 'device=d-a2', 'device=d-b1']);
    for (const perMinute of Object.values(heartbeats)) expect(perMinute).toBeGreaterThan(1);
    expect(outcomes['likebox-talk-sinking']?.values['room=amphi-a,talk=t-loved']).toBeGreaterThan(
      0.5,
    );
    expect(outcomes['likebox-ingest-silent']?.noData).toBe(false);
  });

  it('fires "misuse" for the troll’s box only when its votes were flagged steady', async () => {
    // Prepare: a troll pressing +1 every minute, flagged by the ingest
    const now = Date.now();
    const troll = votes(
      now,
      { device: 'd-b1', room: 'amphi-b', talk: 't-fine' },
      { likes: 8, dislikes: 0, flag: 'steady' },
      { gapMs: MINUTE, endAgo: 30_000, firstSeq: 100 },
    );
    const influx = await database([...cleanHour(now), ...votePoints(troll)]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({ 'likebox-misuse': [{ device: 'd-b1' }] });
    expect(outcomes['likebox-misuse']?.firing[0]?.value).toBe(8);
  });

  it('fires "stuck button" when 20 votes in a row were flagged stuck-button', async () => {
    // Prepare
    const now = Date.now();
    const held = votes(
      now,
      { device: 'd-a2', room: 'amphi-a', talk: 't-loved' },
      { likes: 0, dislikes: 20, flag: 'stuck-button' },
      { gapMs: 500, endAgo: 2 * MINUTE, firstSeq: 100 },
    );
    const influx = await database([...cleanHour(now), ...votePoints(held)]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({ 'likebox-stuck-button': [{ device: 'd-a2' }] });
  });

  it('fires "box silent" for a box heard of this hour but not in the last 5 minutes', async () => {
    // Prepare: d-b1 stops sending its status 5 minutes before now
    const now = Date.now();
    const clean = cleanHourWithout(now, 'd-b1');
    const until = statuses(now, 'd-b1', BOXES['d-b1'], { from: 60 * MINUTE, until: 5 * MINUTE });
    const influx = await database([...clean, ...until]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({ 'likebox-box-silent': [{ device: 'd-b1' }] });
  });

  it('clears "box silent" once the box, offline for 20 minutes, sends its status again', async () => {
    // Prepare: d-b1 silent from 25 to 5 minutes ago, back since
    const now = Date.now();
    const clean = cleanHourWithout(now, 'd-b1');
    const room = BOXES['d-b1'];
    const before = statuses(now, 'd-b1', room, { from: 60 * MINUTE, until: 25 * MINUTE });
    const after = statuses(now, 'd-b1', room, { from: 5 * MINUTE, until: 10_000 });
    const influx = await database([...clean, ...before, ...after]);

    // Act
    const back = await evaluateAlert(influx, rule('likebox-box-silent'), now);
    const whileAway = await evaluateAlert(influx, rule('likebox-box-silent'), now - 10 * MINUTE);

    // Assess
    expect(back.firing).toEqual([]);
    expect(whileAway.firing.map((instance) => instance.labels)).toEqual([{ device: 'd-b1' }]);
  });

  it('fires "outbox growing" for a box whose outbox rose by 10 or more in 5 minutes', async () => {
    // Prepare: d-a1's outbox climbs from 0 to 16 over the last 4 minutes
    const now = Date.now();
    const clean = cleanHourWithout(now, 'd-a1');
    const climbing = statuses(
      now,
      'd-a1',
      BOXES['d-a1'],
      { from: 60 * MINUTE, until: 10_000 },
      (ago) => (ago > 4 * MINUTE ? 0 : Math.round((4 * MINUTE - ago) / 15_000)),
    );
    const influx = await database([...clean, ...climbing]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({ 'likebox-outbox-growing': [{ device: 'd-a1' }] });
    expect(outcomes['likebox-outbox-growing']?.firing[0]?.value).toBeGreaterThanOrEqual(10);
  });

  it('fires "talk sinking" for a disliked talk with enough votes, not for one with too few', async () => {
    // Prepare: 6 likes, 19 dislikes (Wilson 0.11); 1 like, 9 dislikes (10 votes, under 20)
    const now = Date.now();
    const sinking = votes(
      now,
      { device: 'd-b1', room: 'amphi-b', talk: 't-sinking' },
      { likes: 6, dislikes: 19 },
      { gapMs: 20_000, endAgo: MINUTE, firstSeq: 100 },
    );
    const few = votes(
      now,
      { device: 'd-a1', room: 'amphi-a', talk: 't-few' },
      { likes: 1, dislikes: 9 },
      { gapMs: 20_000, endAgo: MINUTE, firstSeq: 100 },
    );
    const influx = await database([...cleanHour(now), ...votePoints([...sinking, ...few])]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({
      'likebox-talk-sinking': [{ room: 'amphi-b', talk: 't-sinking' }],
    });
    expect(outcomes['likebox-talk-sinking']?.firing[0]?.value).toBeCloseTo(0.115, 2);
  });

  it('fires "ingest silent" when the ingest’s health stopped 5 minutes ago', async () => {
    // Prepare
    const now = Date.now();
    const clean = cleanHour(now).filter((point) => point.measurement !== 'ingest');
    const influx = await database([...clean, ...ingestHealth(now, 55, 5 * MINUTE)]);

    // Act
    const outcomes = await evaluateAll(influx, now);

    // Assess
    expect(firing(outcomes)).toEqual({ 'likebox-ingest-silent': [{}] });
    expect(outcomes['likebox-ingest-silent']?.noData).toBe(true);
    expect(rule('likebox-ingest-silent').noData).toBe('Alerting');
  });
});
