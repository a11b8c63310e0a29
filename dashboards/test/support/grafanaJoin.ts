import type { InfluxRow } from '@likebox/influx';

/** Grafana's "Join by field", inner mode, on rows: one output row per matching pair. */
export function innerJoin(
  left: readonly InfluxRow[],
  right: readonly InfluxRow[],
  field: string,
): InfluxRow[] {
  return left.flatMap((row) =>
    right.filter((other) => other[field] === row[field]).map((other) => ({ ...other, ...row })),
  );
}
