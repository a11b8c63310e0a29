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

  it('flags weak passwords and clears the flag when the password changes', async () => {
    // Prepare
    const file = join(await tempDir(), 'users.json');
    const weak = ['password', 'box-1', 'a', '123456', 'qwerty', 'Password1'];
    await Promise.all(weak.map((pw, i) => addUser(file, `user-${i}`, 'device', pw)));
    const before = await listUsers(file);

    // Act
    await setPassword(file, 'user-0', 'a-real-one-42');

    // Assess
    expect(before.map((u) => u.weak)).toEqual(weak.map(() => true));
    expect((await listUsers(file)).map((u) => u.weak)).toEqual([
      false,
      true,
      true,
      true,
      true,
      true,
    ]);
    expect((await readUsersFile(file)).users['user-0']?.weak).toBe(false);
  });

  it('lists as weak a user whose password strength was never checked', async () => {
    // Prepare: an entry as an older version or a hand-edited file wrote it, without `weak`
    const file = join(await tempDir(), 'users.json');
    await addUser(file, 'box-1', 'device', 'a-real-one-42');
    const { users } = await readUsersFile(file);
    const { weak: _, ...unchecked } = users['box-1']!;
    await writeFile(file, JSON.stringify({ version: 1, users: { 'box-1': unchecked } }));

    // Act
    const listed = await listUsers(file);

    // Assess
    expect(listed.map((u) => u.weak)).toEqual([true]);
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
