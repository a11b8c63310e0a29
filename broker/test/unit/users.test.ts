import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addUser,
  listUsers,
  readUsersFile,
  removeUser,
  setPassword,
  UsersFileError,
  verifyPassword,
} from '../../src/index.js';
import { tempDir } from '../helpers.js';

describe('users file', () => {
  it('stores a scrypt hash with mode 0600 when a user is added', async () => {
    // Prepare
    const file = join(await tempDir(), 'sub', 'users.json');

    // Act
    await addUser(file, 'box-1', 'device', 'a-long-secret');

    // Assess
    const text = await readFile(file, 'utf8');
    expect(text).not.toContain('a-long-secret');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const user = (await readUsersFile(file)).users['box-1']!;
    expect(await verifyPassword('a-long-secret', user.hash)).toBe(true);
    expect(await verifyPassword('a-long-secreT', user.hash)).toBe(false);
  });

  it('keeps every user when many are added at once', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');

    // Act
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => addUser(file, `box-${i}`, 'device', `pw-${i}-xyz`)),
    );

    // Assess
    expect(await listUsers(file)).toHaveLength(12);
  });

  it('refuses an empty password, a non-slug name and a non-slug event', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');

    // Act
    const attempts = await Promise.allSettled([
      addUser(file, 'box-1', 'device', ''),
      addUser(file, 'Box 1', 'device', 'pw-pw-pw'),
      addUser(file, 'box-1', 'device', 'pw-pw-pw', { event: 'Big Event' }),
    ]);

    // Assess
    for (const attempt of attempts) {
      expect(attempt.status === 'rejected' && attempt.reason).toBeInstanceOf(UsersFileError);
    }
  });

  it('flags default passwords and clears the flag when the password changes', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');
    await addUser(file, 'ingest', 'ingest', 'password');
    await addUser(file, 'box-1', 'device', 'box-1');
    const before = await listUsers(file);

    // Act
    await setPassword(file, 'ingest', 'a-real-one-42');

    // Assess
    expect(before.map((u) => u.weak)).toEqual([true, true]);
    expect((await listUsers(file)).map((u) => u.weak)).toEqual([true, false]);
  });

  it('removes a user and says whether it existed', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');
    await addUser(file, 'box-1', 'device', 'pw-pw-pw');

    // Act
    const results = [await removeUser(file, 'box-1'), await removeUser(file, 'box-1')];

    // Assess
    expect(results).toEqual([true, false]);
    expect(await listUsers(file)).toEqual([]);
  });

  it('lists every problem when the file is invalid', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');
    const users = { 'Bad Name': {}, ok: { role: 'admin', hash: 'plain' } };
    await writeFile(file, JSON.stringify({ version: 1, users }));

    // Act
    const read = readUsersFile(file);

    // Assess
    await expect(read).rejects.toThrow(/Bad Name[\s\S]*users\.ok\.role[\s\S]*users\.ok\.hash/);
  });
});
