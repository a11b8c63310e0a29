import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { formatTable, readRows } from './results.js';

/**
 * The fault suite's global setup: gives every scenario the results file, and at the end prints the
 * one table of the run. A row with a lost or doubled vote fails the run here too (each scenario
 * also fails its own test).
 */
let dir = '';

/** Gives every scenario the results file (vitest's `provide`). */
export function setup(project: TestProject): void {
  dir = mkdtempSync(join(tmpdir(), 'likebox-faults-'));
  project.provide('faultResults', join(dir, 'rows.jsonl'));
}

/** Prints the run's table; throws (fails the run) when a row lost or doubled a vote. */
export function teardown(): void {
  const file = join(dir, 'rows.jsonl');
  const ran = existsSync(file);
  const rows = readRows(file);
  rmSync(dir, { recursive: true, force: true });
  if (!ran) return; // no scenario ran (`vitest list`, or a filter that matched none): no table
  process.stdout.write(`\nLikeBox fault suite (issue #19)\n${formatTable(rows)}\n\n`);
  const bad = rows.filter((row) => row.lost > 0 || row.doubled > 0);
  if (bad.length > 0) {
    throw new Error(`votes lost or doubled in: ${bad.map((row) => row.scenario).join(', ')}`);
  }
}
