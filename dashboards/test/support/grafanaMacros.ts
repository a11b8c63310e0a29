/**
 * Expands an InfluxQL target the way Grafana's InfluxDB datasource (InfluxQL mode) does before it
 * sends the query, so the tests and the benchmark run exactly what Grafana would run.
 *
 * Behaviour reproduced (from Grafana's `public/app/plugins/datasource/influxdb/datasource.ts` and its
 * tests `interpolateQueryExpr`, `getTimeFilter`, and `@grafana/data` `rangeutil`):
 * - `$timeFilter` → `time >= <from> and time <= <to>`: `now` → `now()`, `now-6h` → `now() - 6h`,
 *   anything else (e.g. `now/d`) → absolute epoch `…ms`, `to` rounded up (end of the day).
 * - `$__interval` → range ÷ maxDataPoints, rounded by `roundInterval`, at least the panel's `interval`
 *   (or the datasource's `timeInterval`), written like `secondsToHms` (`1m`, `20s`, `10m`).
 * - Variables (`$name`, `${name}`, `[[name]]`): a multi-value or include-All variable is regex-escaped,
 *   one value alone, several as `(a|b)`; All without a custom all value means every option;
 *   a single-value variable is left raw, except inside a `/…/` regex where it is escaped.
 * Assumptions: the dashboard timezone is UTC (Grafana uses the browser's), maxDataPoints is 1,000
 * (Grafana uses the panel's width in pixels unless the panel sets it).
 */

/** A dashboard variable's state. */
export interface VariableState {
  /** Value(s); `$__all` selects All. */
  value: string | string[];
  /** The variable allows several values. */
  multi?: boolean;
  /** The variable has an All option. */
  includeAll?: boolean;
  /** Every option (what All means). */
  options?: string[];
}

/** Everything the expansion depends on. */
export interface ExpandContext {
  /** Raw range start, e.g. `now/d`, `now-6h`, or epoch ms as a string. */
  from: string;
  /** Raw range end, e.g. `now/d`, `now`. */
  to: string;
  /** The browser's clock, epoch ms. */
  now: number;
  /** Variables by name. */
  variables: Record<string, VariableState>;
  /** The panel's max data points. Default 1,000. */
  maxDataPoints?: number;
  /** The panel's min interval or the datasource's `timeInterval`, e.g. `1m`, `10s`. */
  minInterval?: string;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `10s` → 10,000. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(text);
  if (match === null) throw new Error(`bad duration ${text}`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] as number);
}

/** Grafana's date math for the forms the dashboards use: `now`, `now-Nu`, `now/d`, epoch ms. */
export function parseDateMath(text: string, now: number, roundUp: boolean): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === 'now') return now;
  const offset = /^now-(\d+)(s|m|h|d|w)$/.exec(text);
  if (offset !== null) return now - durationMs(`${offset[1]}${offset[2]}`);
  if (text === 'now/d') {
    const start = Math.floor(now / UNIT_MS.d!) * UNIT_MS.d!;
    return roundUp ? start + UNIT_MS.d! - 1 : start;
  }
  throw new Error(`unsupported date math ${text}`);
}

function influxTime(text: string, now: number, roundUp: boolean): string {
  if (text === 'now') return 'now()';
  const relative = /^now-(\d+)([dhms])$/.exec(text);
  if (relative !== null) return `now() - ${relative[1]}${relative[2]}`;
  return `${parseDateMath(text, now, roundUp)}ms`;
}

/** `$timeFilter` as Grafana writes it. */
export function timeFilter(context: ExpandContext): string {
  return `time >= ${influxTime(context.from, context.now, false)} and time <= ${influxTime(context.to, context.now, true)}`;
}

// rangeutil.roundInterval: the bucket sizes Grafana snaps to.
const ROUNDING: readonly [number, number][] = [
  [15, 10],
  [35, 20],
  [75, 50],
  [150, 100],
  [350, 200],
  [750, 500],
  [1500, 1000],
  [3500, 2000],
  [7500, 5000],
  [12500, 10000],
  [17500, 15000],
  [25000, 20000],
  [45000, 30000],
  [90000, 60000],
  [210000, 120000],
  [450000, 300000],
  [1050000, 600000],
  [2100000, 1800000],
  [5400000, 3600000],
  [9000000, 7200000],
  [16200000, 10800000],
  [32400000, 21600000],
  [86400000, 43200000],
  [604800000, 86400000],
  [1814400000, 604800000],
  [3628800000, 2592000000],
];

/** Grafana's `rangeutil.roundInterval`. */
export function roundInterval(intervalMs: number): number {
  for (const [below, rounded] of ROUNDING) if (intervalMs < below) return rounded;
  return 31_536_000_000;
}

/** Grafana's `rangeutil.secondsToHms` for whole units. */
export function formatInterval(ms: number): string {
  const units: [string, number][] = [
    ['y', 31_536_000_000],
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  for (const [unit, size] of units) if (ms >= size) return `${Math.floor(ms / size)}${unit}`;
  return `${ms}ms`;
}

/** `$__interval` in ms. */
export function intervalMs(context: ExpandContext): number {
  const from = parseDateMath(context.from, context.now, false);
  const to = parseDateMath(context.to, context.now, true);
  const rounded = roundInterval((to - from) / (context.maxDataPoints ?? 1000));
  const low = context.minInterval === undefined ? 0 : durationMs(context.minInterval);
  return Math.max(rounded, low);
}

/** `@grafana/data` `escapeRegex`. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

function interpolate(state: VariableState, inRegex: boolean): string {
  const selected =
    state.value === '$__all' || (Array.isArray(state.value) && state.value.includes('$__all'))
      ? (state.options ?? [])
      : state.value;
  if (state.multi !== true && state.includeAll !== true) {
    const value = Array.isArray(selected) ? selected.join(',') : selected;
    return inRegex ? escapeRegex(value) : value;
  }
  const values = (Array.isArray(selected) ? selected : [selected]).map(escapeRegex);
  return values.length === 1 ? (values[0] as string) : `(${values.join('|')})`;
}

/** The query with every macro and variable expanded. */
export function expandInfluxQL(query: string, context: ExpandContext): string {
  const interval = formatInterval(intervalMs(context));
  const withMacros = query
    .replaceAll('$timeFilter', timeFilter(context))
    .replaceAll('$__interval', interval);
  return withMacros.replace(
    /\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\]/g,
    (whole, a, b, c, offset: number) => {
      const name = (a ?? b ?? c) as string;
      const state = context.variables[name];
      if (state === undefined) return whole;
      const before = withMacros.slice(0, offset);
      const inRegex = /=~\s*\/[^/]*$|!~\s*\/[^/]*$/.test(before);
      return interpolate(state, inRegex);
    },
  );
}
