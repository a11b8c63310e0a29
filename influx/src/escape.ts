/*
 * Every escape LikeBox needs to speak to InfluxDB, in one place.
 *
 * Line protocol: node-influx escapes what line protocol can escape (tag values: `,` `=` and space;
 * string fields: `"` and `\`). What it cannot carry is cleaned here, before node-influx sees it
 * (measured on influxd 1.6.7):
 * - a newline ends the line wherever it is in a tag value ("missing fields"), and the line protocol
 *   of 1.x, 2.x and 3.x documents no escape for it in tags or string fields;
 * - a tag value ending in a backslash escapes the separator after it ("invalid tag format", also
 *   with the backslash doubled); a backslash elsewhere is stored as is, doubled it is stored twice;
 * - an empty tag value is refused ("missing tag value"): InfluxDB's meaning for it is "no tag".
 *
 * InfluxQL: string literals `'…'` and identifiers `"…"`, for the queries LikeBox builds itself.
 */

const NEWLINES = /[\r\n]+/g;
const NEEDS_CLEANING = /[\r\n]|\\$/;
const TRAILING_BACKSLASHES = /\\+$/;

/**
 * A string as a tag value InfluxDB stores unchanged: newlines become a space and trailing
 * backslashes are dropped. May return `''`, which the point builders leave out (no tag).
 */
export function tagValue(value: string): string {
  // The common case (slugs, ids) returns at once: this runs for every tag of every vote.
  if (!NEEDS_CLEANING.test(value)) return value;
  return value.replace(NEWLINES, ' ').replace(TRAILING_BACKSLASHES, '');
}

/** A string as a string field value: newlines become a space (node-influx escapes `"` and `\`). */
export function fieldString(value: string): string {
  return value.includes('\n') || value.includes('\r') ? value.replace(NEWLINES, ' ') : value;
}

/**
 * An InfluxQL string literal: `'…'` with `\` `'` and newline escaped. InfluxQL has no escape for a
 * carriage return (influxd 1.6.7 refuses the query): each becomes a space.
 */
export function influxQLString(value: string): string {
  const escaped = value
    .replace(/[\\']/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, ' ');
  return `'${escaped}'`;
}

/** An InfluxQL identifier (measurement, field, tag key, retention policy): `"…"` with `\` and `"` escaped. */
export function influxQLIdentifier(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
