import { influxRows } from '@likebox/influx/testing';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { type FaultRow, type Scenario, writeRow } from './results.js';

/** A vote's identity, `device/epoch/seq` (epoch `""` for the legacy epoch). */
export type Identity = string;

/** The identity of a vote of `device`. */
export function identity(device: string, epoch: string | undefined, seq: number): Identity {
  return `${device}/${epoch ?? ''}/${seq}`;
}

/** Every vote identity of a closed journal file, once per row. */
export function journalIdentities(file: string): Identity[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT device, epoch, seq FROM votes').all() as Array<{
      device: string;
      epoch: string;
      seq: number;
    }>;
    return rows.map((row) => identity(row.device, row.epoch, row.seq));
  } finally {
    db.close();
  }
}

/** Every vote identity InfluxDB holds in `db`, once per point. */
export async function influxIdentities(url: string, db: string): Promise<Identity[]> {
  const rows = await influxRows(url, db, 'SELECT "seq", "device", "epoch" FROM "vote"');
  return rows.map((row) =>
    identity(String(row.device), (row.epoch as string | null) ?? '', Number(row.seq)),
  );
}

/** What one scenario counted, before it becomes a {@link FaultRow}. */
export interface Counts {
  /** Identities of the presses the boxes confirmed. */
  confirmed: Iterable<Identity>;
  /** The journal's identities (one per row). */
  journal: Identity[];
  /** InfluxDB's identities (one per point). */
  influx: Identity[];
  /**
   * Confirmed presses the journal must hold (default: all). A wiped journal holds only those
   * pressed after the wipe; InfluxDB must still hold them all.
   */
  journalMustHold?: Iterable<Identity>;
}

function doubles(ids: Identity[]): number {
  return ids.length - new Set(ids).size;
}

/**
 * Writes the scenario's row (lost: a confirmed press missing from InfluxDB or from the journal;
 * doubled: an identity stored twice in either) and fails the test unless both are 0.
 */
export function report(scenario: Scenario, counts: Counts, note: string): FaultRow {
  const confirmed = new Set(counts.confirmed);
  const journal = new Set(counts.journal);
  const influx = new Set(counts.influx);
  const mustJournal = new Set(counts.journalMustHold ?? confirmed);
  const lost = [...confirmed].filter(
    (id) => !influx.has(id) || (mustJournal.has(id) && !journal.has(id)),
  );
  const extra = [...influx].filter((id) => !confirmed.has(id)).length;
  const row: FaultRow = {
    scenario,
    confirmed: confirmed.size,
    journal: journal.size,
    influx: influx.size,
    lost: lost.length,
    doubled: doubles(counts.journal) + doubles(counts.influx),
    note:
      extra > 0
        ? `${note}; +${extra} stored whose press got no 200 (box killed, or slower than the 500 ms wait)`
        : note,
  };
  writeRow(row);
  expect(lost, 'confirmed presses lost').toEqual([]);
  expect(row.doubled, 'votes stored twice').toBe(0);
  return row;
}
