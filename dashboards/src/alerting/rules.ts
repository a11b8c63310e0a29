import { DEVICE, INGEST, identifiers, influxQLString, VOTE } from '@likebox/influx';
import { wilsonInfluxQL } from '../wilson.js';

/**
 * The Grafana alert rules that mirror the ingest's notices (ARCHITECTURE.md, "Notices and misuse")
 * from what the ingest writes to InfluxDB. Each rule is one InfluxQL query (Grafana's `$timeFilter`
 * left in, over the rule's own relative range), reduced to one number per series (per box, per
 * talk), compared with a threshold: one alert instance per series that passes it.
 *
 * Not every notice can be a rule: `room-late` needs the schedule and the exit burst's timing (the
 * ingest works it out from its journal), `journal-full` is about the ingest's own disk, and
 * `influx-unreachable` means the very data a rule would read is missing. Those stay MQTT notices
 * (`notices/{id}`); `ingest-silent` below fires when the ingest's health points stop arriving,
 * which is what an unreachable InfluxDB (or a stopped ingest) looks like from Grafana.
 */

/** How Grafana's reduce expression turns a series into one number. */
export type AlertReducer = 'last' | 'max' | 'min';

/** Grafana's threshold evaluators used here: above or below a number. */
export type AlertEvaluator = { type: 'gt' | 'lt'; param: number };

/** One alert rule, before it is written in Grafana's provisioning format. */
export interface AlertRuleSpec {
  /** Stable rule uid (Grafana: at most 40 characters). */
  uid: string;
  /** Title shown in Grafana's alert list. */
  title: string;
  /** The notice kind this rule mirrors (label `notice`). */
  notice: string;
  /** InfluxQL with `$timeFilter`; GROUP BY tags become the alert instances' labels. */
  query: string;
  /** The query's range: from `now - rangeSeconds` to now. */
  rangeSeconds: number;
  /** Reduce expression applied to each series. */
  reducer: AlertReducer;
  /** Threshold expression applied to each reduced number. */
  evaluator: AlertEvaluator;
  /** How long the condition must hold before the alert fires (`0s`: at once). */
  for: string;
  /** What an empty answer means: nothing wrong (`OK`), or itself the problem (`Alerting`). */
  noData: 'OK' | 'Alerting';
  /** One-line summary; may use `{{ $labels.device }}` and `{{ $values.B }}`. */
  summary: string;
  /** What it means and what to do. */
  description: string;
}

const V = identifiers(VOTE);
const D = identifiers(DEVICE);
const I = identifiers(INGEST);

/** The reason the ingest writes in `flag` for a held or stuck button. */
export const STUCK_BUTTON_FLAG = 'stuck-button';

function flaggedVotes(event: string, reason: string): string {
  return (
    `SELECT count(${V.flagged}) AS "flagged" FROM ${V.from} ` +
    `WHERE ${V.event} = ${influxQLString(event)} AND ${V.flagged} != 0 ` +
    `AND ${V.flag} ${reason} AND $timeFilter GROUP BY ${V.device}`
  );
}

/**
 * Statuses per minute per box, averaged over the last 3 minutes (the current one included), among
 * the boxes heard of in the range: the subquery's `fill(0)` gives every box heard of a series with
 * zeros where it was silent, so a silent box reads 0 instead of having no series at all (which
 * Grafana could not tell from "no box"). `moving_average` and not an outer `sum` with
 * `WHERE time > now() - 3m`: influxd 1.6.7 answers that aggregate over a `fill`ed subquery with no
 * series at all (measured).
 */
function recentStatuses(event: string): string {
  const inner =
    `SELECT count(${D.online}) AS "statuses" FROM ${D.from} ` +
    `WHERE ${D.event} = ${influxQLString(event)} AND $timeFilter ` +
    `GROUP BY time(1m), ${D.device} fill(0)`;
  return `SELECT moving_average("statuses", 3) AS "statuses" FROM (${inner}) GROUP BY ${D.device}`;
}

/** Wilson bound (95 %) of each talk's counted votes, for talks with at least `minVotes` of them. */
function talkWilson(event: string, minVotes: number): string {
  const inner =
    `SELECT count(${V.value}) AS "votes", sum(${V.value}) AS "net" FROM ${V.from} ` +
    `WHERE ${V.event} = ${influxQLString(event)} AND ${V.value} != 0 AND ${V.talk} != 'none' ` +
    `AND $timeFilter GROUP BY ${V.talk}, ${V.room}`;
  // Integer ÷ integer truncates inside a subquery's outer query: `0.0 +` makes the ratio a float.
  const ratio = '(0.0 + "votes" + "net") / (2 * "votes")';
  return (
    `SELECT ${wilsonInfluxQL('"votes"', ratio)} AS "wilson" FROM (${inner}) ` +
    `WHERE "votes" >= ${minVotes} GROUP BY ${V.talk}, ${V.room}`
  );
}

/** Defaults of the notices the rules follow (ingest variables of the same meaning). */
export const ALERT_DEFAULTS = {
  /** `LIKEBOX_NOTICE_MISUSE_HOLD_S`: a flagged vote keeps the alert up this long. */
  misuseHoldSeconds: 900,
  /** `LIKEBOX_NOTICE_OUTBOX_RISE` over `LIKEBOX_NOTICE_OUTBOX_S`. */
  outboxRise: 10,
  outboxSeconds: 300,
  /** `LIKEBOX_NOTICE_SINKING_VOTES` and `LIKEBOX_NOTICE_SINKING_WILSON`. */
  sinkingVotes: 20,
  sinkingWilson: 0.3,
} as const;

