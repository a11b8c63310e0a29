import type { Schedule } from '@likebox/protocol';
import { detectBreizhcamp, importBreizhcamp } from './breizhcamp.js';
import { ScheduleImportError } from './errors.js';
import { isFields } from './fields.js';
import { detectFrabJson, importFrabJson } from './frabJson.js';
import { detectFrabXml, importFrabXml } from './frabXml.js';
import { ImportContext } from './importContext.js';
import { normalise } from './normalise.js';
import { detectSessionize, importSessionize } from './sessionize.js';
import { parseSource, type SourceDocument } from './source.js';
import type { DetectedFormat, Draft, ImportFormat, ImportOptions, ImportWarning } from './types.js';

/** The result of {@link importSchedule}. */
export interface ImportResult {
  /** The normalised schedule; it passes `SchedulePayload`. */
  schedule: Schedule;
  /** Every defect repaired: reading ones in file order, then normalising ones by talk start. */
  warnings: ImportWarning[];
  /** The shape that was read. */
  format: DetectedFormat;
}

/** The format of a parsed document, or null when no importer recognises it. */
export function detectFormat(source: SourceDocument): DetectedFormat | null {
  if (source.kind === 'xml') return detectFrabXml(source.root) ? 'frab-xml' : null;
  const root = source.root;
  return (
    detectBreizhcamp(root) ?? detectFrabJson(root) ?? (detectSessionize(root) ? 'sessionize' : null)
  );
}

function describeShape(source: SourceDocument): string {
  if (source.kind === 'xml') {
    const top = isFields(source.root)
      ? Object.keys(source.root).filter((k) => !k.startsWith('?'))
      : [];
    return `an XML document with root <${top[0] ?? '?'}>`;
  }
  if (Array.isArray(source.root)) return `a JSON list of ${source.root.length} items`;
  if (isFields(source.root))
    return `a JSON object with keys ${Object.keys(source.root).slice(0, 8).join(', ') || '(none)'}`;
  return `a JSON ${source.root === null ? 'null' : typeof source.root}`;
}

const FAMILY: Readonly<Record<Exclude<ImportFormat, 'auto'>, readonly DetectedFormat[]>> = {
  breizhcamp: ['breizhcamp-2013', 'breizhcamp-2015'],
  'frab-xml': ['frab-xml'],
  'frab-json': ['frab-json', 'pretalx'],
  pretalx: ['frab-json', 'pretalx'],
  sessionize: ['sessionize'],
};

function chooseFormat(
  source: SourceDocument,
  wanted: ImportFormat,
  fileName: string,
): DetectedFormat {
  const detected = detectFormat(source);
  if (wanted === 'auto') {
    if (detected !== null) return detected;
    throw new ScheduleImportError([
      {
        where: fileName,
        message: `unknown programme format: ${describeShape(source)}; expected BreizhCamp JSON (programme.jours), frab schedule.xml, frab/pretalx schedule.json or a Sessionize export`,
      },
    ]);
  }
  if (detected !== null && FAMILY[wanted].includes(detected)) return detected;
  throw new ScheduleImportError([
    {
      where: fileName,
      message: `not a ${wanted} programme: found ${detected ?? describeShape(source)}`,
    },
  ]);
}

function readDraft(format: DetectedFormat, source: SourceDocument, ctx: ImportContext): Draft {
  switch (format) {
    case 'breizhcamp-2013':
    case 'breizhcamp-2015':
      return importBreizhcamp(source.root, ctx);
    case 'frab-xml':
      return importFrabXml(source.root, ctx, source.lineOf);
    case 'frab-json':
    case 'pretalx':
      return importFrabJson(source.root, ctx);
    case 'sessionize':
      return importSessionize(source.root, ctx);
  }
}

/**
 * Imports a programme (BreizhCamp 2013/2015 JSON, frab XML or JSON, pretalx JSON, Sessionize
 * JSON) into the normalised schedule. Defects that can be repaired the way an organiser would
 * want are repaired and reported in `warnings`; anything else throws {@link ScheduleImportError}
 * naming every wrong entry (its JSON path or XML line) at once.
 */
export function importSchedule(text: string, options: ImportOptions = {}): ImportResult {
  const fileName = options.fileName ?? 'file';
  const source = parseSource(text);
  const format = chooseFormat(source, options.format ?? 'auto', fileName);
  const ctx = new ImportContext(options);
  const draft = readDraft(format, source, ctx);
  ctx.failIfProblems();
  if (draft.talks.length === 0) ctx.fail(fileName, 'the programme has no scheduled talk');
  const schedule = normalise(ctx, draft);
  return { schedule, warnings: ctx.warnings, format };
}
