import type { Schedule } from '@likebox/protocol';
import type { Logger } from 'pino';
import { ProgrammeFetchError, ProgrammeUnavailableError, ScheduleImportError } from './errors.js';
import { fetchProgramme } from './fetchProgramme.js';
import { type LoadedSchedule, loadScheduleText } from './loadScheduleFile.js';
import {
  type CopyMeta,
  type ProgrammeCopy,
  readCopy,
  saveCopy,
  saveCopyMeta,
  sha256,
} from './programmeCopy.js';
import type { ImportOptions } from './types.js';

/**
 * A programme read from a URL, at start and then every `everyMs`, the way the original LikeBox
 * fetched `schedule.json` at start with a local fallback. Each check is a conditional GET (the
 * ETag and Last-Modified of the last good copy); a 304, or a body with the same SHA-256, changes
 * nothing. A new body that imports becomes the last good copy (kept in the data folder, see
 * `programmeCopy.ts`) and is handed to `onChange`. A URL that is down, slow, answers an error
 * status or serves a body that does not import leaves the last good copy in use: a warn log names
 * the URL and the reason, {@link RemoteProgramme.state} shows it, nothing throws.
 */

/** Options of {@link RemoteProgramme}. */
export interface RemoteProgrammeOptions {
  /** The programme's http(s) URL (`LIKEBOX_SCHEDULE_URL`). */
  url: string;
  /** Folder the last good copy is kept in (the data folder). */
  dataDir: string;
  /** Time between checks, ms (`LIKEBOX_SCHEDULE_REFRESH_MINUTES`); 0 = at start only. */
  everyMs: number;
  /** How the programme is imported (tz, tzHint, event, windows, format). */
  importOptions: ImportOptions;
  /** Logger (`module: schedule`). */
  log: Logger;
  /** Called with the new schedule after a check found a changed programme that imports. */
  onChange: (schedule: Schedule) => void;
  /** Time allowed for one fetch, ms; default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted, bytes; default 20 MB. */
  maxBytes?: number;
}

/** What the health document shows of a programme URL. */
export interface RemoteProgrammeState {
  /** The programme's URL. */
  url: string;
  /** The copy in use (fetched or read back at start), or null before one is. */
  lastGood: Omit<CopyMeta, 'url' | 'file'> | null;
  /** The last check's failure (ISO time and reason); null when the last check succeeded. */
  lastError: { at: string; reason: string } | null;
  /** When the URL was last asked, ISO 8601; null before the first check. */
  lastCheck: string | null;
}

