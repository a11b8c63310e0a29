import { wilsonInfluxQL } from './wilson.js';

/**
 * Every InfluxQL text of the dashboards, with Grafana's macros left in: `$timeFilter`, `$__interval`
 * and the dashboard variables `$event` (one value), `$room` (multi-value, All), `$talk`, `$min_votes`.
 * Multi-value variables are always used as `=~ /^$room$/`, which Grafana expands to `/^(a|b)$/`.
 */

const EVENT = `"event" = '$event'`;
const ROOMS = `"room" =~ /^$room$/`;
const UNTIL_NOW = 'time <= now()';

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
const STATS = stats('count("value")', 'sum("value")');
/** {@link stats} over the `vote_1m` rollup (see voteRollup.ts). */
const ROLLUP_STATS = stats('sum("votes")', 'sum("net")');

function cumulative(alias: string, value: 1 | -1, filter: string): string {
  return (
    `SELECT cumulative_sum(count("value")) AS "${alias}" FROM "vote" ` +
    `WHERE ${filter} AND "value" = ${value} AND $timeFilter AND ${UNTIL_NOW} ` +
    'GROUP BY time($__interval) fill(0)'
  );
}

/** Dashboard variables. */
export const variableQueries = {
  /** Events that have votes. */
  event: 'SHOW TAG VALUES FROM "vote" WITH KEY = "event"',
  /** Rooms of the event that have votes. */
  room: `SHOW TAG VALUES FROM "vote" WITH KEY = "room" WHERE ${EVENT}`,
  /** Talks of the event that have votes (not `none`). */
  talk: `SHOW TAG VALUES FROM "vote" WITH KEY = "talk" WHERE ${EVENT} AND "talk" != 'none'`,
} as const;

/** Live rooms dashboard. */
export const liveQueries = {
  /** Annotation bands: one per talk, from its start to its end (`talk` measurement). */
  talkBands: `SELECT "title", "end", "room" FROM "talk" WHERE ${EVENT} AND ${ROOMS} AND $timeFilter`,
  /** Per talk, today's figures; joined with {@link liveQueries.currentTalks} by `talk`. */
  talkStats: `SELECT ${STATS} FROM "vote" WHERE ${EVENT} AND ${ROOMS} AND "talk" != 'none' AND $timeFilter GROUP BY "talk"`,
  /** Per room, the talk that started last: the current (or just finished) talk. */
  currentTalks: `SELECT last("title") AS "title", "talk" FROM "talk" WHERE ${EVENT} AND ${ROOMS} AND $timeFilter AND ${UNTIL_NOW} GROUP BY "room"`,
  /** Cumulative likes of the room (the panel repeats per room). */
  cumulativeLikes: cumulative('likes', 1, `${EVENT} AND ${ROOMS}`),
  /** Cumulative dislikes of the room. */
  cumulativeDislikes: cumulative('dislikes', -1, `${EVENT} AND ${ROOMS}`),
  /** Votes per minute, per room. */
  votesPerMinute: `SELECT count("value") AS "votes" FROM "vote" WHERE ${EVENT} AND ${ROOMS} AND $timeFilter AND ${UNTIL_NOW} GROUP BY time(1m), "room" fill(0)`,
} as const;

/** Talk leaderboard dashboard. */
export const leaderboardQueries = {
  /**
   * Per talk, its figures and Wilson bound, talks under `$min_votes` votes left out; read from the
   * `vote_1m` rollup (1,000,000 raw votes take ~0.9 s to aggregate, the rollup a few ms).
   */
  ranking:
    'SELECT "likes", "dislikes", "votes", "ratio", "net", "wilson" FROM (' +
    `SELECT ${ROLLUP_STATS} FROM "vote_1m" WHERE ${EVENT} AND ${ROOMS} AND "talk" != 'none' AND $timeFilter ` +
    'GROUP BY "room", "talk") WHERE "votes" >= $min_votes GROUP BY "room", "talk"',
  /** Per talk, its title, speakers and vote window (for the link to the talk view). */
  titles:
    'SELECT last("title") AS "title", last("speakers") AS "speakers", last("start") AS "start", ' +
    `last("closes") AS "closes" FROM "talk" WHERE ${EVENT} AND ${ROOMS} AND $timeFilter GROUP BY "talk"`,
} as const;

