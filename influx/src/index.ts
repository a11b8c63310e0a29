export {
  InfluxClient,
  type InfluxConnection,
  InfluxRequestError,
  type InfluxRow,
  type InfluxSeries,
} from './client.js';
export type { InfluxConfig } from './config.js';
export { InfluxError } from './errors.js';
export { fieldString, influxQLIdentifier, influxQLString, tagValue } from './escape.js';
export {
  freePort,
  InfluxdStartError,
  type ManagedInfluxd,
  type ManagedInfluxdOptions,
  startManagedInfluxd,
} from './managedInfluxd.js';
export {
  BROKER,
  DEVICE,
  type FieldsOf,
  type Identifiers,
  INGEST,
  type InfluxPoint,
  identifiers,
  influxSchema,
  MEASUREMENTS,
  type Measurement,
  type MeasurementName,
  PRECISION,
  point,
  type RetentionTarget,
  retentionPolicyOf,
  TALK,
  type TagsOf,
  VOTE,
  VOTE_1M,
} from './measurements.js';
export {
  type BrokerStats,
  brokerPoint,
  devicePoint,
  type IngestStats,
  ingestPoint,
  msToNs,
  type StoredVote,
  sharedIdPoint,
  votePoint,
  voteTimestampNs,
} from './points.js';
export { ensureDatabase } from './setup.js';
export { scheduleToTalkPoints } from './talkPoints.js';
export {
  MINUTE_MS,
  minuteOf,
  type RollupVote,
  rollUpVotes,
  type VoteMinute,
  voteMinutePoint,
} from './voteRollup.js';
