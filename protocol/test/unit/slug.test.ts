import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSlug, SLUG_MAX_LENGTH, slugify, slugifyAll } from '../../src/index.js';

describe('slugify', () => {
  it('folds the real BreizhCamp room names the way the contract says', () => {
    // Prepare, Act, Assess
    expect(slugify('Belle-Ile-en-Mer')).toBe('belle-ile-en-mer');
    expect(slugify('Bréhat')).toBe('brehat');
    expect(slugify('Molène')).toBe('molene');
    expect(slugify('Straße Œuvre Øresund')).toBe('strasse-oeuvre-oresund');
  });

  it('turns separators and topic wildcards into single dashes when a name holds them', () => {
    // Prepare, Act, Assess
    expect(slugify('Room A/B')).toBe('room-a-b');
    expect(slugify('  C++ #1 + Go  ')).toBe('c-1-go');
    expect(slugify('Salle 🎤 Jazz')).toBe('salle-jazz');
    expect(slugify('K.1.105 (La Fontaine…)')).toBe('k-1-105-la-fontaine');
    expect(slugify('a\u0000b')).toBe('a-b');
  });

  it('gives distinct deterministic slugs when a name has no letter or digit', () => {
    // Prepare, Act
    const mic = slugify('🎤');
    const bang = slugify('!!!');

    // Assess
    expect(mic).toMatch(/^x-[0-9a-f]{8}$/);
    expect(bang).toMatch(/^x-[0-9a-f]{8}$/);
    expect(mic).not.toBe(bang);
    expect(slugify('🎤')).toBe(mic);
    expect(isSlug(slugify(''))).toBe(true);
  });

  it('always returns a slug of at most 63 characters, for any string', () => {
    // Prepare, Act, Assess
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const slug = slugify(name);
        return isSlug(slug) && slug.length <= SLUG_MAX_LENGTH;
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a slug unchanged', () => {
    // Prepare
    const slugs = fc
      .array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join('-'));

    // Act, Assess
    fc.assert(fc.property(slugs, (slug) => slugify(slug) === slug));
  });
});

describe('slugifyAll', () => {
  it('reports names that collide instead of merging them', () => {
    // Prepare
    const names = ['Bréhat', 'Brehat', 'BREHAT!', 'Groix'];

    // Act
    const { slugs, collisions } = slugifyAll(names);

    // Assess
    expect(slugs.get('Bréhat')).toBe('brehat');
    expect(slugs.get('Brehat')).toBe('brehat-2');
    expect(slugs.get('BREHAT!')).toBe('brehat-3');
    expect(slugs.get('Groix')).toBe('groix');
    expect(collisions).toEqual([
      {
        slug: 'brehat',
        names: ['Bréhat', 'Brehat', 'BREHAT!'],
        assigned: ['brehat', 'brehat-2', 'brehat-3'],
      },
    ]);
  });

  it('does not hand out a suffixed slug that another name already folds to', () => {
    // Prepare
    const names = ['Room 2', 'Room', 'room!'];

    // Act
    const { slugs } = slugifyAll(names);

    // Assess
    expect(slugs.get('Room 2')).toBe('room-2');
    expect(slugs.get('Room')).toBe('room');
    expect(slugs.get('room!')).toBe('room-3');
  });

  it('gives every distinct name its own valid slug, for any list of names', () => {
    // Prepare, Act, Assess
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 80 }), { maxLength: 40 }), (names) => {
        const { slugs } = slugifyAll(names);
        const values = [...slugs.values()];
        return (
          slugs.size === new Set(names).size &&
          new Set(values).size === values.length &&
          values.every(isSlug)
        );
      }),
      { numRuns: 500 },
    );
  });
});