const TALK = `${EVENT} AND "talk" = '$talk'`;

/** Per-talk dashboard (the speaker's curve). */
export const talkQueries = {
  /** Annotation band of the talk. */
  band: `SELECT "title", "end", "room" FROM "talk" WHERE ${TALK} AND $timeFilter`,
  /** Title, speakers and room of the talk. */
  about: `SELECT last("title") AS "title", last("speakers") AS "speakers" FROM "talk" WHERE ${TALK} GROUP BY "room"`,
  /** The talk's figures over the range. */
  stats: `SELECT ${STATS} FROM "vote" WHERE ${TALK} AND $timeFilter`,
  /** Cumulative likes of the talk. */
  cumulativeLikes: cumulative('likes', 1, TALK),
  /** Cumulative dislikes of the talk. */
  cumulativeDislikes: cumulative('dislikes', -1, TALK),
  /** Votes per minute for the talk. */
  votesPerMinute: `SELECT count("value") AS "votes" FROM "vote" WHERE ${TALK} AND $timeFilter AND ${UNTIL_NOW} GROUP BY time(1m) fill(0)`,
} as const;

const ONLINE = (state: boolean): string =>
  'SELECT count("online") AS "boxes" FROM (SELECT last("online") AS "online" FROM "device" ' +
  `WHERE ${EVENT} AND $timeFilter GROUP BY "device") WHERE "online" = ${state}`;

/** Fleet health dashboard. */
export const fleetQueries = {
  /** Boxes whose last status says online. */
  online: ONLINE(true),
  /** Boxes whose last status says offline (their last will or a clean stop). */
  offline: ONLINE(false),
  /** Per box: last status (time = last seen), online, room. */
  boxes: `SELECT last("online") AS "online", "room" FROM "device" WHERE ${EVENT} AND $timeFilter GROUP BY "device"`,
  /** Votes waiting in every outbox, from each box's last status. */
  outboxTotal: `SELECT sum("outbox") AS "outbox" FROM (SELECT last("outbox") AS "outbox" FROM "device" WHERE ${EVENT} AND $timeFilter GROUP BY "device")`,
  /** Outbox depth over time, of the fullest box (one line per box: 100 lines, and 3× slower). */
  outboxDepth: `SELECT max("outbox") AS "fullest box" FROM "device" WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Votes stored per box. */
  votesPerBox: `SELECT count("value") AS "votes" FROM "vote" WHERE ${EVENT} AND $timeFilter GROUP BY "device"`,
  /** Broker clients by role. */
  brokerClients:
    'SELECT last("clients") AS "all", last("clients_device") AS "device", last("clients_ingest") AS "ingest", ' +
    'last("clients_organiser") AS "organiser", last("clients_public") AS "public" ' +
    `FROM "broker" WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(previous)`,
  /** Broker clients now. */
  brokerClientsNow: `SELECT last("clients") AS "clients" FROM "broker" WHERE ${EVENT} AND $timeFilter`,
  /** Broker messages per second, in and out (the counters are cumulative). */
  brokerRates:
    'SELECT non_negative_derivative(max("messages_in"), 1s) AS "in", non_negative_derivative(max("messages_out"), 1s) AS "out" ' +
    `FROM "broker" WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Ingest lag (press → stored) over time. */
  ingestLag: `SELECT max("lag_ms") AS "lag" FROM "ingest" WHERE ${EVENT} AND $timeFilter GROUP BY time($__interval) fill(none)`,
  /** Ingest lag and journal backlog now. */
  ingestNow: `SELECT last("lag_ms") AS "lag", last("pending") AS "pending" FROM "ingest" WHERE ${EVENT} AND $timeFilter`,
} as const;
