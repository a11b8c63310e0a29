import { describe, expect, it } from 'vitest';
import {
  expandInfluxQL,
  formatInterval,
  intervalMs,
  roundInterval,
  timeFilter,
} from '../support/grafanaMacros.js';

const NOW = Date.parse('2026-06-11T14:30:00Z');
const base = { now: NOW, variables: {} };

describe('grafanaMacros (test support reproducing Grafana’s InfluxQL expansion)', () => {
  it('writes relative ranges with now() and absolute ones in epoch ms', () => {
    // Act
    const relative = timeFilter({ ...base, from: 'now-6h', to: 'now' });
    const today = timeFilter({ ...base, from: 'now/d', to: 'now/d' });

    // Assess
    expect(relative).toBe('time >= now() - 6h and time <= now()');
    const midnight = Date.parse('2026-06-11T00:00:00Z');
    expect(today).toBe(`time >= ${midnight}ms and time <= ${midnight + 86_399_999}ms`);
  });

  it('derives $__interval from range and max data points, floored by the min interval', () => {
    // Act
    const day = intervalMs({ ...base, from: 'now/d', to: 'now/d' });
    const sixHours = intervalMs({ ...base, from: 'now-6h', to: 'now', minInterval: '10s' });
    const floored = intervalMs({ ...base, from: 'now-1h', to: 'now', minInterval: '1m' });

    // Assess
    expect(formatInterval(day)).toBe('1m');
    expect(formatInterval(sixHours)).toBe('20s');
    expect(formatInterval(floored)).toBe('1m');
    expect(roundInterval(604_800)).toBe(600_000);
  });

  it('expands a multi-value variable as an escaped regex group and All as every option', () => {
    // Prepare
    const query = `SELECT * FROM v WHERE "room" =~ /^$room$/ AND "event" = '$event'`;
    const variables = (room: string | string[]) => ({
      room: { value: room, multi: true, includeAll: true, options: ['a.b', 'c'] },
      event: { value: 'demo' },
    });

    // Act
    const two = expandInfluxQL(query, {
      ...base,
      from: 'now-1h',
      to: 'now',
      variables: variables(['a.b', 'c']),
    });
    const one = expandInfluxQL(query, {
      ...base,
      from: 'now-1h',
      to: 'now',
      variables: variables('c'),
    });
    const all = expandInfluxQL(query, {
      ...base,
      from: 'now-1h',
      to: 'now',
      variables: variables('$__all'),
    });

    // Assess
    expect(two).toBe(`SELECT * FROM v WHERE "room" =~ /^(a\\.b|c)$/ AND "event" = 'demo'`);
    expect(one).toBe(`SELECT * FROM v WHERE "room" =~ /^c$/ AND "event" = 'demo'`);
    expect(all).toBe(two);
  });

  it('escapes a single-value variable only inside a regex', () => {
    // Prepare
    const variables = { path: { value: '/special/path' } };
    const context = { ...base, from: 'now-1h', to: 'now', variables };

    // Act
    const inRegex = expandInfluxQL('SELECT x FROM m WHERE p =~ /$path/', context);
    const inString = expandInfluxQL(`SELECT x FROM m WHERE p = '$path'`, context);

    // Assess: the cases of Grafana's own interpolateQueryExpr tests
    expect(inRegex).toBe('SELECT x FROM m WHERE p =~ /\\/special\\/path/');
    expect(inString).toBe(`SELECT x FROM m WHERE p = '/special/path'`);
  });
});
