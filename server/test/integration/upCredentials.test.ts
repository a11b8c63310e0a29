import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, readUsersFile, verifyPassword } from '@likebox/broker';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensureUsers } from '../../src/credentials.js';
import { CREDENTIALS_FILE } from '../../src/upConfig.js';

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'likebox-creds-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('ensureUsers', () => {
  it('creates missing users with random passwords kept only as hashes and in a 0600 file', async () => {
    // Prepare
    const dir = await tempDir();
    const usersFile = join(dir, 'users.json');

    // Act
    const { passwords, created } = await ensureUsers(usersFile, dir, [
      { name: 'ingest', role: 'ingest' },
      { name: 'live-page', role: 'public' },
    ]);

    // Assess
    const users = (await readUsersFile(usersFile)).users;
    const ingest = passwords.get('ingest')!;
    expect(created).toEqual(['ingest', 'live-page']);
    expect(ingest).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(passwords.get('live-page')).not.toBe(ingest);
    expect(JSON.stringify(users)).not.toContain(ingest);
    expect(await verifyPassword(ingest, users.ingest!.hash)).toBe(true);
    expect(users['live-page']?.role).toBe('public');
    expect((await stat(join(dir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
  });

  it('keeps known users on the next start and shares a password with sameAs', async () => {
    // Prepare
    const dir = await tempDir();
    const usersFile = join(dir, 'users.json');
    const first = await ensureUsers(usersFile, dir, [{ name: 'ingest', role: 'ingest' }]);

    // Act
    const second = await ensureUsers(usersFile, dir, [
      { name: 'ingest', role: 'ingest' },
      { name: 'sim-box-1', role: 'device' },
      { name: 'sim-box-2', role: 'device', sameAs: 'sim-box-1' },
    ]);

    // Assess
    expect(second.created).toEqual(['sim-box-1', 'sim-box-2']);
    expect(second.passwords.get('ingest')).toBe(first.passwords.get('ingest'));
    expect(second.passwords.get('sim-box-2')).toBe(second.passwords.get('sim-box-1'));
  });

  it('replaces a user whose password it does not know (e.g. added by hand with another role)', async () => {
    // Prepare
    const dir = await tempDir();
    const usersFile = join(dir, 'users.json');
    await addUser(usersFile, 'ingest', 'organiser', 'someone-elses-password');

    // Act
    const { passwords, created } = await ensureUsers(usersFile, dir, [
      { name: 'ingest', role: 'ingest' },
    ]);

    // Assess
    const users = (await readUsersFile(usersFile)).users;
    const stored = JSON.parse(await readFile(join(dir, CREDENTIALS_FILE), 'utf8'));
    expect(created).toEqual(['ingest']);
    expect(users.ingest?.role).toBe('ingest');
    expect(stored.passwords.ingest).toBe(passwords.get('ingest'));
  });
});
