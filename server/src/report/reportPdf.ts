import { CHROMIUM_ARGS } from '@likebox/web';
import type { Browser } from 'playwright-core';

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
