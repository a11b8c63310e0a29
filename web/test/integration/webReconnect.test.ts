import { describe, expect, it, onTestFinished } from 'vitest';
import {
  demoSchedule,
  launchChromium,
  screenshot,
  startWebStack,
  vote,
  waitForText,
} from './webHarness.js';

describe('live web page connection', { timeout: 60_000 }, () => {
  it('recovers and counts votes again when the broker restarts', async () => {
    // Prepare
    const stack = await startWebStack();
    onTestFinished(() => stack.close());
    const browser = await launchChromium();
    onTestFinished(() => browser.close());
    const at = Date.now();
    await stack.publishProgramme(demoSchedule(at), at, {
      groix: { talk: 't-mqtt', likes: 5, dislikes: 1, at },
    });
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${stack.baseUrl}/rooms/groix`);
    await page.waitForSelector('[data-connection="live"]');
    await waitForText(page, '[data-role="likes"]', '5');

    // Act
    const closed = stack.broker.close();
    await page.waitForSelector('[data-connection="reconnecting"]');
    await closed;
    await screenshot(page, 'room-reconnecting');
    await stack.restartBroker();
    await page.waitForSelector('[data-connection="live"]', { timeout: 20_000 });
    await stack.publish('votes', 'groix', vote(1, 't-mqtt'));

    // Assess
    await waitForText(page, '[data-role="likes"]', '6');
    await expect(page.locator('[data-role="talk-title"]').textContent()).resolves.toBe(
      'MQTT en action: des boîtiers aux tableaux de bord',
    );
  });

  it('starts by itself when the server was unreachable as the page loaded', async () => {
    // Prepare
    const stack = await startWebStack();
    onTestFinished(() => stack.close());
    const browser = await launchChromium();
    onTestFinished(() => browser.close());
    const at = Date.now();
    await stack.publishProgramme(demoSchedule(at), at, {});
    const page = await browser.newPage();
    let refused = 0;
    await page.route('**/config.json', (route) => {
      if (refused >= 1) return route.continue();
      refused += 1;
      return route.abort('connectionrefused');
    });

    // Act
    await page.goto(`${stack.baseUrl}/rooms/groix`);
    await page.waitForSelector('[data-role="waiting"]');

    // Assess
    await page.waitForSelector('[data-connection="live"]', { timeout: 20_000 });
    await waitForText(page, '[data-role="room-name"]', 'Groix');
  });
});
