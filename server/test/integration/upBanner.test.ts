import { lanAddresses } from '@likebox/runtime';
import { tempDir } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { startUpProcess, upEnv } from '../../src/testing.js';

describe('likebox up banner', () => {
  it('names the addresses a LAN client opens when bound on 0.0.0.0, not 0.0.0.0', async () => {
    // Prepare
    const env = upEnv(await tempDir('likebox-up-banner-'), {
      LIKEBOX_INFLUXD: 'off',
      LIKEBOX_BIND: '0.0.0.0',
    });
    const addresses = lanAddresses('0.0.0.0');
    const expected = addresses.length > 0 ? addresses : ['127.0.0.1'];

    // Act
    const up = await startUpProcess(env);

    // Assess
    const { httpUrl, mqttUrl } = up.summary;
    const port = (url: string) => new URL(url).port;
    expect(up.summaryLine).not.toContain('0.0.0.0');
    expect(up.summary.lan?.http).toEqual(expected.map((a) => `http://${a}:${port(httpUrl)}/`));
    for (const address of expected) {
      expect(up.summaryLine).toContain(`http://${address}:${port(httpUrl)}/`);
      expect(up.summaryLine).toContain(`mqtt://${address}:${port(mqttUrl)}`);
    }
    // The live page answers at the first address printed.
    const response = await fetch(up.summary.lan?.http[0] ?? '');
    expect(response.status).toBe(200);
  });
});
