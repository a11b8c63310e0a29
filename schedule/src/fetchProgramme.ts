import { ProgrammeFetchError, ScheduleImportError } from './errors.js';
import { type LoadedSchedule, loadScheduleText } from './loadScheduleFile.js';
import type { ImportOptions } from './types.js';

/**
 * One GET of a programme URL (pretalx, frab and Sessionize exports live at URLs) with Node's
 * built-in fetch (undici): a timeout over the whole exchange, redirects followed (fetch's default,
 * at most 20), a conditional request when validators of a previous copy are given, and a body cut
 * off past a size limit. Every failure is a {@link ProgrammeFetchError} with a short `reason`.
 */

/** Default time allowed for one fetch, headers and body: 30 s. */
export const FETCH_TIMEOUT_MS = 30_000;
/** Default largest body accepted: 20 MB (FOSDEM 2024's schedule.xml, 674 events, is 1.2 MB). */
export const FETCH_MAX_BYTES = 20 * 1024 * 1024;

/** Options of {@link fetchProgramme}. */
export interface FetchProgrammeOptions {
  /** ETag of the copy held: sent as `If-None-Match`. */
  etag?: string | null;
  /** Last-Modified of the copy held: sent as `If-Modified-Since`. */
  lastModified?: string | null;
  /** Time allowed for the whole exchange, ms; default {@link FETCH_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Largest body accepted, bytes (after decompression); default {@link FETCH_MAX_BYTES}. */
  maxBytes?: number;
  /** Aborts the fetch (the owner stops). */
  signal?: AbortSignal;
}

/** What a fetch gave: the copy held is current, or a new body with its validators. */
export type FetchedProgramme =
  /** 304: the copy whose validators were sent is current. */
  | { status: 'not-modified' }
  /** 2xx: the body (UTF-8) and the `ETag` and `Last-Modified` it came with, null when absent. */
  | { status: 'ok'; text: string; etag: string | null; lastModified: string | null };

/** True when `value` is an http(s) URL rather than a file path. */
export function isProgrammeUrl(value: string): boolean {
  return /^https?:\/\//i.test(value.trim());
}

function conditionalHeaders(options: FetchProgrammeOptions): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
    'user-agent': 'LikeBox schedule fetcher',
  };
  if (options.etag) headers['if-none-match'] = options.etag;
  if (options.lastModified) headers['if-modified-since'] = options.lastModified;
  return headers;
}

async function readBody(url: string, response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new ProgrammeFetchError(url, `body larger than ${maxBytes} bytes`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  // Counted while read, since a body may come without content-length (chunked, compressed).
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
    size += part.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw tooLarge();
    }
    chunks.push(part.value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

function failureReason(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'aborted';
  // undici reports network errors as `TypeError: fetch failed` with the system error as cause.
  const cause = error.cause?.code ?? error.cause?.message;
  return cause ? `${error.message}: ${cause}` : error.message;
}

/** GETs a programme; see the module comment. Throws {@link ProgrammeFetchError}. */
export async function fetchProgramme(
  url: string,
  options: FetchProgrammeOptions = {},
): Promise<FetchedProgramme> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  try {
    const response = await fetch(url, { headers: conditionalHeaders(options), signal });
    if (response.status === 304) {
      await response.body?.cancel();
      return { status: 'not-modified' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ProgrammeFetchError(url, `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const text = await readBody(url, response, options.maxBytes ?? FETCH_MAX_BYTES);
    const { headers } = response;
    return {
      status: 'ok',
      text,
      etag: headers.get('etag'),
      lastModified: headers.get('last-modified'),
    };
  } catch (err) {
    if (err instanceof ProgrammeFetchError) throw err;
    throw new ProgrammeFetchError(url, failureReason(err, timeoutMs), { cause: err });
  }
}

/**
 * Fetches a programme once and reads it as {@link loadScheduleText} does (`likebox schedule
 * import URL`). Throws {@link ScheduleImportError}, naming the URL, whether it failed to come or
 * to import.
 */
export async function loadScheduleUrl(
  url: string,
  options: ImportOptions & Pick<FetchProgrammeOptions, 'timeoutMs' | 'maxBytes' | 'signal'> = {},
): Promise<LoadedSchedule> {
  const { timeoutMs, maxBytes, signal, ...importOptions } = options;
  let fetched: FetchedProgramme;
  try {
    fetched = await fetchProgramme(url, { timeoutMs, maxBytes, signal });
  } catch (err) {
    const reason = err instanceof ProgrammeFetchError ? err.reason : String(err);
    throw new ScheduleImportError([{ where: url, message: `cannot fetch: ${reason}` }], {
      cause: err,
    });
  }
  // Without validators sent, a server has no reason to answer 304; if one does, there is no body.
  if (fetched.status === 'not-modified') {
    throw new ScheduleImportError([{ where: url, message: 'cannot fetch: 304 with no copy held' }]);
  }
  return loadScheduleText(fetched.text, url, { fileName: url, ...importOptions });
}
