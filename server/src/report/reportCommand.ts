import { Bool, defineCommand, SharedEnv } from '@likebox/runtime';
import { z } from 'zod';
import { ReportError } from '../errors.js';

/** The variables of `likebox report`. */
const ReportEnv = z.object({
  ...SharedEnv.pick({ LIKEBOX_BIND: true, LIKEBOX_HTTP_PORT: true }).shape,
});

/** Its own flags. */
const ReportFlags = z.object({
  out: z.string().min(1).default('report').describe('Folder receiving the report (created).'),
  url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .meta({
      description: 'The event server to read the results from.',
      defaultText: 'http://$LIKEBOX_BIND:$LIKEBOX_HTTP_PORT',
    }),
  chromium: z.string().min(1).optional().meta({
    description: 'Chromium to print the PDF with.',
    defaultText: 'the first of /usr/bin/chromium, chromium-browser, google-chrome',
  }),
  pdf: Bool.default(true).describe(
    'Print report.pdf and PNG cards through Chromium (--no-pdf: HTML, CSV, SVG only).',
  ),
});

/** The server's address as a client reaches it: a wildcard bind is reached on loopback. */
function serverUrl(env: z.output<typeof ReportEnv>, url: string | undefined): URL {
  if (url !== undefined) return new URL(url);
  if (env.LIKEBOX_HTTP_PORT === null || env.LIKEBOX_HTTP_PORT === 0) {
    throw new ReportError('LIKEBOX_HTTP_PORT is off or 0: give the server with --url');
  }
  const host = ['0.0.0.0', '::', ''].includes(env.LIKEBOX_BIND) ? '127.0.0.1' : env.LIKEBOX_BIND;
  const bracketed = host.includes(':') ? `[${host}]` : host;
  return new URL(`http://${bracketed}:${env.LIKEBOX_HTTP_PORT}`);
}

/**
 * `likebox report --out DIR`: the post-event report, read from the running event server's
 * results API (the journal is locked by the ingest while it runs, and the API is the one place
 * that computes the figures; the same command works from a laptop with `--url`).
 */
export const reportCommand = defineCommand({
  name: 'report',
  summary: 'the post-event report: HTML, PDF, CSV and speaker cards from the results',
  description:
    'Reads every talk from the running event server (`likebox up`, /api/v1) and writes into ' +
    'the --out folder: report.html (self-contained: ranking, per-room summaries, one section ' +
    'per talk with its curve), report.pdf (Chromium print to PDF, when Chromium is installed), ' +
    'results.csv, votes.csv (anonymous) and cards/{talk}.svg (.png with Chromium), the speaker ' +
    'cards. Shows a progress bar on a terminal.',
  env: ReportEnv,
  flags: ReportFlags,
  examples: [
    'likebox report --out report',
    'likebox report --out /tmp/breizhcamp --url http://192.168.1.10:8080 --no-pdf',
  ],
  explain: (err) => (err instanceof ReportError ? err.message : undefined),
  run: async (ctx) => {
    // Loaded here: defining the command must not load the report's code.
    const { writeReport } = await import('./report.js');
    const summary = await writeReport({
      url: serverUrl(ctx.env, ctx.flags.url),
      out: ctx.flags.out,
      ...(ctx.flags.chromium === undefined ? {} : { chromium: ctx.flags.chromium }),
      pdf: ctx.flags.pdf,
      stderr: ctx.io.stderr,
    });
    ctx.io.stdout.write(`${summary.files.join('\n')}\n`);
    ctx.io.stderr.write(
      `likebox report: ${summary.talks} talks into ${ctx.flags.out}` +
        (summary.noPdf === null ? ', with report.pdf\n' : `; no PDF: ${summary.noPdf}\n`),
    );
    return 0;
  },
});
