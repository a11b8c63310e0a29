import { FieldType, type IPoint, type ISchemaOptions } from 'influx';
import { fieldString, influxQLIdentifier, tagValue } from './escape.js';

/*
 * The InfluxDB schema of the contract (ARCHITECTURE.md, "InfluxDB schema"): every measurement
 * LikeBox writes or reads, defined once. The point builders, node-influx's schema and the
 * dashboards' queries take their names from here.
 */

/**
 * Precision of every write, the same for every measurement so that points of any measurement can
 * share a request. `ns` is the one spelling InfluxDB 1.x, 2.x and 3.x all document, and it is sent
 * on every request: influxd 1.6.7 silently stores an unknown precision (`us`, `bogus`) as ns.
 */
export const PRECISION = 'ns';

/**
 * Where a measurement's points go: the retention policy set by `LIKEBOX_INFLUX_RETENTION_POLICY`
 * (the database's default one when unset), or always the default one, where the dashboards read.
 */
export type RetentionTarget = 'configured' | 'default';

/** One measurement of the contract. */
export interface Measurement {
  /** Measurement name. */
  readonly name: string;
  /** Tag keys. */
  readonly tags: readonly string[];
  /** Field keys and their InfluxDB types (an integer field refuses a float: HTTP 400). */
  readonly fields: Readonly<Record<string, FieldType>>;
  /** How a point's time is chosen. */
  readonly time: string;
  /** Write precision: always {@link PRECISION}. */
  readonly precision: typeof PRECISION;
  /** Retention policy its points are written to. */
  readonly retention: RetentionTarget;
}

const INT = FieldType.INTEGER;
const STR = FieldType.STRING;
const BOOL = FieldType.BOOLEAN;

/**
 * `vote`: one point per journalled vote, written by the ingest. A vote's identity is (event, device,
 * epoch, seq): the `epoch` tag (left out for the legacy epoch `""`, so votes of boxes from before
 * epochs keep the series they always had) keeps apart two lives of one device id whose seqs both
 * start at 1, where the timestamp alone could collide. It adds a series per box life only (a new
 * SD card, a second box with the same id): a few per box and event.
 */
export const VOTE = {
  name: 'vote',
  tags: ['event', 'room', 'talk', 'device', 'epoch'],
  fields: { value: INT, seq: INT, flagged: INT, flag: STR },
  time: 'press time, ms × 10⁶ + (seq mod 10⁶) ns: unique per (device, epoch, seq) with the epoch tag, identical on rewrite',
  precision: PRECISION,
  retention: 'configured',
} as const satisfies Measurement;

/**
 * `device`: one point per live `status` of a box, written by the ingest; `shared` (two boxes, two
 * epochs, voting under this device id) also when the ingest sees it become shared or free again.
 */
export const DEVICE = {
  name: 'device',
  tags: ['event', 'device', 'room'],
  fields: {
    online: BOOL,
    outbox: INT,
    uptime: FieldType.FLOAT,
    version: STR,
    last_seq: INT,
    synced: BOOL,
    clock_offset_ms: INT,
    shared: BOOL,
  },
  time: 'arrival of the status at the ingest, or when the ingest saw the id shared or free again',
  precision: PRECISION,
  retention: 'configured',
} as const satisfies Measurement;

/** `talk`: one point per votable talk, rewritten by the ingest when the schedule changes. */
export const TALK = {
  name: 'talk',
  tags: ['event', 'room', 'talk'],
  fields: { title: STR, speakers: STR, format: STR, start: INT, end: INT, opens: INT, closes: INT },
  time: 'scheduled start (a delay moves the fields, not the point)',
  precision: PRECISION,
  retention: 'default',
} as const satisfies Measurement;

/** `vote_1m`: the votes per event, room, talk and minute, kept by the ingest from its journal. */
export const VOTE_1M = {
  name: 'vote_1m',
  tags: ['event', 'room', 'talk'],
  fields: { votes: INT, net: INT },
  time: 'start of the minute; rewritten whole, so a rewrite overwrites',
  precision: PRECISION,
  retention: 'default',
} as const satisfies Measurement;

/** `ingest`: the ingest's own health, every ~10 s. */
export const INGEST = {
  name: 'ingest',
  tags: ['event'],
  fields: { pending: INT, lag_ms: INT, accepted: INT, duplicates: INT, invalid: INT, gaps: INT },
  time: 'when measured',
  precision: PRECISION,
  retention: 'configured',
} as const satisfies Measurement;

