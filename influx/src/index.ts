export { createInfluxClient, type InfluxClientOptions, InfluxRequestError } from './client.js';
export type { InfluxConfig } from './config.js';
export { InfluxError } from './errors.js';
export {
  freePort,
  InfluxdStartError,
  type ManagedInfluxd,
  type ManagedInfluxdOptions,
  startManagedInfluxd,
} from './managedInfluxd.js';
export {
  devicePoint,
  type IngestStats,
  influxSchema,
  ingestPoint,
  msToNs,
  type StoredVote,
  votePoint,
  voteTimestampNs,
  WRITE_PRECISION,
} from './points.js';
export { ensureDatabase } from './setup.js';
export {
  scheduleToTalkPoints,
  TALK_MEASUREMENT,
  type TalkPoint,
  talkPointsToLineProtocol,
} from './talkPoints.js';
export {
  type InfluxSeries,
  type RollupClient,
  refreshVoteRollup,
  VOTE_ROLLUP_MEASUREMENT,
  voteRollupLines,
  voteRollupQuery,
} from './voteRollup.js';
