import { describe, expect, it } from 'vitest';
import { buildDashboards } from '../../src/generate.js';

const dashboards = buildDashboards({ event: 'demo' });
const json = JSON.parse(JSON.stringify(dashboards)) as Record<string, Record<string, unknown>>;

interface Panel {
  title: string;
  type: string;
  repeat?: string;
  options?: { sortBy?: { displayName: string; desc: boolean }[] };
  fieldConfig?: {
    overrides?: {
      matcher: { id: string; options: string };
      properties: { id: string; value: unknown }[];
    }[];
  };
}

function panel(name: string, title: string): Panel {
  const found = ((json[name]?.panels ?? []) as Panel[]).find((p) => p.title === title);
  if (found === undefined) throw new Error(`no panel ${title} in ${name}`);
  return found;
}

function override(p: Panel, field: string, property: string): unknown {
  return p.fieldConfig?.overrides
    ?.find((o) => o.matcher.id === 'byName' && o.matcher.options === field)
    ?.properties.find((prop) => prop.id === property)?.value;
}

describe('liveRoomsDashboard', () => {
  it('shows today, refreshes every 5 s and offers a multi-value room variable with All', () => {
    // Act
    const live = dashboards['live-rooms']!;
    const room = live.templating.list?.find((v) => v.name === 'room');

    // Assess
    expect(live.time).toEqual({ from: 'now/d', to: 'now/d' });
    expect(live.refresh).toBe('5s');
    expect(room).toMatchObject({ multi: true, includeAll: true });
    expect(live.annotations?.list?.map((a) => a.name)).toContain('Talks');
  });

  it('repeats the cumulative chart per room with likes green and dislikes red', () => {
    // Act
    const chart = panel('live-rooms', 'Likes and dislikes: $room');

    // Assess
    expect(chart.repeat).toBe('room');
    expect(override(chart, 'likes', 'color')).toEqual({ mode: 'fixed', fixedColor: 'green' });
    expect(override(chart, 'dislikes', 'color')).toEqual({ mode: 'fixed', fixedColor: 'red' });
  });
});

describe('leaderboardDashboard', () => {
  it('sorts by the Wilson bound and links each title to the talk view over its window', () => {
    // Act
    const table = panel('leaderboard', 'Talk leaderboard');
    const links = override(table, 'title', 'links') as { url: string }[];

    // Assess
    expect(table.options?.sortBy).toEqual([{ displayName: 'Wilson bound', desc: true }]);
    expect(links[0]?.url).toMatch(/^\/d\/likebox-talk\//);
    expect(links[0]?.url).toContain(`var-talk=\${__data.fields.talk}`);
    expect(links[0]?.url).toContain(`from=\${__data.fields.start}&to=\${__data.fields.closes}`);
    expect(dashboards.talk?.uid).toBe('likebox-talk');
  });
});