/** `broker`: clients and message counters, every ~10 s, by the process hosting the broker. */
export const BROKER = {
  name: 'broker',
  tags: ['event'],
  fields: {
    clients: INT,
    clients_device: INT,
    clients_ingest: INT,
    clients_organiser: INT,
    clients_public: INT,
    messages_in: INT,
    messages_out: INT,
  },
  time: 'when measured',
  precision: PRECISION,
  retention: 'default',
} as const satisfies Measurement;

/** Every measurement of the contract. */
export const MEASUREMENTS = [VOTE, DEVICE, TALK, VOTE_1M, INGEST, BROKER] as const;

/** A measurement's name. */
export type MeasurementName = (typeof MEASUREMENTS)[number]['name'];

const BY_NAME = new Map<string, Measurement>(MEASUREMENTS.map((m) => [m.name, m]));

/** The retention policy to write `measurement` into, given the configured one (undefined: default). */
export function retentionPolicyOf(
  measurement: string,
  configured: string | undefined,
): string | undefined {
  return BY_NAME.get(measurement)?.retention === 'configured' ? configured : undefined;
}

/** node-influx schemas of every measurement: integers are sent as integers (`1i`), never floats. */
export function influxSchema(database: string): ISchemaOptions[] {
  return MEASUREMENTS.map((m) => ({
    database,
    measurement: m.name,
    tags: [...m.tags],
    fields: { ...m.fields },
  }));
}

type ValueOf<T extends FieldType> = T extends typeof STR
  ? string
  : T extends typeof BOOL
    ? boolean
    : number;

/** The tag set of a point of `M`. */
export type TagsOf<M extends Measurement> = Record<M['tags'][number], string>;

/** The field set of a point of `M` (a field left out is not written). */
export type FieldsOf<M extends Measurement> = {
  [K in keyof M['fields']]?: M['fields'][K] extends FieldType ? ValueOf<M['fields'][K]> : never;
};

/** A point of one of the {@link MEASUREMENTS}, as node-influx writes it. */
export interface InfluxPoint extends IPoint {
  /** Measurement name. */
  measurement: MeasurementName;
  /** Tag set, values cleaned by {@link tagValue}; empty ones left out. */
  tags: Record<string, string>;
  /** Field set. */
  fields: Record<string, number | string | boolean>;
  /** Time in {@link PRECISION}, as a decimal string (ns do not fit in a JS number). */
  timestamp: string;
}

/**
 * A point of `measurement`, its tag and field names checked against the definition at compile
 * time: tag values go through {@link tagValue} (left out when empty), string fields through
 * {@link fieldString}.
 */
export function point<M extends Measurement>(
  measurement: M,
  tags: TagsOf<M>,
  fields: FieldsOf<M>,
  timestampNs: string,
): InfluxPoint {
  const cleanTags: Record<string, string> = {};
  for (const key of measurement.tags) {
    const value = tagValue((tags as Record<string, string>)[key] ?? '');
    if (value !== '') cleanTags[key] = value;
  }
  let cleanFields = fields as Record<string, number | string | boolean>;
  for (const key in cleanFields) {
    const value = cleanFields[key];
    if (typeof value !== 'string') continue;
    const clean = fieldString(value);
    if (clean !== value) cleanFields = { ...cleanFields, [key]: clean };
  }
  return {
    measurement: measurement.name as MeasurementName,
    tags: cleanTags,
    fields: cleanFields,
    timestamp: timestampNs,
  };
}

/** The InfluxQL identifiers of a measurement: `from` (its name) and each tag and field key. */
export type Identifiers<M extends Measurement> = { from: string } & Record<
  M['tags'][number] | (keyof M['fields'] & string),
  string
>;

/**
 * The InfluxQL identifiers of `measurement`, quoted (`"vote"`, `"value"`, ...): queries written
 * with them name only what the contract defines, checked at compile time.
 */
export function identifiers<M extends Measurement>(measurement: M): Identifiers<M> {
  const keys = [...measurement.tags, ...Object.keys(measurement.fields)];
  return Object.fromEntries([
    ['from', influxQLIdentifier(measurement.name)],
    ...keys.map((key) => [key, influxQLIdentifier(key)]),
  ]) as Identifiers<M>;
}
