import { BROKER, DEVICE, INGEST, identifiers, TALK, VOTE, VOTE_1M } from '@likebox/influx';
import { wilsonInfluxQL } from './wilson.js';

/**
 * Every InfluxQL text of the dashboards, with Grafana's macros left in: `$timeFilter`, `$__interval`
 * and the dashboard variables `$event` (one value), `$room` (multi-value, All), `$talk`, `$min_votes`.
 * Multi-value variables are always used as `=~ /^$room$/`, which Grafana expands to `/^(a|b)$/`.
 * Measurement, tag and field names come from the contract (`@likebox/influx` measurements).
 */

const V = identifiers(VOTE);
const M = identifiers(VOTE_1M);
const T = identifiers(TALK);
const D = identifiers(DEVICE);
const B = identifiers(BROKER);
const I = identifiers(INGEST);

const EVENT = `${V.event} = '$event'`;
const ROOMS = `${V.room} =~ /^$room$/`;
const UNTIL_NOW = 'time <= now()';
/**
 * Counted votes only: a vote the ingest flagged as likely misuse is rewritten with `value` 0 (its
 * press in `flagged`), so sums leave it out by themselves and counts need this condition.
 */
const COUNTED = `${V.value} != 0`;

/**
 * Vote count, likes, dislikes, like ratio (a float: integer ÷ integer truncates inside a subquery),
 * net score and Wilson bound, from an aggregate counting the votes and one summing their values.
 */
function stats(votes: string, net: string): string {
  const ratio = `(0.0 + ${votes} + ${net}) / (2 * ${votes})`;
  return [
    `${votes} AS "votes"`,
    `(${votes} + ${net}) / 2 AS "likes"`,
    `(${votes} - ${net}) / 2 AS "dislikes"`,
    `${ratio} AS "ratio"`,
    `${net} AS "net"`,
    `${wilsonInfluxQL(votes, ratio)} AS "wilson"`,
  ].join(', ');
}

/** {@link stats} over raw votes. */
const STATS = stats(`count(${V.value})`, `sum(${V.value})`);
/** {@link stats} over the `vote_1m` rollup. */
const ROLLUP_STATS = stats(`sum(${M.votes})`, `sum(${M.net})`);

function cumulative(alias: string, value: 1 | -1, filter: string): string {
  return (
    `SELECT cumulative_sum(count(${V.value})) AS "${alias}" FROM ${V.from} ` +
    `WHERE ${filter} AND ${V.value} = ${value} AND $timeFilter AND ${UNTIL_NOW} ` +
    'GROUP BY time($__interval) fill(0)'
  );
}

/** Dashboard variables. */
export const variableQueries = {
  /** Events that have votes. */
  event: `SHOW TAG VALUES FROM ${V.from} WITH KEY = ${V.event}`,
  /** Rooms of the event that have votes. */
  room: `SHOW TAG VALUES FROM ${V.from} WITH KEY = ${V.room} WHERE ${EVENT}`,
  /** Talks of the event that have votes (not `none`). */
  talk: `SHOW TAG VALUES FROM ${V.from} WITH KEY = ${V.talk} WHERE ${EVENT} AND ${V.talk} != 'none'`,
} as const;

/** Live rooms dashboard. */
export const liveQueries = {
  /** Annotation bands: one per talk, from its start to its end (`talk` measurement). */
  talkBands: `SELECT ${T.title}, ${T.end}, ${T.room} FROM ${T.from} WHERE ${EVENT} AND ${ROOMS} AND $timeFilter`,
  /** Per talk, today's figures; joined with {@link liveQueries.currentTalks} by `talk`. */
  talkStats: `SELECT ${STATS} FROM ${V.from} WHERE ${EVENT} AND ${ROOMS} AND ${V.talk} != 'none' AND ${COUNTED} AND $timeFilter GROUP BY ${V.talk}`,
  /** Per room, the talk that started last: the current (or just finished) talk. */
  currentTalks: `SELECT last(${T.title}) AS "title", ${T.talk} FROM ${T.from} WHERE ${EVENT} AND ${ROOMS} AND $timeFilter AND ${UNTIL_NOW} GROUP BY ${T.room}`,
  /** Cumulative likes of the room (the panel repeats per room). */
  cumulativeLikes: cumulative('likes', 1, `${EVENT} AND ${ROOMS}`),
  /** Cumulative dislikes of the room. */
  cumulativeDislikes: cumulative('dislikes', -1, `${EVENT} AND ${ROOMS}`),
  /** Votes per minute, per room. */
  votesPerMinute: `SELECT count(${V.value}) AS "votes" FROM ${V.from} WHERE ${EVENT} AND ${ROOMS} AND ${COUNTED} AND $timeFilter AND ${UNTIL_NOW} GROUP BY time(1m), ${V.room} fill(0)`,
} as const;

