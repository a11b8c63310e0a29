import { stringify } from 'yaml';
import { DATASOURCE, DATASOURCE_UID } from '../provisioning.js';
import type { AlertRuleSpec } from './rules.js';

/**
 * Grafana unified alerting file provisioning (`provisioning/alerting/*.yaml`, apiVersion 1): the
 * rule group, the contact point and the notification policy. Field names follow Grafana's file
 * format (its `AlertingFileV1`, `AlertRuleGroupV1`, `AlertRuleV1`, `QueryV1`, `ContactPointV1`
 * types), which is not the HTTP provisioning API's format the foundation SDK's alerting types
 * describe, hence plain objects here.
 */

/**
 * The folder (title) the rules go into. Not the dashboards' `LikeBox`: Grafana provisions alerting
 * before dashboards and creates a missing rule folder by title with a random uid, which would stand
 * in the way of the dashboards' folder of uid `likebox` and the same title.
 */
export const ALERT_FOLDER = 'LikeBox alerts';

/** The rule group: every rule evaluated every minute. */
export const ALERT_GROUP = { name: 'likebox-notices', interval: '1m' } as const;

/** Name of the contact point the organiser fills in, and uid of its one receiver. */
export const CONTACT_POINT = { name: 'LikeBox organisers', uid: 'likebox-organisers' } as const;

/** Placeholder addresses: `.invalid` never resolves (RFC 2606), so nothing is sent by mistake. */
export const PLACEHOLDER_EMAILS = 'organisers@example.invalid';

/** Grafana's server-side expressions are a pseudo datasource of this uid and type. */
const EXPRESSIONS = { type: '__expr__', uid: '__expr__' } as const;

/** A rule's three steps: A the InfluxQL query, B its reduction per series, C the threshold. */
function ruleData(rule: AlertRuleSpec): object[] {
  return [
    {
      refId: 'A',
      relativeTimeRange: { from: rule.rangeSeconds, to: 0 },
      datasourceUid: DATASOURCE_UID,
      model: {
        refId: 'A',
        datasource: DATASOURCE,
        query: rule.query,
        rawQuery: true,
        resultFormat: 'time_series',
        intervalMs: 1000,
        maxDataPoints: 43200,
      },
    },
    {
      refId: 'B',
      datasourceUid: EXPRESSIONS.uid,
      model: {
        refId: 'B',
        datasource: EXPRESSIONS,
        type: 'reduce',
        expression: 'A',
        reducer: rule.reducer,
        // Drop null and NaN points before reducing (a bucket without data is not a zero).
        settings: { mode: 'dropNN' },
      },
    },
    {
      refId: 'C',
      datasourceUid: EXPRESSIONS.uid,
      model: {
        refId: 'C',
        datasource: EXPRESSIONS,
        type: 'threshold',
        expression: 'B',
        conditions: [{ evaluator: { type: rule.evaluator.type, params: [rule.evaluator.param] } }],
      },
    },
  ];
}

/** The rule as Grafana's file provisioning spells it. */
function ruleEntry(rule: AlertRuleSpec): object {
  return {
    uid: rule.uid,
    title: rule.title,
    condition: 'C',
    data: ruleData(rule),
    noDataState: rule.noData,
    // A query that fails (InfluxDB down, bad credentials) shows as an error alert of its own.
    execErrState: 'Error',
    for: rule.for,
    annotations: { summary: rule.summary, description: rule.description },
    labels: { likebox: 'notice', notice: rule.notice },
    isPaused: false,
  };
}

/** The alert rules file's content (an object), for `rules`. */
export function alertRulesDocument(rules: readonly AlertRuleSpec[]): object {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: ALERT_GROUP.name,
        folder: ALERT_FOLDER,
        interval: ALERT_GROUP.interval,
        rules: rules.map(ruleEntry),
      },
    ],
  };
}

/**
 * The contact point (e-mail to `emails`, `;`-separated) and the notification policy sending every
 * alert of the organisation to it. A provisioned policy replaces the organisation's whole policy
 * tree: LikeBox's Grafana has no other alerts.
 */
export function contactPointsDocument(emails: string): object {
  return {
    apiVersion: 1,
    contactPoints: [
      {
        orgId: 1,
        name: CONTACT_POINT.name,
        receivers: [
          {
            uid: CONTACT_POINT.uid,
            type: 'email',
            settings: { addresses: emails, singleEmail: true },
            disableResolveMessage: false,
          },
        ],
      },
    ],
    policies: [
      {
        orgId: 1,
        receiver: CONTACT_POINT.name,
        group_by: ['grafana_folder', 'alertname'],
        group_wait: '30s',
        group_interval: '5m',
        repeat_interval: '4h',
      },
    ],
  };
}

/** A provisioning document as YAML, under a comment saying where it comes from. */
export function provisioningYaml(document: object, comment: readonly string[]): string {
  const header = comment.map((line) => `# ${line}`).join('\n');
  // lineWidth 0: long InfluxQL stays on one line, as written; no YAML anchors for shared objects.
  return `${header}\n${stringify(document, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
