import { readFileSync } from 'node:fs';
import { SchedulePayload } from '@likebox/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ImportOptions,
  type ImportResult,
  importSchedule,
  ScheduleImportError,
} from '../../src/index.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/schedules/${name}`, import.meta.url), 'utf8');

const FILES: readonly [string, ImportOptions][] = [
  ['breizhcamp-2013.json', { tz: 'Europe/Paris' }],
  ['breizhcamp-2015-box-copy.json', { tz: 'Europe/Paris' }],
  ['frab-camp2019.json', {}],
  ['pretalx-democon.json', {}],
  ['sessionize-global-azure-austria.json', { tz: 'Europe/Vienna' }],
  ['fosdem2024.xml', { tz: 'Europe/Brussels' }],
];

/** Imports, and fails the property on anything but a valid schedule or a ScheduleImportError. */
function outcome(text: string, options: ImportOptions): ImportResult | ScheduleImportError {
  try {
    const result = importSchedule(text, options);
    const checked = SchedulePayload.safeParse(result.schedule);
    if (!checked.success) throw new Error(`invalid schedule: ${checked.error.message}`);
    return result;
  } catch (err) {
    if (err instanceof ScheduleImportError) {
      expect(err.problems.length).toBeGreaterThan(0);
      expect(err.message).not.toBe('');
      return err;
    }
    throw err;
  }
}

/** Deterministic shuffle of every array in a JSON value (mulberry32 from a seed). */
function shuffleArrays(value: unknown, seed: number): unknown {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      const copy = node.map(walk);
      for (let i = copy.length - 1; i > 0; i -= 1) {
        const j = Math.floor(random() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy;
    }
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(value);
}

/** Number of leaves (non-container values) of a JSON value. */
function leafCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  return Object.values(value).reduce((sum: number, v) => sum + leafCount(v), 0);
}

/** Replaces the value at the n-th leaf (depth-first) by `replacement`. */
function mutateLeaf(value: unknown, n: number, replacement: unknown): unknown {
  let count = 0;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'object' && node !== null) {
      const entries = Object.entries(node).map(([k, v]) => [k, walk(v)] as const);
      return Array.isArray(node) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
    }
    count += 1;
    return count - 1 === n ? replacement : node;
  };
  return walk(value);
}

describe('importSchedule under fuzzing', () => {
  for (const [file, options] of FILES) {
    const text = fixture(file).trimEnd();
    const runs = file.endsWith('.xml') ? 15 : 60;

    it(`refuses every truncation of ${file} with a located error`, () => {
      // Prepare
      const cut = fc.integer({ min: 0, max: text.length - 1 });

      // Act + Assess
      fc.assert(
        fc.property(cut, (at) => {
          const result = outcome(text.slice(0, at), options);
          expect(result).toBeInstanceOf(ScheduleImportError);
        }),
        { numRuns: runs },
      );
    });

    it(`never crashes when lines of ${file} are swapped`, () => {
      // Prepare
      const lines = text.split('\n');
      const swaps = fc.array(fc.tuple(fc.nat(lines.length - 1), fc.nat(lines.length - 1)), {
        minLength: 1,
        maxLength: 4,
      });

      // Act + Assess
      fc.assert(
        fc.property(swaps, (pairs) => {
          const shuffled = [...lines];
          for (const [a, b] of pairs) [shuffled[a], shuffled[b]] = [shuffled[b]!, shuffled[a]!];
          outcome(shuffled.join('\n'), options);
        }),
        { numRuns: runs },
      );
    });
  }

  for (const [file, options] of FILES.filter(([name]) => name.endsWith('.json'))) {
    const doc: unknown = JSON.parse(fixture(file));
    const reference = importSchedule(JSON.stringify(doc), options).schedule;

    it(`imports the same talks whatever the order of the lists in ${file}`, () => {
      // Act + Assess
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const result = outcome(JSON.stringify(shuffleArrays(doc, seed)), options);
          expect(result).not.toBeInstanceOf(ScheduleImportError);
          const { schedule } = result as ImportResult;
          expect(schedule.talks.filter((t) => t.votable)).toHaveLength(
            reference.talks.filter((t) => t.votable).length,
          );
          expect(new Set(schedule.rooms.map((r) => r.slug))).toEqual(
            new Set(reference.rooms.map((r) => r.slug)),
          );
        }),
        { numRuns: 25 },
      );
    });

    it(`gives an error or a valid schedule when a value of ${file} is replaced at random`, () => {
      // Prepare
      const leaf = fc.nat(leafCount(doc) - 1);
      const replacement = fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        fc.string(),
        fc.constantFrom('', '18:0', '99:99', null),
      );

      // Act + Assess
      fc.assert(
        fc.property(leaf, replacement, (n, value) => {
          outcome(JSON.stringify(mutateLeaf(doc, n, value)), options);
        }),
        { numRuns: 150 },
      );
    });
  }

  it('refuses random text and random JSON with an error', () => {
    // Prepare
    const input = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 4 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        '<',
        '<schedule/>',
        '<schedule><day/></schedule>',
        '{"programme":{"jours":[]}}',
        '[]',
      ),
    );

    // Act + Assess
    fc.assert(
      fc.property(input, (text) => {
        const result = outcome(text, { tz: 'Europe/Paris' });
        expect(result).toBeInstanceOf(ScheduleImportError);
      }),
      { numRuns: 400 },
    );
  });
});
