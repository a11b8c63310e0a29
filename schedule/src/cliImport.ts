import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { VoteWindowRule } from '@likebox/protocol';
import type { CliIo, ExitCode } from './cliIo.js';
import { isProgrammeUrl, loadScheduleUrl } from './fetchProgramme.js';
import { loadScheduleFile } from './loadScheduleFile.js';
import { formatSummary } from './summary.js';
import { IMPORT_FORMATS, type ImportFormat } from './types.js';

/** Help of `likebox schedule import`. */
export const IMPORT_HELP = `Usage: likebox schedule import FILE|URL [options]

Reads a programme (a file, or an http(s) URL fetched once) and writes the normalised schedule JSON (stdout, or --out FILE);
prints a summary (days, rooms, talks, warnings) on stderr.

Options:
  --format F     auto (default) | ${IMPORT_FORMATS.filter((f) => f !== 'auto').join(' | ')}
  --tz ZONE      IANA time zone of the programme's local times (e.g. Europe/Paris);
                 wins over the file's own; required when the file has none and
                 its times carry no UTC offset
  --event SLUG   event slug (default: LIKEBOX_EVENT, else derived from the file)
  --window F=O,C vote window of talks of format F: opens O min after start,
                 closes C min after end (repeatable), e.g. --window Quickie=2,5
  --out FILE     write the schedule there instead of stdout
  --quiet        no summary`;

/** Parses `--window Format=open,close` flags. */
export function parseWindowFlags(values: readonly string[]): Record<string, VoteWindowRule> {
  const rules: Record<string, VoteWindowRule> = {};
  for (const value of values) {
    const match = /^(.+)=(-?\d+),(-?\d+)$/.exec(value);
    if (match === null)
      throw new RangeError(`--window ${value}: expected FORMAT=OPEN,CLOSE (minutes)`);
    const rule = { openAfterStart: Number(match[2]), closeAfterEnd: Number(match[3]) };
    if (Math.abs(rule.openAfterStart) > 720 || Math.abs(rule.closeAfterEnd) > 720) {
      throw new RangeError(`--window ${value}: minutes must be between -720 and 720`);
    }
    rules[(match[1] ?? '').trim()] = rule;
  }
  return rules;
}

function isFormat(value: string): value is ImportFormat {
  return (IMPORT_FORMATS as readonly string[]).includes(value);
}

/** `likebox schedule import`. */
export async function runImport(argv: string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'auto' },
      tz: { type: 'string' },
      event: { type: 'string' },
      window: { type: 'string', multiple: true, default: [] },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(`${IMPORT_HELP}\n`);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0 || !isFormat(values.format)) {
    io.err(
      `${file === undefined || extra.length > 0 ? 'expected one FILE or URL' : `unknown --format ${values.format}`}\n\n${IMPORT_HELP}\n`,
    );
    return 2;
  }
  const options = {
    format: values.format,
    tz: values.tz,
    event: values.event ?? io.env.LIKEBOX_EVENT,
    windows: parseWindowFlags(values.window),
  };
  const { schedule, warnings, format } = isProgrammeUrl(file)
    ? await loadScheduleUrl(file, options)
    : await loadScheduleFile(file, { ...options, fileName: basename(file) });
  const json = `${JSON.stringify(schedule, null, 2)}\n`;
  if (values.out === undefined) io.out(json);
  else await writeFile(values.out, json);
  if (!values.quiet) io.err(`${formatSummary(schedule, warnings, format)}\n`);
  return 0;
}
