import {
  type DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type DataTransformerConfig,
  type DynamicConfigValue,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder as TimeseriesBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { InfluxQueryBuilder, type InfluxResultFormat } from '../influxQuery.js';
import { DATASOURCE } from '../provisioning.js';
import { variableQueries } from '../queries.js';

/** Options shared by every dashboard generator. */
export interface DashboardOptions {
  /** The event slug preselected in the `event` variable (`LIKEBOX_EVENT`). */
  event: string;
}

/** Stable uids: links, bookmarks and the provisioning rely on them. */
export const DASHBOARD_UIDS = {
  live: 'likebox-live-rooms',
  leaderboard: 'likebox-leaderboard',
  talk: 'likebox-talk',
  fleet: 'likebox-fleet',
} as const;

/** Tags put on every LikeBox dashboard (the dashboard links list them). */
export const DASHBOARD_TAG = 'likebox';

/** An InfluxQL target on the LikeBox datasource. */
export function influx(
  refId: string,
  query: string,
  format: InfluxResultFormat = 'time_series',
  alias?: string,
): InfluxQueryBuilder {
  const builder = new InfluxQueryBuilder(query)
    .refId(refId)
    .datasource(DATASOURCE)
    .resultFormat(format);
  return alias === undefined ? builder : builder.alias(alias);
}

/** The `event` variable: one event, preselected. */
export function eventVariable(options: DashboardOptions): QueryVariableBuilder {
  return new QueryVariableBuilder('event')
    .label('Event')
    .datasource(DATASOURCE)
    .query(variableQueries.event)
    .current({ text: options.event, value: options.event, selected: true })
    .refresh(VariableRefresh.OnDashboardLoad)
    .sort(VariableSort.AlphabeticalAsc);
}

/** The `room` variable: several rooms or All (Grafana then sends every room as `(a|b|...)`). */
export function roomVariable(): QueryVariableBuilder {
  return new QueryVariableBuilder('room')
    .label('Room')
    .datasource(DATASOURCE)
    .query(variableQueries.room)
    .multi(true)
    .includeAll(true)
    .current({ text: ['All'], value: ['$__all'], selected: true })
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Field overrides giving a series a fixed colour. */
export function fixedColour(colour: string): DynamicConfigValue[] {
  return [{ id: 'color', value: { mode: 'fixed', fixedColor: colour } }];
}

/** Likes are green, dislikes red, on every LikeBox panel. */
export const LIKE_COLOUR = 'green';
/** See {@link LIKE_COLOUR}. */
export const DISLIKE_COLOUR = 'red';

/** Any panel builder of the SDK: each has `overrideByName`. */
interface Overridable<T> {
  overrideByName(name: string, properties: DynamicConfigValue[]): T;
}

/** Colours the panel's `likes` and `dislikes` fields (overrides appended after the panel's own). */
export function colourLikes<T extends Overridable<T>>(panel: T): T {
  return panel
    .overrideByName('likes', fixedColour(LIKE_COLOUR))
    .overrideByName('dislikes', fixedColour(DISLIKE_COLOUR));
}

/** `joinByField` transformation (Grafana's "Join by field"). */
export function joinBy(field: string, mode: 'inner' | 'outer' = 'inner'): DataTransformerConfig {
  return { id: 'joinByField', options: { byField: field, mode } };
}

/**
 * Keeps only `fields`, in that order, renamed by `rename` (`filterFieldsByName` + `organize`):
 * whatever else the join produced (time columns, duplicates) is dropped.
 */
export function keepFields(
  fields: readonly string[],
  rename: Record<string, string> = {},
): DataTransformerConfig[] {
  return [
    { id: 'filterFieldsByName', options: { include: { names: [...fields] } } },
    {
      id: 'organize',
      options: {
        indexByName: Object.fromEntries(fields.map((name, index) => [name, index])),
        renameByName: rename,
      },
    },
  ];
}

/** The settings every LikeBox dashboard shares: tags, timezone, links to the others. */
export function withCommon(builder: DashboardBuilder, uid: string): DashboardBuilder {
  return builder
    .uid(uid)
    .tags([DASHBOARD_TAG])
    .timezone('browser')
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .link(linkToOthers());
}

function linkToOthers(): DashboardLinkBuilder {
  return new DashboardLinkBuilder('LikeBox')
    .type(DashboardLinkType.Dashboards)
    .tags([DASHBOARD_TAG])
    .asDropdown(true)
    .includeVars(true)
    .keepTime(true);
}

/** The two InfluxQL queries of a cumulative likes/dislikes curve. */
export interface CumulativeQueries {
  cumulativeLikes: string;
  cumulativeDislikes: string;
}

/**
 * Completes `panel` (titled and placed by the caller) as the LikeBox curve: cumulative likes (green)
 * and dislikes (red) in 1-minute buckets.
 */
export function cumulativeCurve(
  panel: TimeseriesBuilder,
  queries: CumulativeQueries,
): TimeseriesBuilder {
  return colourLikes(
    panel
      .interval('1m')
      .withTarget(influx('A', queries.cumulativeLikes, 'time_series', 'likes'))
      .withTarget(influx('B', queries.cumulativeDislikes, 'time_series', 'dislikes'))
      .min(0)
      .decimals(0),
  );
}
