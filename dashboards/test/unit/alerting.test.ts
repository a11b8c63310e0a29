import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules } from '../../src/alerting/rules.js';
import { loadConfig } from '../../src/config.js';
import { generateFiles } from '../../src/generate.js';
import { DATASOURCE_UID } from '../../src/provisioning.js';
import { AlertingFile, policyReceivers } from '../support/alertingSchema.js';

const files = generateFiles(loadConfig({}));
const alerting = files.filter((file) => file.path.startsWith('provisioning/alerting/'));
const parsed = alerting.map((file) => AlertingFile.parse(parse(file.content)));
const rulesFile = parse(
  alerting.find((file) => file.path.endsWith('likebox-rules.yaml'))?.content ?? '',
);

/** A deep copy of the rules file with `change` applied. */
function changed(change: (file: typeof rulesFile) => void): unknown {
  const copy = structuredClone(rulesFile);
  change(copy);
  return copy;
}

describe('alerting provisioning files', () => {
  it.each(alerting.map((file) => [file.path, file.content]))(
    '%s validates against Grafana’s alerting file provisioning format',
    (_path, content) => {
      // Act
      const result = AlertingFile.safeParse(parse(content));

      // Assess
      expect(result.error).toBeUndefined();
    },
  );

  it('provisions every rule once, on the provisioned InfluxDB datasource, in their own folder', () => {
    // Act
    const groups = parsed.flatMap((file) => file.groups ?? []);
    const rules = groups.flatMap((group) => group.rules);
    const datasources = new Set(
      rules.flatMap((rule) => rule.data.map((step) => step.datasourceUid)),
    );

    // Assess
    expect(groups.map((group) => [group.folder, group.interval])).toEqual([
      ['LikeBox alerts', '1m'],
    ]);
    expect(rules.map((rule) => rule.uid)).toEqual(alertRules('demo').map((rule) => rule.uid));
    expect(new Set(rules.map((rule) => rule.uid)).size).toBe(rules.length);
    expect([...datasources].sort()).toEqual([DATASOURCE_UID, '__expr__'].sort());
    expect(rules.every((rule) => rule.labels?.likebox === 'notice')).toBe(true);
  });

  it('sends every alert to the contact point left for the organiser, a placeholder by default', () => {
    // Act
    const points = parsed.flatMap((file) => file.contactPoints ?? []);
    const filled = generateFiles(
      loadConfig({ LIKEBOX_GRAFANA_ALERT_EMAILS: 'crew@breizhcamp.org;lead@breizhcamp.org' }),
    );

    // Assess
    expect(points.map((point) => point.name)).toEqual(['LikeBox organisers']);
    expect(points[0]?.receivers[0]?.settings.addresses).toBe('organisers@example.invalid');
    expect(policyReceivers(parsed)).toEqual(['LikeBox organisers']);
    expect(filled.find((file) => file.path.endsWith('contact-point.yaml'))?.content).toContain(
      'addresses: crew@breizhcamp.org;lead@breizhcamp.org',
    );
  });

  it('refuses addresses that are not e-mail addresses', () => {
    // Act
    const load = () => loadConfig({ LIKEBOX_GRAFANA_ALERT_EMAILS: 'crew;' });

    // Assess
    expect(load).toThrow(/LIKEBOX_GRAFANA_ALERT_EMAILS/);
  });

  it.each([
    [
      'an unknown key',
      (file: typeof rulesFile) => Object.assign(file.groups[0].rules[0], { fro: '5m' }),
    ],
    [
      'a condition naming no step',
      (file: typeof rulesFile) => Object.assign(file.groups[0].rules[0], { condition: 'D' }),
    ],
    [
      'an expression reading a later step',
      (file: typeof rulesFile) =>
        Object.assign(file.groups[0].rules[0].data[1].model, { expression: 'C' }),
    ],
    [
      'a duration Grafana cannot parse',
      (file: typeof rulesFile) => Object.assign(file.groups[0], { interval: '1 minute' }),
    ],
    [
      'a query without a time range',
      (file: typeof rulesFile) => delete file.groups[0].rules[0].data[0].relativeTimeRange,
    ],
    [
      'an unknown no-data state',
      (file: typeof rulesFile) => Object.assign(file.groups[0].rules[0], { noDataState: 'Ok' }),
    ],
  ])('rejects a rules file with %s', (_name, change) => {
    // Act
    const result = AlertingFile.safeParse(changed(change));

    // Assess
    expect(result.success).toBe(false);
  });
});
