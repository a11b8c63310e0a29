import type { InfluxClient } from '@likebox/influx';
import type { AlertRuleSpec } from '../../src/alerting/rules.js';
import { timeFilter } from './grafanaMacros.js';

/**
 * Evaluates a LikeBox alert rule on a real influxd the way Grafana's alerting does, so a test can
 * say "this rule fires on that data":
 * - the query's `$timeFilter` covers `now - rangeSeconds` to `now` in absolute epoch ms (Grafana's
 *   InfluxQL backend renders a rule's relative range as `time >= …ms and time <= …ms`);
 * - each series of the answer is one alert instance, its tags its labels (a `time_series` answer
 *   with one value column is one frame per series);
 * - the reduce expression takes the series' last / max / min value after dropping nulls and NaN
 *   (`dropNN`); a series left empty reduces to NaN, which passes no threshold;
 * - the threshold compares that number with the rule's (`gt`: above, `lt`: below);
 * - an answer without any series is NoData: firing one label-less instance when the rule's
 *   `noDataState` is `Alerting`, nothing when it is `OK`.
 * Not reproduced: `for` (pending before firing), which only delays what this returns.
 */

/** The outcome of one evaluation. */
export interface AlertEvaluation {
  /** The query answered no series at all. */
  noData: boolean;
  /** Labels of the instances that fire, with their reduced value (NaN for NoData). */
  firing: { labels: Record<string, string>; value: number }[];
  /** Every series' reduced value, by its labels as `k=v,…` (to explain a failure). */
  values: Record<string, number>;
}

function reduce(values: readonly number[], reducer: AlertRuleSpec['reducer']): number {
  if (values.length === 0) return Number.NaN;
  if (reducer === 'last') return values.at(-1) as number;
  return reducer === 'max' ? Math.max(...values) : Math.min(...values);
}

function passes(value: number, evaluator: AlertRuleSpec['evaluator']): boolean {
  if (Number.isNaN(value)) return false;
  return evaluator.type === 'gt' ? value > evaluator.param : value < evaluator.param;
}

/** `rule`'s query expanded as Grafana runs it at `now`. */
export function alertQuery(rule: AlertRuleSpec, now: number): string {
  const range = {
    from: String(now - rule.rangeSeconds * 1000),
    to: String(now),
    now,
    variables: {},
  };
  return rule.query.replaceAll('$timeFilter', timeFilter(range));
}

/** Runs `rule` on `influx` at `now` (epoch ms) and says which instances fire. */
export async function evaluateAlert(
  influx: InfluxClient,
  rule: AlertRuleSpec,
  now: number,
): Promise<AlertEvaluation> {
  const series = await influx.query(alertQuery(rule, now));
  if (series.length === 0) {
    const firing = rule.noData === 'Alerting' ? [{ labels: {}, value: Number.NaN }] : [];
    return { noData: true, firing, values: {} };
  }
  const firing: AlertEvaluation['firing'] = [];
  const values: Record<string, number> = {};
  for (const one of series) {
    const column = one.columns.findIndex((name) => name !== 'time');
    const numbers = one.values
      .map((row) => row[column])
      .filter((value): value is number => typeof value === 'number' && !Number.isNaN(value));
    const labels = { ...(one.tags ?? {}) } as Record<string, string>;
    const value = reduce(numbers, rule.reducer);
    values[
      Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    ] = value;
    if (passes(value, rule.evaluator)) firing.push({ labels, value });
  }
  return { noData: false, firing, values };
}
