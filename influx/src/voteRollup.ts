/**
 * Measurement `vote_1m`: the votes pre-aggregated per event, room, talk and minute, so the
 * leaderboard reads ~70,000 points instead of 1,000,000 votes (benchmark in bench/dashboards.ts).
 *
 * - tags: `event`, `room`, `talk` (as in `vote`)
 * - fields: `votes` (integer, count of votes), `net` (integer, likes − dislikes)
 * - time: the minute's start.
 *
 * It is rebuilt from `vote` itself (InfluxQL + line protocol, so it works on InfluxDB 1.x, 2.x and
 * 3.x alike), minute by minute: {@link refreshVoteRollup} recomputes every minute of a time range and
 * overwrites those points (same series and time → one point). Call it after each batch of votes is
 * written, for the range of those votes' timestamps: a box that was offline for hours delivers old
 * votes late, and only the minutes they fall in are recomputed (a continuous query would miss them
 * once its RESAMPLE window has passed).
 */

/** The rollup's measurement name. */
export const VOTE_ROLLUP_MEASUREMENT = 'vote_1m';

const MINUTE_MS = 60_000;

/** One series of a v1 `/query` answer. */
export interface InfluxSeries {
  /** Measurement name. */
  name: string;
  /** GROUP BY tags. */
  tags?: Record<string, string>;
  /** Column names, `time` first. */
  columns: string[];
  /** Rows; `time` in epoch ms (query with `epoch=ms`). */
  values: (string | number | boolean | null)[][];
}

/** What {@link refreshVoteRollup} needs from an InfluxDB client (v1 API). */
export interface RollupClient {
  /** Runs InfluxQL with `epoch=ms` and returns the first statement's series. */
  query(influxql: string): Promise<InfluxSeries[]>;
  /** Writes line protocol with precision `ms`. */
  write(lines: string): Promise<void>;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The InfluxQL computing the rollup of `[from, to)`, both rounded out to whole minutes. */
export function voteRollupQuery(event: string, fromMs: number, toMs: number): string {
  const from = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  const to = Math.ceil((toMs + 1) / MINUTE_MS) * MINUTE_MS;
  return (
    'SELECT count("value") AS "votes", sum("value") AS "net" FROM "vote" ' +
    `WHERE "event" = ${quote(event)} AND time >= ${from}ms AND time < ${to}ms ` +
    'GROUP BY time(1m), "room", "talk" fill(none)'
  );
}

function escapeTag(value: string): string {
  return value.replace(/[\\,= ]/g, (c) => `\\${c}`);
}

/** Line protocol of the rollup points in the answer to {@link voteRollupQuery}. */
export function voteRollupLines(event: string, series: readonly InfluxSeries[]): string[] {
  return series.flatMap((one) => {
    const tags = `event=${escapeTag(event)},room=${escapeTag(one.tags?.room ?? '')},talk=${escapeTag(one.tags?.talk ?? '')}`;
    const at = one.columns.indexOf('time');
    const votes = one.columns.indexOf('votes');
    const net = one.columns.indexOf('net');
    return one.values
      .filter((row) => typeof row[votes] === 'number')
      .map(
        (row) =>
          `${VOTE_ROLLUP_MEASUREMENT},${tags} votes=${row[votes]}i,net=${row[net]}i ${row[at]}`,
      );
  });
}

/**
 * Recomputes the rollup of every minute touching `[fromMs, toMs]`, a day at a time, and returns the
 * number of rollup points written.
 */
export async function refreshVoteRollup(
  client: RollupClient,
  event: string,
  fromMs: number,
  toMs: number,
): Promise<number> {
  const DAY_MS = 86_400_000;
  let written = 0;
  for (let start = fromMs; start <= toMs; start += DAY_MS) {
    const end = Math.min(toMs, start + DAY_MS - 1);
    const lines = voteRollupLines(event, await client.query(voteRollupQuery(event, start, end)));
    for (let i = 0; i < lines.length; i += 5_000) {
      await client.write(lines.slice(i, i + 5_000).join('\n'));
    }
    written += lines.length;
  }
  return written;
}
