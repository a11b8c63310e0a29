import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { FairCheckQueue } from './checkQueue.js';
import { verifyPassword } from './password.js';
import { readUsersFile, type UserEntry, type UsersFile } from './usersFile.js';

/** How often, at most, the users file is checked for changes (ms). */
const RELOAD_CHECK_MS = 1000;

/**
 * The users of the broker: loads the users file, reloads it when it changes on disk (so
 * `likebox users add` takes effect without a restart), and verifies passwords.
 *
 * A successful (user, password) verification is remembered as an HMAC under a per-process random
 * key, so 1,000 boxes reconnecting after a Wi-Fi drop cost one scrypt each only the first time.
 * Every other check (unknown users too) runs one scrypt in the fair queue of checks.
 */
export class UserDirectory {
  private file: UsersFile = { version: 1, users: {} };
  private signature = '';
  /** Counts reloads: a verification sees whether the users changed while it checked. */
  private generation = 0;
  private lastCheck = 0;
  private checking: Promise<boolean> | null = null;
  private again = false;
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, { hash: string; digest: Buffer }>();

  private watcher: FSWatcher | null = null;

  constructor(
    private readonly path: string,
    private readonly log: Logger,
    private readonly checks: FairCheckQueue,
    /** Called after a reload with the names of the users added, removed or changed. */
    private readonly onReload: (changed: ReadonlySet<string>) => void = () => undefined,
  ) {}

  /**
   * Watches the users file's directory (the file itself is replaced by rename on every change),
   * so a removed user or a changed password takes effect at once, not only at the next login.
   */
  watch(): void {
    try {
      this.watcher = watch(dirname(this.path), (_event, file) => {
        if (file === null || file === basename(this.path)) {
          this.refresh(true).catch((err: unknown) =>
            this.log.error({ err }, 'users reload failed'),
          );
        }
      });
      this.watcher.on('error', (err) => this.log.warn({ err }, 'users file watch failed'));
    } catch (err) {
      this.log.warn({ err }, 'cannot watch the users file; changes apply at the next login');
    }
  }

  /** Stops watching. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Loads the file; throws when it is invalid. */
  async load(): Promise<void> {
    this.signature = await this.fileSignature();
    this.file = await readUsersFile(this.path);
    this.lastCheck = Date.now();
  }

  /** The users currently known. */
  users(): Readonly<Record<string, UserEntry>> {
    return this.file.users;
  }

  /** A user's entry, or undefined. */
  get(name: string): UserEntry | undefined {
    return Object.hasOwn(this.file.users, name) ? this.file.users[name] : undefined;
  }

  /**
   * Verifies a password; resolves the user's entry on success, null otherwise (unknown users after
   * the same scrypt as known ones). After a failure, a users file changed since the last check, or
   * reloaded during this one, is checked again: a user added a moment ago can log in at once. Throws `AuthBusyError` when the queue of
   * checks has no room for `options.address`.
   */
  async verify(
    name: string,
    password: Buffer,
    options: VerifyOptions = {},
  ): Promise<UserEntry | null> {
    await this.refresh(false);
    const generation = this.generation;
    const user = await this.check(name, password, options);
    if (user !== null) return user;
    // The file may also have been reloaded (by the watcher) during the check's scrypt.
    await this.refresh(true);
    return this.generation === generation ? null : this.check(name, password, options);
  }

  private async check(
    name: string,
    password: Buffer,
    { address = '', wanted = () => true }: VerifyOptions,
  ): Promise<UserEntry | null> {
    const user = this.get(name);
    const hash = user === undefined || user.hash === '' ? null : user.hash;
    const digest = createHmac('sha256', this.cacheKey)
      .update(name)
      .update('\0')
      .update(password)
      .digest();
    const cached = this.verified.get(name);
    if (hash !== null && cached?.hash === hash && timingSafeEqual(cached.digest, digest)) {
      return user ?? null;
    }
    const ok = await this.checks.run(address, () =>
      wanted() ? verifyPassword(password.toString('utf8'), hash) : Promise.resolve(false),
    );
    if (!ok || hash === null || user === undefined) return null;
    this.verified.set(name, { hash, digest });
    return user;
  }

  private async fileSignature(): Promise<string> {
    try {
      const info = await stat(this.path);
      return `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch {
      return 'missing';
    }
  }

  /** Reloads the file when it changed (checked at most once a second unless forced). */
  private refresh(force: boolean): Promise<boolean> {
    if (!force && Date.now() - this.lastCheck < RELOAD_CHECK_MS) return Promise.resolve(false);
    if (this.checking !== null) {
      // A change may land while a check reads the file: check once more after it.
      this.again ||= force;
      return this.checking;
    }
    this.checking = this.checkUntilStable().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkUntilStable(): Promise<boolean> {
    let changed = false;
    do {
      this.again = false;
      changed = (await this.reloadIfChanged()) || changed;
    } while (this.again);
    return changed;
  }

  /** Re-reads a changed file; a bad new file is logged and the previous users kept. */
  private async reloadIfChanged(): Promise<boolean> {
    this.lastCheck = Date.now();
    const signature = await this.fileSignature();
    if (signature === this.signature) return false;
    try {
      const before = this.file.users;
      this.file = await readUsersFile(this.path);
      this.signature = signature;
      this.generation++;
      this.log.info({ users: Object.keys(this.file.users).length }, 'users file reloaded');
      this.onReload(changedUsers(before, this.file.users));
      return true;
    } catch (err) {
      this.log.error({ err }, 'users file changed but is invalid; keeping the previous users');
      return false;
    }
  }
}

/** Options of {@link UserDirectory.verify}. */
export interface VerifyOptions {
  /** The client's address: its turn in the fair queue of checks. Default ''. */
  address?: string;
  /**
   * Asked when the check may start, before its scrypt: false skips it (the client left, or a lock
   * began while it waited) and the verification fails.
   */
  wanted?: () => boolean;
}

/** Names of the users added, removed, or whose hash, role or event changed. */
function changedUsers(
  before: Readonly<Record<string, UserEntry>>,
  after: Readonly<Record<string, UserEntry>>,
): Set<string> {
  const changed = new Set<string>();
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [a, b] = [before[name], after[name]];
    if (a?.hash !== b?.hash || a?.role !== b?.role || a?.event !== b?.event) changed.add(name);
  }
  return changed;
}