/** The programme at a URL, with its last good copy; see the module comment. */
export class RemoteProgramme {
  readonly #o: RemoteProgrammeOptions;
  readonly #abort = new AbortController();
  #meta: CopyMeta | null = null;
  #lastError: RemoteProgrammeState['lastError'] = null;
  #lastCheck: string | null = null;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(options: RemoteProgrammeOptions) {
    this.#o = options;
  }

  /** The state the health document shows. */
  get state(): RemoteProgrammeState {
    const meta = this.#meta;
    const lastGood =
      meta === null
        ? null
        : {
            fetchedAt: meta.fetchedAt,
            etag: meta.etag,
            lastModified: meta.lastModified,
            sha256: meta.sha256,
          };
    return { url: this.#o.url, lastGood, lastError: this.#lastError, lastCheck: this.#lastCheck };
  }

  /**
   * Fetches the programme, else falls back to the last good copy (said loudly), then checks every
   * `everyMs`. Resolves with the programme in use (`onChange` is not called for it). Throws
   * {@link ProgrammeUnavailableError} when neither the URL nor a copy gives one.
   */
  async start(): Promise<LoadedSchedule> {
    const { url, dataDir } = this.#o;
    const held = await readCopy(dataDir, url);
    const copy = 'copy' in held ? held.copy : null;
    this.#meta = copy?.meta ?? null;
    let loaded: LoadedSchedule | null = null;
    try {
      const checked = await this.#check();
      // Unchanged means the URL confirmed the copy (304 or the same body): the copy is current.
      if (checked !== 'unchanged') loaded = checked;
      else if (copy !== null) loaded = this.#import(copy.text);
    } catch (err) {
      this.#failed(err);
    }
    if (loaded === null && copy !== null) loaded = this.#fromCopy(copy);
    if (loaded === null) {
      const missing = 'missing' in held ? held.missing : 'no last good copy';
      throw new ProgrammeUnavailableError(
        `no programme from ${url} (${this.#lastError?.reason ?? 'no answer'}) and ${missing}`,
      );
    }
    this.#log(loaded, 'programme loaded');
    this.#next();
    return loaded;
  }

  /**
   * Checks the URL once: true when it gave a changed programme (then `onChange` was called).
   * Never throws; a failure is logged and shown in {@link RemoteProgramme.state}.
   */
  async refresh(): Promise<boolean> {
    try {
      const checked = await this.#check();
      if (checked === 'unchanged') {
        this.#o.log.debug({ url: this.#o.url }, 'programme unchanged');
        return false;
      }
      this.#log(checked, 'programme changed');
      try {
        this.#o.onChange(checked.schedule);
      } catch (err) {
        this.#o.log.error({ err, url: this.#o.url }, 'programme change handler failed');
      }
      return true;
    } catch (err) {
      this.#failed(err);
      return false;
    }
  }

  /** Stops the checks, aborting one under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  #next(): void {
    if (this.#stopped || this.#o.everyMs <= 0) return;
    this.#timer = setTimeout(() => {
      this.#running = this.refresh().finally(() => this.#next());
    }, this.#o.everyMs);
  }

  /** One conditional GET: the new programme, or `unchanged`; throws when it fails or does not import. */
  async #check(): Promise<LoadedSchedule | 'unchanged'> {
    const { url, dataDir, timeoutMs, maxBytes } = this.#o;
    const meta = this.#meta;
    const fetchedAt = new Date().toISOString();
    this.#lastCheck = fetchedAt;
    const fetched = await fetchProgramme(url, {
      etag: meta?.etag,
      lastModified: meta?.lastModified,
      timeoutMs,
      maxBytes,
      signal: this.#abort.signal,
    });
    if (fetched.status === 'not-modified' && meta === null) {
      throw new ProgrammeFetchError(url, 'HTTP 304 Not Modified, but no copy is held');
    }
    if (fetched.status === 'not-modified') {
      this.#lastError = null;
      return 'unchanged';
    }
    const { text, etag, lastModified } = fetched;
    if (meta !== null && sha256(text) === meta.sha256) {
      this.#meta = { ...meta, fetchedAt, etag, lastModified };
      await saveCopyMeta(dataDir, this.#meta);
      this.#lastError = null;
      return 'unchanged';
    }
    const loaded = this.#import(text);
    this.#meta = await saveCopy(dataDir, text, { url, fetchedAt, etag, lastModified });
    this.#lastError = null;
    return loaded;
  }

  #import(text: string): LoadedSchedule {
    return loadScheduleText(text, this.#o.url, { fileName: this.#o.url, ...this.#o.importOptions });
  }

  #fromCopy(copy: ProgrammeCopy): LoadedSchedule | null {
    try {
      const loaded = this.#import(copy.text);
      this.#o.log.warn(
        { url: this.#o.url, fetchedAt: copy.meta.fetchedAt, reason: this.#lastError?.reason },
        'programme URL failed at start; running on the last good copy',
      );
      return loaded;
    } catch (err) {
      this.#meta = null;
      this.#o.log.error({ err, url: this.#o.url }, 'the last good copy does not import either');
      return null;
    }
  }

  #failed(err: unknown): void {
    const reason =
      err instanceof ProgrammeFetchError
        ? err.reason
        : err instanceof ScheduleImportError
          ? `does not import: ${err.message}`
          : err instanceof Error
            ? err.message
            : String(err);
    this.#lastError = { at: new Date().toISOString(), reason };
    if (this.#stopped) return;
    this.#o.log.warn(
      { url: this.#o.url, reason, lastGood: this.#meta?.fetchedAt ?? null },
      'programme URL failed',
    );
  }

  #log(loaded: LoadedSchedule, message: string): void {
    const { schedule, warnings, format } = loaded;
    for (const warning of warnings)
      this.#o.log.debug({ url: this.#o.url, warning }, 'programme repaired');
    this.#o.log.info(
      {
        url: this.#o.url,
        format,
        rooms: schedule.rooms.length,
        talks: schedule.talks.length,
        warnings: warnings.length,
        sha256: this.#meta?.sha256,
      },
      message,
    );
  }
}
