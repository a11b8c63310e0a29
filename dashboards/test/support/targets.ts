import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { InfluxQuery } from '../../src/influxQuery.js';
import type { ExpandContext, VariableState } from './grafanaMacros.js';

/** One InfluxQL text of a dashboard, with what Grafana needs to expand it. */
export interface DashboardTarget {
  /** `<dashboard uid> / <panel title | annotation name | $variable> / <refId>`. */
  key: string;
  /** The InfluxQL with macros. */
  query: string;
  /** The panel's min interval (its `interval`), if any. */
  minInterval?: string;
  /** The panel's max data points, if set. */
  maxDataPoints?: number;
}

interface PanelLike {
  title?: string;
  interval?: string;
  maxDataPoints?: number;
  targets?: unknown[];
  panels?: PanelLike[];
}

function panelTargets(uid: string, panel: PanelLike): DashboardTarget[] {
  const own = (panel.targets ?? []).map((target) => {
    const query = target as InfluxQuery;
    return {
      key: `${uid} / ${panel.title} / ${query.refId}`,
      query: query.query,
      ...(panel.interval === undefined ? {} : { minInterval: panel.interval }),
      ...(panel.maxDataPoints === undefined ? {} : { maxDataPoints: panel.maxDataPoints }),
    };
  });
  return [...own, ...(panel.panels ?? []).flatMap((child) => panelTargets(uid, child))];
}

/** Every panel target, annotation query and query variable of the dashboard. */
export function dashboardTargets(dashboard: Dashboard): DashboardTarget[] {
  const uid = dashboard.uid ?? '?';
  const panels = (dashboard.panels ?? []).flatMap((panel) => panelTargets(uid, panel as PanelLike));
  const annotations = (dashboard.annotations?.list ?? []).map((annotation) => ({
    key: `${uid} / ${annotation.name} / annotation`,
    query: (annotation.target as unknown as InfluxQuery).query,
  }));
  const variables = (dashboard.templating.list ?? [])
    .filter((variable) => variable.type === 'query')
    .map((variable) => ({
      key: `${uid} / $${variable.name} / variable`,
      query: String(variable.query),
    }));
  return [...panels, ...annotations, ...variables];
}

/** The dashboard's default range and its variables' multi/All settings, with chosen values. */
export function dashboardContext(
  dashboard: Dashboard,
  values: Record<string, string | string[]>,
  options: Record<string, string[]>,
  now: number,
): Omit<ExpandContext, 'minInterval' | 'maxDataPoints'> {
  const variables: Record<string, VariableState> = {};
  for (const variable of dashboard.templating.list ?? []) {
    const value = values[variable.name];
    if (value === undefined) continue;
    variables[variable.name] = {
      value,
      ...(variable.multi === undefined ? {} : { multi: variable.multi }),
      ...(variable.includeAll === undefined ? {} : { includeAll: variable.includeAll }),
      ...(options[variable.name] === undefined ? {} : { options: options[variable.name] }),
    };
  }
  return {
    from: dashboard.time?.from ?? 'now-6h',
    to: dashboard.time?.to ?? 'now',
    now,
    variables,
  };
}