type RuleOf = (event: string) => AlertRuleSpec;

const flaggedRule =
  (
    uid: string,
    title: string,
    notice: string,
    reason: string,
    summary: string,
    description: string,
  ): RuleOf =>
  (event) => ({
    uid,
    title,
    notice,
    query: flaggedVotes(event, reason),
    rangeSeconds: ALERT_DEFAULTS.misuseHoldSeconds,
    reducer: 'last',
    evaluator: { type: 'gt', param: 0 },
    for: '0s',
    noData: 'OK',
    summary,
    description,
  });

const misuse = flaggedRule(
  'likebox-misuse',
  'Misuse pattern on a box',
  'misuse',
  `!= ${influxQLString(STUCK_BUTTON_FLAG)}`,
  'Box {{ $labels.device }}: {{ $values.B }} votes set aside as likely misuse',
  'The ingest flagged votes of this box (one person pressing again and again, or an ' +
    'impossible rate). They are kept but left out of the public figures.',
);

const stuckButton = flaggedRule(
  'likebox-stuck-button',
  'Stuck or held button',
  'stuck-button',
  `= ${influxQLString(STUCK_BUTTON_FLAG)}`,
  'Box {{ $labels.device }}: a button seems stuck ({{ $values.B }} votes set aside)',
  'Votes of one value in a row, each within 400 ms (the box’s fastest): check its buttons.',
);

const boxSilent: RuleOf = (event) => ({
  uid: 'likebox-box-silent',
  title: 'Box silent',
  notice: 'box-silent',
  query: recentStatuses(event),
  // A box is known if heard of in the last hour; silent when its last three 1-minute buckets
  // (2 to 3 minutes) hold no status: its heartbeat is 30 s, the ingest's notice waits 120 s.
  // The mean of 3 counts is 0 or at least 1/3: under 0.1 means none.
  rangeSeconds: 3600,
  reducer: 'last',
  evaluator: { type: 'lt', param: 0.1 },
  for: '0s',
  noData: 'OK',
  summary: 'Box {{ $labels.device }} has sent no status for 2 minutes or more',
  description:
    'No heartbeat from this box, heard of in the last hour: power, Wi-Fi or the box itself. ' +
    'Its votes stay in its outbox and arrive when it is back.',
});

const outboxGrowing: RuleOf = (event) => ({
  uid: 'likebox-outbox-growing',
  title: 'Outbox growing',
  notice: 'outbox-growing',
  // Rise over the lowest depth of the range: a box that flushed and fills again counts from there.
  query:
    `SELECT last(${D.outbox}) - min(${D.outbox}) AS "rise" FROM ${D.from} ` +
    `WHERE ${D.event} = ${influxQLString(event)} AND $timeFilter GROUP BY ${D.device}`,
  rangeSeconds: ALERT_DEFAULTS.outboxSeconds,
  reducer: 'last',
  evaluator: { type: 'gt', param: ALERT_DEFAULTS.outboxRise - 1 },
  for: '0s',
  noData: 'OK',
  summary: 'Box {{ $labels.device }}: {{ $values.B }} more votes waiting in its outbox',
  description:
    'The box is online but its votes are not acknowledged: broker limits, the ingest, or ' +
    'a bad network. Nothing is lost; the live figures lag behind.',
});

const talkSinking: RuleOf = (event) => ({
  uid: 'likebox-talk-sinking',
  title: 'Talk sinking',
  notice: 'talk-sinking',
  query: talkWilson(event, ALERT_DEFAULTS.sinkingVotes),
  // A talk and its vote window fit in 3 hours.
  rangeSeconds: 10_800,
  reducer: 'last',
  evaluator: { type: 'lt', param: ALERT_DEFAULTS.sinkingWilson },
  for: '0s',
  noData: 'OK',
  summary: 'Talk {{ $labels.talk }} in {{ $labels.room }} is sinking (Wilson {{ $values.B }})',
  description:
    `At least ${ALERT_DEFAULTS.sinkingVotes} counted votes in the last 3 hours, and the 95 % ` +
    `Wilson lower bound of their like share is under ${ALERT_DEFAULTS.sinkingWilson}.`,
});

const ingestSilent: RuleOf = (event) => ({
  uid: 'likebox-ingest-silent',
  title: 'Ingest silent in InfluxDB',
  notice: 'influx-unreachable',
  query:
    `SELECT count(${I.pending}) AS "reports" FROM ${I.from} ` +
    `WHERE ${I.event} = ${influxQLString(event)} AND $timeFilter`,
  rangeSeconds: 180,
  reducer: 'last',
  evaluator: { type: 'lt', param: 1 },
  for: '1m',
  // No point at all in 3 minutes is the very problem.
  noData: 'Alerting',
  summary: 'The ingest has written no health point for 3 minutes',
  description:
    'The ingest writes its health every ~10 s: it is stopped, or cannot reach InfluxDB ' +
    '(its MQTT notice influx-unreachable says which). Votes stay safe in its journal.',
});

/** Every rule, for the event `event` (its queries read that event only). */
export function alertRules(event: string): AlertRuleSpec[] {
  return [misuse, stuckButton, boxSilent, outboxGrowing, talkSinking, ingestSilent].map((rule) =>
    rule(event),
  );
}
