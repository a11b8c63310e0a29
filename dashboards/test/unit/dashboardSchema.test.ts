import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from '../../src/generate.js';
import { dashboardSchema } from '../support/dashboardSchema.js';

describe('buildDashboards', () => {
  let validate: ReturnType<Ajv['compile']>;

  beforeAll(() => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(dashboardSchema());
  });

  it.each(Object.entries(buildDashboards({ event: 'demo' })))(
    'produces a %s dashboard valid against Grafana’s dashboard schema',
    (_name, dashboard) => {
      // Prepare
      const json = JSON.parse(JSON.stringify(dashboard)) as unknown;

      // Act
      const valid = validate(json);

      // Assess
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    },
  );

  it('rejects a dashboard with a misspelt field when the schema is strict', () => {
    // Prepare
    const [, dashboard] = Object.entries(buildDashboards({ event: 'demo' }))[0]!;
    const json = { ...JSON.parse(JSON.stringify(dashboard)), refrsh: '5s' } as unknown;

    // Act
    const valid = validate(json);

    // Assess
    expect(valid).toBe(false);
  });

  it('gives stable uids and unique panel ids when built twice', () => {
    // Prepare
    const first = buildDashboards({ event: 'demo' });

    // Act
    const second = buildDashboards({ event: 'demo' });

    // Assess
    expect(Object.values(first).map((d) => d.uid)).toEqual([
      'likebox-live-rooms',
      'likebox-leaderboard',
      'likebox-talk',
      'likebox-fleet',
    ]);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    for (const dashboard of Object.values(first)) {
      const ids = (dashboard.panels ?? []).map((panel) => panel.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
