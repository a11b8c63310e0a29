import { access, constants } from 'node:fs/promises';
import type { Browser } from 'playwright-core';

/** Where Debian, Ubuntu and Fedora install Chromium or Chrome, in order of preference. */
export const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The first Chromium found: `preferred` when given (it must exist), else {@link CHROMIUM_PATHS}. */
export async function findChromium(preferred?: string): Promise<string | null> {
  for (const path of preferred === undefined ? CHROMIUM_PATHS : [preferred]) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // not there: the next one
    }
  }
  return null;
}

/** Flags of a Chromium run without a display, as a service user, offline. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches a headless Chromium at `executablePath` through playwright-core (loaded only then). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const playwright = await import('playwright-core');
  return playwright.chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** What the PDF step made. */
export interface PdfOutcome {
  /** The PDF file written. */
  pdf: string;
  /** The speaker cards written as PNG, one per SVG given. */
  pngs: string[];
}

/**
 * Prints `htmlFile` to `pdfFile` with Chromium's print to PDF (A4, backgrounds), through
 * playwright-core, and renders each speaker card SVG to a PNG beside it (the image social networks
 * accept). playwright-core is loaded only here: the rest of the report needs no browser.
 */
export async function printReport(
  chromium: string,
  htmlFile: string,
  pdfFile: string,
  cards: readonly { svg: string; png: string }[],
): Promise<PdfOutcome> {
  const playwright = await import('playwright-core');
  const browser = await playwright.chromium.launch({
    executablePath: chromium,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    await page.goto(new URL(`file://${htmlFile}`).href, { waitUntil: 'load' });
    await page.pdf({ path: pdfFile, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pngs: string[] = [];
    const cardPage = await browser.newPage({ viewport: { width: 1200, height: 630 } });
    for (const card of cards) {
      await cardPage.goto(new URL(`file://${card.svg}`).href);
      await cardPage.screenshot({ path: card.png });
      pngs.push(card.png);
    }
    return { pdf: pdfFile, pngs };
  } finally {
    await browser.close();
  }
}