/** Talk leaderboard dashboard. */
export const leaderboardQueries = {
  /**
   * Per talk, its figures and Wilson bound, talks under `$min_votes` votes left out; read from the
   * `vote_1m` rollup (1,000,000 raw votes take ~0.9 s to aggregate, the rollup a few ms).
   */
  ranking:
    'SELECT "likes", "dislikes", "votes", "ratio", "net", "wilson" FROM (' +
    `SELECT ${ROLLUP_STATS} FROM ${M.from} WHERE ${EVENT} AND ${ROOMS} AND ${M.talk} != 'none' AND $timeFilter ` +
    `GROUP BY ${M.room}, ${M.talk}) WHERE "votes" >= $min_votes GROUP BY ${M.room}, ${M.talk}`,
  /** Per talk, its title, speakers and vote window (for the link to the talk view). */
  titles:
    `SELECT last(${T.title}) AS "title", last(${T.speakers}) AS "speakers", last(${T.start}) AS "start", ` +
    `last(${T.closes}) AS "closes" FROM ${T.from} WHERE ${EVENT} AND ${ROOMS} AND $timeFilter GROUP BY ${T.talk}`,
} as const;

const TALK_IS = `${EVENT} AND ${V.talk} = '$talk'`;

/** Per-talk dashboard (the speaker's curve). */
export const talkQueries = {
  /** Annotation band of the talk. */
  band: `SELECT ${T.title}, ${T.end}, ${T.room} FROM ${T.from} WHERE ${TALK_IS} AND $timeFilter`,
  /** Title, speakers and room of the talk. */
  about: `SELECT last(${T.title}) AS "title", last(${T.speakers}) AS "speakers" FROM ${T.from} WHERE ${TALK_IS} GROUP BY ${T.room}`,
  /** The talk's figures over the range. */
  stats: `SELECT ${STATS} FROM ${V.from} WHERE ${TALK_IS} AND ${COUNTED} AND $timeFilter`,
  /** Cumulative likes of the talk. */
  cumulativeLikes: cumulative('likes', 1, TALK_IS),
  /** Cumulative dislikes of the talk. */
  cumulativeDislikes: cumulative('dislikes', -1, TALK_IS),
  /** Votes per minute for the talk. */
  votesPerMinute: `SELECT count(${V.value}) AS "votes" FROM ${V.from} WHERE ${TALK_IS} AND ${COUNTED} AND $timeFilter AND ${UNTIL_NOW} GROUP BY time(1m) fill(0)`,
} as const;

const ONLINE = (state: boolean): string =>
  `SELECT count("online") AS "boxes" FROM (SELECT last(${D.online}) AS "online" FROM ${D.from} ` +
  `WHERE ${EVENT} AND $timeFilter GROUP BY ${D.device}) WHERE "online" = ${state}`;

/** Fleet health dashboard. */
export const fleetQueries = {
  /** Boxes whose last status says online. */
  online: ONLINE(true),
  /** Boxes whose last status says offline (their last will or a clean stop). */
  offline: ONLINE(false),
  /** Per box: last status (time = last seen), online, room. */
  boxes: `SELECT last(${D.online}) AS "online", ${D.room} FROM ${D.from} WHERE ${EVENT} AND $timeFilter GROUP BY ${D.device}`,
  /** Votes waiting in every outbox, from each box's last status. */
  outboxTotal: `SELECT sum("outbox") AS "outbox" FROM (SELECT last(${D.outbox}) AS "outbox" FROM ${D.from} WHERE ${EVENT} AND $timeFilter GROUP BY ${D.device})`,
  /** Outbox depth over time, of the fullest box (one line per box: 100 lines, and 3× slower). */
  outboxDepth: `SELECT max(${D.outbox}) AS "fullest box" FROM ${D.from} WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Votes stored per box. */
  votesPerBox: `SELECT count(${V.value}) AS "votes" FROM ${V.from} WHERE ${EVENT} AND $timeFilter GROUP BY ${V.device}`,
  /** Broker clients by role. */
  brokerClients:
    `SELECT last(${B.clients}) AS "all", last(${B.clients_device}) AS "device", last(${B.clients_ingest}) AS "ingest", ` +
    `last(${B.clients_organiser}) AS "organiser", last(${B.clients_public}) AS "public" ` +
    `FROM ${B.from} WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(previous)`,
  /** Broker clients now. */
  brokerClientsNow: `SELECT last(${B.clients}) AS "clients" FROM ${B.from} WHERE ${EVENT} AND $timeFilter`,
  /** Broker messages per second, in and out (the counters are cumulative). */
  brokerRates:
    `SELECT non_negative_derivative(max(${B.messages_in}), 1s) AS "in", non_negative_derivative(max(${B.messages_out}), 1s) AS "out" ` +
    `FROM ${B.from} WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Ingest lag (press → stored) over time. */
  ingestLag: `SELECT max(${I.lag_ms}) AS "lag" FROM ${I.from} WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Ingest lag and journal backlog now. */
  ingestNow: `SELECT last(${I.lag_ms}) AS "lag", last(${I.pending}) AS "pending" FROM ${I.from} WHERE ${EVENT} AND $timeFilter`,
} as const;
