import { z } from 'zod';
import { Bool, OptionalPort, Port } from './env.js';

/** The part of a zod schema's internal definition this module reads. */
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  defaultValue?: unknown;
  entries?: Record<string, string | number>;
}

/** Wrappers whose inner schema carries the field's description and type. */
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

function defOf(schema: z.ZodType): Def {
  return schema._zod.def as unknown as Def;
}

/**
 * The schema and the schemas it wraps, outermost first: through `.default()`, `.optional()` and
 * the like, and into the input side of a `.transform()`. A shared piece (`Port`, `Bool`) keeps its
 * identity inside a command's `.default(…)`, and its description stays reachable.
 */
function layers(schema: z.ZodType): z.ZodType[] {
  const out: z.ZodType[] = [];
  let current: z.ZodType | undefined = schema;
  while (current !== undefined && out.length < 20) {
    out.push(current);
    const def = defOf(current);
    current = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
  }
  return out;
}

function metaOf(schema: z.ZodType, key: string): unknown {
  for (const layer of layers(schema)) {
    const value = z.globalRegistry.get(layer)?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What `--help` and the flag parser need to know about one variable or flag. */
export interface FieldInfo {
  /** Its description (`.describe()` / `.meta({ description })`), '' when it has none. */
  description: string;
  /** Its default as shown in `--help`, or undefined when it has none. */
  defaultText: string | undefined;
  /** A yes/no value: the flag stands alone and has a `--no-` form. */
  boolean: boolean;
  /** A flag given several times (`--window a --window b`). */
  multiple: boolean;
  /** The accepted values of an enumeration, or undefined. */
  choices: string[] | undefined;
  /** The command refuses to start without it. */
  required: boolean;
  /** A number (`N` in `--help`), or a port (`PORT`). */
  numeric: 'port' | 'number' | undefined;
}

/** Reads the {@link FieldInfo} of a field of a variables or flags schema. */
export function fieldInfo(schema: z.ZodType): FieldInfo {
  const all = layers(schema);
  const withDefault = all.find((layer) => ['default', 'prefault'].includes(defOf(layer).type));
  const explicit = metaOf(schema, 'defaultText');
  const enumeration = all.find((layer) => defOf(layer).type === 'enum' && layer !== Bool);
  const isBoolean = all.some((layer) => layer === Bool || defOf(layer).type === 'boolean');
  return {
    description: shown(metaOf(schema, 'description') ?? ''),
    defaultText:
      explicit !== undefined
        ? shown(explicit)
        : withDefault === undefined
          ? undefined
          : shown(defOf(withDefault).defaultValue),
    boolean: isBoolean,
    multiple: all.some((layer) => defOf(layer).type === 'array'),
    choices:
      enumeration === undefined
        ? undefined
        : Object.values(defOf(enumeration).entries ?? {}).map(String),
    required: !schema.safeParse(undefined).success,
    numeric: all.some((layer) => layer === Port || layer === OptionalPort)
      ? 'port'
      : all.some((layer) => defOf(layer).type === 'number')
        ? 'number'
        : undefined,
  };
}
