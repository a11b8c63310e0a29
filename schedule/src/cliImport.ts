import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { VoteWindowRule } from '@likebox/protocol';
import { Bool, ConfigError, defineCommand, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { IMPORT_FORMATS } from './types.js';

/** Parses `--window Format=open,close` flags; throws `ConfigError` on a malformed one. */
export function parseWindowFlags(values: readonly string[]): Record<string, VoteWindowRule> {
  const rules: Record<string, VoteWindowRule> = {};
  for (const value of values) {
    const match = /^(.+)=(-?\d+),(-?\d+)$/.exec(value);
    if (match === null)
      throw new ConfigError(`✖ --window ${value}: expected FORMAT=OPEN,CLOSE (minutes)`);
    const rule = { openAfterStart: Number(match[2]), closeAfterEnd: Number(match[3]) };
    if (Math.abs(rule.openAfterStart) > 720 || Math.abs(rule.closeAfterEnd) > 720) {
      throw new ConfigError(`✖ --window ${value}: minutes must be between -720 and 720`);
    }
    rules[(match[1] ?? '').trim()] = rule;
  }
  return rules;
}

/** `likebox schedule import`. */
export const importCommand = defineCommand({
  name: 'schedule import',
  summary: 'programme (BreizhCamp, frab XML/JSON, pretalx, Sessionize) → normalised schedule JSON',
  description:
    'Reads a programme (a file, or an http(s) URL fetched once) and writes the normalised ' +
    'schedule JSON (stdout, or --out FILE); prints a summary (days, rooms, talks, warnings) on stderr.',
  env: z.object({
    LIKEBOX_EVENT: SharedEnv.shape.LIKEBOX_EVENT.unwrap()
      .optional()
      .meta({ defaultText: 'derived from the file' }),
  }),
  flags: z.object({
    format: z.enum(IMPORT_FORMATS).default('auto').describe('The programme format.'),
    tz: z
      .string()
      .optional()
      .describe(
        "IANA time zone of the programme's local times (e.g. Europe/Paris); wins over the " +
          "file's own; required when the file has none and its times carry no UTC offset.",
      ),
    window: z
      .array(z.string())
      .default([])
      .describe(
        'Vote window of talks of format F: opens O min after start, closes C min after end ' +
          '(F=O,C, repeatable), e.g. --window Quickie=2,5.',
      ),
    out: z.string().optional().describe('Write the schedule there instead of stdout.'),
    quiet: Bool.default(false).describe('No summary.'),
  }),
  args: [{ name: 'FILE|URL', description: 'the programme: a file, or an http(s) URL' }],
  run: async (ctx) => {
    const [file = ''] = ctx.args;
    const windows = parseWindowFlags(ctx.flags.window);
    // Loaded here: defining the command must not load every importer.
    const { loadScheduleFile } = await import('./loadScheduleFile.js');
    const { isProgrammeUrl, loadScheduleUrl } = await import('./fetchProgramme.js');
    const { formatSummary } = await import('./summary.js');
    const options = {
      format: ctx.flags.format,
      tz: ctx.flags.tz,
      event: ctx.env.LIKEBOX_EVENT,
      windows,
    };
    const { schedule, warnings, format } = isProgrammeUrl(file)
      ? await loadScheduleUrl(file, options)
      : await loadScheduleFile(file, { ...options, fileName: basename(file) });
    const json = `${JSON.stringify(schedule, null, 2)}\n`;
    if (ctx.flags.out === undefined) ctx.io.stdout.write(json);
    else await writeFile(ctx.flags.out, json);
    if (!ctx.flags.quiet) ctx.io.stderr.write(`${formatSummary(schedule, warnings, format)}\n`);
    return 0;
  },
});
