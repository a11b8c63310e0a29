/**
 * What the ingest writes for the dashboards: `talk` points and the `vote_1m` rollup, and the small
 * InfluxDB client they use. A separate entry (`@likebox/dashboards/feeds`) so the ingest does not
 * load the dashboard generator, the Grafana SDK or the live page's bundler.
 */
export {
  createInfluxClient,
  type InfluxClientOptions,
  InfluxRequestError,
} from './influxClient.js';
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
