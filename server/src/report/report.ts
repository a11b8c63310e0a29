import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { CHROMIUM_PATHS, findChromium, reportHtml, talkCardSvg } from '@likebox/web';
import { type ProgressBar, progressBar } from './progressBar.js';
import { printReport } from './reportPdf.js';
import { type ReportData, readReportData } from './reportSource.js';

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** The event server's HTTP address (`http://127.0.0.1:8080`). */
  url: URL;
  /** Folder receiving the files (created). */
  out: string;
  /** Chromium to print with; default the first of the usual paths. */
  chromium?: string;
  /** False: no PDF or PNG even when Chromium is there. */
  pdf: boolean;
  /** Where the progress bar goes (a TTY only). */
  stderr: Writable & { isTTY?: boolean };
}

/** What {@link writeReport} wrote. */
export interface ReportSummary {
  /** Files written, absolute paths. */
  files: string[];
  talks: number;
  /** Why there is no PDF, or null when there is one. */
  noPdf: string | null;
}

/** A file name for a talk id (ids may hold `/`, spaces, anything). */
export function fileSafe(id: string): string {
  return id.replace(/[^\w.-]+/g, '_').slice(0, 100);
}

function cardsOf(data: ReportData, dir: string): { file: string; svg: string }[] {
  return [...data.talks.values()].map((result) => ({
    file: join(dir, `${fileSafe(result.talk.id)}.svg`),
    svg: talkCardSvg({
      title: result.talk.title,
      speakers: result.talk.speakers,
      room: result.talk.room.name,
      day: result.talk.day,
      event: data.schedule.name,
      opens: result.talk.opens,
      closes: result.talk.closes,
      end: result.talk.end,
      timeZone: data.schedule.timeZone,
      likes: result.figures?.likes ?? 0,
      dislikes: result.figures?.dislikes ?? 0,
      wilson: result.figures?.wilson ?? null,
      points: result.curve?.points ?? [],
    }),
  }));
}

/** Prints the PDF and the PNG cards when a Chromium is there; says why not otherwise. */
async function pdfStep(
  options: ReportOptions,
  html: string,
  cards: readonly { file: string }[],
  files: string[],
): Promise<string | null> {
  if (!options.pdf) return 'not asked (--no-pdf)';
  const chromium = await findChromium(options.chromium);
  if (chromium === null) {
    return options.chromium === undefined
      ? `no Chromium found (looked for ${CHROMIUM_PATHS.join(', ')}; apt install chromium, or give --chromium)`
      : `no Chromium at ${options.chromium}`;
  }
  const pdf = join(dirname(html), 'report.pdf');
  const made = await printReport(
    chromium,
    html,
    pdf,
    cards.map((card) => ({ svg: card.file, png: card.file.replace(/\.svg$/, '.png') })),
  );
  files.push(made.pdf, ...made.pngs);
  return null;
}

/**
 * The post-event report: reads the running server's results API, writes `report.html`
 * (self-contained), `results.csv`, `votes.csv` and `cards/{talk}.svg`, then `report.pdf` and
 * `cards/{talk}.png` through Chromium when one is installed (said in `noPdf` when not).
 */
export async function writeReport(options: ReportOptions): Promise<ReportSummary> {
  const out = resolve(options.out);
  const cardsDir = join(out, 'cards');
  await mkdir(cardsDir, { recursive: true });
  let bar: ProgressBar | undefined;
  const data = await readReportData(options.url, {
    start: (total) => {
      bar = progressBar(options.stderr, total, 'talks read');
    },
    talk: (done) => bar?.update(done),
  });
  bar?.done();
  const html = join(out, 'report.html');
  const files = [html, join(out, 'results.csv'), join(out, 'votes.csv')];
  await writeFile(
    html,
    reportHtml({
      event: data.schedule.name,
      timeZone: data.schedule.timeZone,
      generatedAt: Date.now(),
      minVotes: data.results.minVotes,
      ranking: data.results.talks,
      talks: data.talks,
    }),
  );
  await writeFile(join(out, 'results.csv'), data.resultsCsv);
  await writeFile(join(out, 'votes.csv'), data.votesCsv);
  const cards = cardsOf(data, cardsDir);
  for (const card of cards) await writeFile(card.file, card.svg);
  files.push(...cards.map((card) => card.file));
  const noPdf = await pdfStep(options, html, cards, files);
  return { files, talks: data.talks.size, noPdf };
}
