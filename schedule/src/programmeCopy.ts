import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { looksLikeXml } from './source.js';

/**
 * The last good copy of a programme fetched from a URL, kept in the data folder so a restart runs
 * on it when the URL is down: the body as served in `schedule-source.json` or `.xml`, and what is
 * known about it in `schedule-source.meta.json`. Each file is written to a temporary name and
 * renamed (atomic on one filesystem); the body's SHA-256 in the meta catches a body and meta
 * from different fetches (a crash between the two renames): such a copy is not used.
 */

/** Name of the meta file in the data folder. */
export const COPY_META_FILE = 'schedule-source.meta.json';

/** What is known about the copy (the meta file). */
export const CopyMeta = z.object({
  /** The URL it was fetched from; a copy of another URL is not used. */
  url: z.string(),
  /** Name of the body file in the data folder. */
  file: z.string().regex(/^schedule-source\.(json|xml)$/),
  /** When it was fetched, ISO 8601. */
  fetchedAt: z.string(),
  /** Its ETag, sent back as `If-None-Match`. */
  etag: z.string().nullable(),
  /** Its Last-Modified, sent back as `If-Modified-Since`. */
  lastModified: z.string().nullable(),
  /** SHA-256 of the body (hex): an unchanged body is not republished. */
  sha256: z.string(),
});

/** The meta of a copy. */
export type CopyMeta = z.infer<typeof CopyMeta>;

/** A copy read back: its body and its meta. */
export interface ProgrammeCopy {
  /** The body as it was served. */
  text: string;
  /** What is known about it. */
  meta: CopyMeta;
}

/** SHA-256 of a body, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/** Keeps `text` as the copy in `dataDir` (created if missing), with its meta. */
export async function saveCopy(
  dataDir: string,
  text: string,
  meta: Omit<CopyMeta, 'file' | 'sha256'>,
): Promise<CopyMeta> {
  await mkdir(dataDir, { recursive: true });
  const file = looksLikeXml(text.replace(/^\uFEFF/, ''))
    ? 'schedule-source.xml'
    : 'schedule-source.json';
  const full: CopyMeta = { ...meta, file, sha256: sha256(text) };
  await writeAtomically(join(dataDir, file), text);
  await writeAtomically(join(dataDir, COPY_META_FILE), `${JSON.stringify(full, null, 2)}\n`);
  const other = file === 'schedule-source.xml' ? 'schedule-source.json' : 'schedule-source.xml';
  await rm(join(dataDir, other), { force: true });
  return full;
}

/** Writes a new meta for the copy held (new validators or fetch time, same body). */
export async function saveCopyMeta(dataDir: string, meta: CopyMeta): Promise<void> {
  await writeAtomically(join(dataDir, COPY_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * The copy in `dataDir`, or why there is none usable: no copy, an unreadable one, a copy of
 * another URL, or a body that is not the one the meta describes.
 */
export async function readCopy(
  dataDir: string,
  url: string,
): Promise<{ copy: ProgrammeCopy } | { missing: string }> {
  let metaText: string;
  try {
    metaText = await readFile(join(dataDir, COPY_META_FILE), 'utf8');
  } catch {
    return { missing: `no last good copy in ${dataDir}` };
  }
  let parsed: ReturnType<typeof CopyMeta.safeParse>;
  try {
    parsed = CopyMeta.safeParse(JSON.parse(metaText));
  } catch {
    return { missing: `unreadable ${COPY_META_FILE} in ${dataDir}` };
  }
  if (!parsed.success) return { missing: `unreadable ${COPY_META_FILE} in ${dataDir}` };
  const meta = parsed.data;
  if (meta.url !== url) return { missing: `the copy in ${dataDir} is of another URL, ${meta.url}` };
  const text = await readFile(join(dataDir, meta.file), 'utf8').catch(() => null);
  if (text === null || sha256(text) !== meta.sha256) {
    return { missing: `the copy in ${dataDir} does not match its ${COPY_META_FILE}` };
  }
  return { copy: { text, meta } };
}
