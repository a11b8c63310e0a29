import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  demoSchedule,
  launchChromium,
  screenshot,
  startWebStack,
  vote,
  type WebStack,
  waitForText,
} from './webHarness.js';

const TV = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };

describe('live web page', { timeout: 30_000 }, () => {
  let stack: WebStack;
  let browser: Browser;
  const at = Date.now();

  beforeAll(async () => {
    stack = await startWebStack();
    browser = await launchChromium();
    await stack.publishProgramme(demoSchedule(at), at, {
      groix: { talk: 't-mqtt', likes: 5, dislikes: 1, at },
      'belle-ile': { talk: 't-grafana', likes: 2, dislikes: 0, at },
      brehat: { talk: 't-done', likes: 42, dislikes: 7, at },
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  async function open(path: string, viewport = TV): Promise<Page> {
    const context = await browser.newContext({ viewport });
    onTestFinished(() => context.close());
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (message) => {
      // This stack has no results API (the ingest serves it, see server's resultsPages test): the
      // page stays live-only, and Chromium logs the 404 of each history request it makes.
      if (message.type() === 'error' && !message.location().url.includes('/api/v1/')) {
        errors.push(message.text());
      }
    });
    onTestFinished(() => {
      expect(errors, 'errors in the page').toEqual([]);
    });
    await page.goto(`${stack.baseUrl}${path}`);
    await page.waitForSelector('[data-connection="live"]');
    return page;
  }

  it('shows every room with its current talk and counts when opened', async () => {
    // Prepare
    const page = await open('/');

    // Act
    await waitForText(page, '[data-room="groix"] [data-role="likes"]', '5');

    // Assess
    const rooms = await page
      .locator('[data-room]')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-room')));
    expect(rooms).toEqual(['groix', 'belle-ile', 'brehat']);
    await expect(
      page.locator('[data-room="groix"] [data-role="talk-title"]').textContent(),
    ).resolves.toBe('MQTT en action: des boîtiers aux tableaux de bord');
    await expect(
      page.locator('[data-room="brehat"] [data-role="likes"]').textContent(),
    ).resolves.toBe('42');
    await expect(
      page.locator('[data-room="brehat"] [data-role="talk-title"]').getAttribute('href'),
    ).resolves.toBe('/talks/t-done');
    await screenshot(page, 'overview-1080p');
    await page.setViewportSize(PHONE);
    await screenshot(page, 'overview-phone');
  });

  it('counts a vote published over MQTT within a second', async () => {
    // Prepare
    const page = await open('/');
    await waitForText(page, '[data-room="belle-ile"] [data-role="likes"]', '2');

    // Act
    const sent = Date.now();
    await stack.publish('votes', 'belle-ile', vote(1, 't-grafana'));
    await waitForText(page, '[data-room="belle-ile"] [data-role="likes"]', '3');
    const latency = Date.now() - sent;

    // Assess
    console.info(`vote → page latency: ${latency} ms (measured under load)`);
    expect(latency).toBeLessThan(1000);
  });

  it('shows the room display with countdown, next talk and a thank-you on a vote', async () => {
    // Prepare
    const page = await open('/rooms/groix');
    await waitForText(
      page,
      '[data-role="talk-title"]',
      'MQTT en action: des boîtiers aux tableaux de bord',
    );

    // Act
    await stack.publish('votes', 'groix', vote(1, 't-mqtt'));
    await page.waitForSelector('[data-role="thanks"]:not([hidden])');
    await page.waitForTimeout(300); // the thank-you's fade-in, for the screenshot

    // Assess
    await expect(page.locator('[data-role="window"]').textContent()).resolves.toMatch(
      /^Voting closes in \d+:\d\d$/,
    );
    await expect(page.locator('[data-role="next"]').textContent()).resolves.toContain(
      'Rust pour les devs Java',
    );
    await expect(page.locator('[data-role="thanks"]').textContent()).resolves.toContain(
      'Thank you',
    );
    await screenshot(page, 'room-1080p-thanks');
    await page.waitForSelector('[data-role="thanks"]', { state: 'hidden' });
    await screenshot(page, 'room-1080p');
  });

  it('fits the room display on a phone', async () => {
    // Prepare
    const page = await open('/rooms/groix', PHONE);

    // Act
    await waitForText(page, '[data-role="room-name"]', 'Groix');

    // Assess
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'room-phone');
  });

  it('shows a speaker the final counts when the talk window has closed', async () => {
    // Prepare
    const page = await open('/talks/t-done', PHONE);

    // Act
    await waitForText(page, '[data-role="likes"]', '42');

    // Assess
    await expect(page.locator('[data-role="talk-title"]').textContent()).resolves.toBe(
      'Le futur de la JVM',
    );
    await expect(page.locator('[data-role="dislikes"]').textContent()).resolves.toBe('7');
    await expect(page.locator('[data-role="window"]').textContent()).resolves.toMatch(
      /^Voting closed at \d\d:\d\d$/,
    );
    await screenshot(page, 'talk-phone');
  });

  it('shows the last talk and its counts on the room display between talks', async () => {
    // Prepare
    const page = await open('/rooms/brehat');

    // Act
    await waitForText(page, '[data-role="likes"]', '42');

    // Assess
    await expect(page.locator('[data-role="talk-title"]').textContent()).resolves.toBe(
      'No more talks in this room',
    );
    await expect(page.locator('[data-role="counts-caption"]').textContent()).resolves.toBe(
      'Last talk: Le futur de la JVM',
    );
    await screenshot(page, 'room-1080p-between-talks');
  });

  it('shows only the chosen rooms in the embeddable view', async () => {
    // Prepare
    const page = await open('/embed?rooms=groix,brehat', { width: 800, height: 400 });

    // Act
    await waitForText(page, '[data-room="brehat"] [data-role="likes"]', '42');

    // Assess
    const rooms = await page
      .locator('[data-room]')
      .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-room')));
    expect(rooms).toEqual(['groix', 'brehat']);
    await screenshot(page, 'embed');
  });

  it('lets another site frame the embeddable view and no other view', async () => {
    // Prepare
    const host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        `<h1>Another conference</h1>` +
          `<iframe id="embed" src="${stack.baseUrl}/embed?rooms=groix" width="700" height="330"></iframe>` +
          `<iframe id="room" src="${stack.baseUrl}/rooms/groix" width="300" height="200"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => host.close(() => resolve())));
    const context = await browser.newContext({ viewport: { width: 1100, height: 600 } });
    onTestFinished(() => context.close());
    const page = await context.newPage();

    // Act
    // `localhost` is another origin than the live page's `127.0.0.1`.
    await page.goto(`http://localhost:${(host.address() as AddressInfo).port}/`);
    const embed = page.frameLocator('#embed');
    await embed.locator('[data-connection="live"]').waitFor();
    // Connected comes before the retained schedule: the room is drawn once that arrives.
    await embed.locator('[data-room]').first().waitFor();

    // Assess
    await expect(embed.locator('[data-room]').count()).resolves.toBe(1);
    await expect(page.frameLocator('#room').locator('[data-view]').count()).resolves.toBe(0);
    await screenshot(page, 'embed-in-another-site');
  });
});
