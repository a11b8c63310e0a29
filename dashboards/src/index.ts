export {
  ALERT_FOLDER,
  ALERT_GROUP,
  alertRulesDocument,
  CONTACT_POINT,
  contactPointsDocument,
  PLACEHOLDER_EMAILS,
  provisioningYaml,
} from './alerting/provisioning.js';
export {
  ALERT_DEFAULTS,
  type AlertEvaluator,
  type AlertReducer,
  type AlertRuleSpec,
  alertRules,
  STUCK_BUTTON_FLAG,
} from './alerting/rules.js';
export { type Config, configOf, DashboardsEnv, loadConfig } from './config.js';
export { DASHBOARD_UIDS, type DashboardOptions } from './dashboards/common.js';
export { dashboardsCommand } from './dashboardsCommand.js';
export { ConfigError, DashboardsError } from './errors.js';
export {
  buildDashboards,
  type GeneratedFile,
  type GenerateOptions,
  generateFiles,
  writeFiles,
} from './generate.js';
export { type InfluxQuery, InfluxQueryBuilder, type InfluxResultFormat } from './influxQuery.js';
export {
  DATASOURCE,
  DATASOURCE_UID,
  dashboardProviderYaml,
  datasourceYaml,
  INFLUX_VERSIONS,
  type InfluxVersion,
} from './provisioning.js';
export {
  fleetQueries,
  leaderboardQueries,
  liveQueries,
  talkQueries,
  variableQueries,
} from './queries.js';
export { WILSON_Z_95, wilsonInfluxQL, wilsonLowerBound } from './wilson.js';
