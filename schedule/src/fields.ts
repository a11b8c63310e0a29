/**
 * Reading untyped documents (parsed JSON or XML) safely, and naming where a value sits in them
 * (`programme.jours[1].proposals[7].start`) so that warnings and errors point at the entry.
 */

/** A plain object of a parsed document. */
export type Fields = Record<string, unknown>;

/** True for a plain object (not null, not an array). */
export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list: arrays as they are, a single value as a one-item list (XML), absent as empty. */
export function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null || value === '') return [];
  return [value];
}

/**
 * A value as trimmed text: strings, numbers and XML text nodes (`{ '#text': … }`); anything else
 * (objects, lists, booleans, absent) gives an empty string.
 */
export function text(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (isFields(value)) return text(value['#text']);
  return '';
}

/** `base.key` or `base["odd key"]`, the way a JSON path is usually written. */
export function pathKey(base: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** `base[index]`. */
export function pathIndex(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** Names of people from the shapes programmes use: strings, or objects with a name field. */
export function personNames(value: unknown): string[] {
  const names: string[] = [];
  for (const item of list(value)) {
    if (typeof item === 'string' || typeof item === 'number') {
      names.push(text(item));
    } else if (isFields(item)) {
      const full = [text(item.firstName), text(item.lastName)].join(' ').trim();
      names.push(
        text(item.public_name) || text(item.name) || text(item.fullName) || full || text(item),
      );
    }
  }
  return names.filter((name) => name !== '');
}
