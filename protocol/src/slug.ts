/**
 * Slugs: the only names allowed as `{event}`, `{room}` and `{device}` topic levels.
 * A slug is 1 to 63 characters of `[a-z0-9-]`, starting with a letter or digit.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Longest slug, in characters. */
export const SLUG_MAX_LENGTH = 63;

/** True when `value` is a slug. */
export function isSlug(value: string): boolean {
  return SLUG_PATTERN.test(value);
}

// Letters that Unicode does not decompose into a base letter plus marks (NFKD leaves them whole).
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/** FNV-1a, 32 bits: a short, stable fingerprint for names that have no letter or digit to keep. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Turns a display name into a slug, deterministically.
 *
 * Accents are dropped ("Bréhat" → `brehat`), every run of other characters (spaces, `/`, `+`, `#`,
 * punctuation, emoji) becomes one `-`, and the result is cut to 63 characters. A name with no
 * letter or digit at all ("🎤", "!!!", "") becomes `x-` followed by a fingerprint of the name, so
 * two such names still get different slugs.
 */
export function slugify(name: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{ASCII}]/gu, (char) => TRANSLITERATIONS[char] ?? '-');
  const slug = folded
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? `x-${fingerprint(name)}` : slug;
}

/** Two or more different display names that fold to the same slug. */
export interface SlugCollision {
  /** The slug they all fold to. */
  slug: string;
  /** The display names, in input order. */
  names: string[];
  /** The slugs given to them instead, in the same order (the first keeps `slug`). */
  assigned: string[];
}

/** The result of {@link slugifyAll}. */
export interface SlugAssignment {
  /** Display name → slug; distinct names always get distinct slugs. */
  slugs: Map<string, string>;
  /** Every group of names that folded together, so the caller can report it. */
  collisions: SlugCollision[];
}

/**
 * Gives each distinct display name its own slug. Names that fold to the same slug are never
 * merged: the first (in input order) keeps it, the next get `-2`, `-3`, … and every such group is
 * returned in `collisions` for the caller to report.
 */
export function slugifyAll(names: Iterable<string>): SlugAssignment {
  const groups = new Map<string, string[]>();
  for (const name of new Set(names)) {
    const base = slugify(name);
    groups.set(base, [...(groups.get(base) ?? []), name]);
  }
  const taken = new Set(groups.keys());
  const slugs = new Map<string, string>();
  const collisions: SlugCollision[] = [];
  for (const [base, group] of groups) {
    const assigned = group.map((name, index) => {
      const slug = index === 0 ? base : nextFree(base, taken);
      taken.add(slug);
      slugs.set(name, slug);
      return slug;
    });
    if (group.length > 1) collisions.push({ slug: base, names: group, assigned });
  }
  return { slugs, collisions };
}

function nextFree(base: string, taken: ReadonlySet<string>): string {
  for (let n = 2; ; n += 1) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, SLUG_MAX_LENGTH - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}
