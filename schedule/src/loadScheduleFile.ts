import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { type Schedule, SchedulePayload } from '@likebox/protocol';
import { z } from 'zod';
import { ScheduleImportError } from './errors.js';
import { isFields } from './fields.js';
import { importSchedule } from './importSchedule.js';
import type { DetectedFormat, ImportOptions, ImportWarning } from './types.js';

/** The result of {@link loadScheduleFile}. */
export interface LoadedSchedule {
  schedule: Schedule;
  /** Defects repaired while importing (none for an already normalised file). */
  warnings: ImportWarning[];
  /** `likebox` for an already normalised schedule, else the programme format read. */
  format: DetectedFormat | 'likebox';
}

function looksNormalised(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return (
      isFields(json) && json.version === 1 && Array.isArray(json.talks) && Array.isArray(json.rooms)
    );
  } catch {
    return false;
  }
}

/**
 * Reads a schedule file: either an already normalised schedule (validated as is; `event`
 * overrides its event when given) or any programme {@link importSchedule} reads. This is what the
 * ingest and `likebox up` call for `LIKEBOX_SCHEDULE_FILE`. Throws {@link ScheduleImportError}.
 */
export async function loadScheduleFile(
  path: string,
  options: ImportOptions = {},
): Promise<LoadedSchedule> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new ScheduleImportError(
      [{ where: path, message: `cannot read: ${(err as Error).message}` }],
      { cause: err },
    );
  }
  return loadScheduleText(text, path, { fileName: basename(path), ...options });
}

/**
 * Reads the text of a schedule (a file's or a URL's body, `where` naming it in messages): an
 * already normalised schedule or any programme {@link importSchedule} reads. Throws
 * {@link ScheduleImportError}.
 */
export function loadScheduleText(
  text: string,
  where: string,
  options: ImportOptions = {},
): LoadedSchedule {
  if (!looksNormalised(text)) return importSchedule(text, options);
  const json = JSON.parse(text) as Record<string, unknown>;
  const parsed = SchedulePayload.safeParse(
    options.event === undefined ? json : { ...json, event: options.event },
  );
  if (!parsed.success) {
    throw new ScheduleImportError([
      { where, message: `invalid normalised schedule:\n${z.prettifyError(parsed.error)}` },
    ]);
  }
  return { schedule: parsed.data, warnings: [], format: 'likebox' };
}
