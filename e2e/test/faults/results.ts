import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

/** One scenario's line of the fault table. */
export interface FaultRow {
  /** The scenario's name: one of {@link SCENARIOS}. */
  scenario: string;
  /** Presses the boxes confirmed to the attendee ("Merci !": the vote is in the outbox). */
  confirmed: number;
  /** Distinct vote identities (device, epoch, seq) the journal holds. */
  journal: number;
  /** Distinct vote identities InfluxDB holds (points of measurement `vote`). */
  influx: number;
  /** Confirmed presses missing from the journal or from InfluxDB. */
  lost: number;
  /** Identities stored more than once (journal rows or InfluxDB points beyond the first). */
  doubled: number;
  /** What else the scenario checked, or why it did not run. */
  note: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file each scenario appends its {@link FaultRow} to (JSON lines). */
    faultResults: string;
  }
}

/** Every fault of issue #19 the suite covers, in the table's order. */
export const SCENARIOS = [
  'kill -9 up',
  'kill -9 broker',
  'kill -9 ingest',
  'kill -9 box',
  'InfluxDB frozen (SIGSTOP)',
  'box offline, then back',
  'black hole (paused proxy)',
  'clock skew (box 5 h behind)',
  'full disk on a box',
  'full disk on the server',
  're-flashed box',
  'two boxes, one id',
  'wiped server journal',
  'forged ack seq 2^53-1',
  'vote seq 2^53-1',
  'brute-force logins',
  'second ingest',
] as const;

/** A scenario name. */
export type Scenario = (typeof SCENARIOS)[number];

/** Appends a row to this run's results file. */
export function writeRow(row: FaultRow): void {
  appendFileSync(inject('faultResults'), `${JSON.stringify(row)}\n`);
}

/** The rows a run wrote, in {@link SCENARIOS} order; a scenario without a row reads "not run". */
export function readRows(file: string): FaultRow[] {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const rows = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as FaultRow);
  return SCENARIOS.map(
    (scenario) =>
      rows.find((row) => row.scenario === scenario) ?? {
        ...{ scenario, confirmed: 0, journal: 0, influx: 0, lost: 0, doubled: 0 },
        note: 'not run (this run selected other files)',
      },
  );
}

/** The rows as one plain-text table. */
export function formatTable(rows: FaultRow[]): string {
  const head = ['scenario', 'confirmed', 'journal', 'influx', 'lost', 'doubled', 'note'];
  const cells = rows.map((r) => [
    r.scenario,
    ...[r.confirmed, r.journal, r.influx, r.lost, r.doubled].map(String),
    r.note,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i >= 1 && i <= 5 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join(' | ');
  const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
  return [line(head), rule, ...cells.map(line)].join('\n');
}
