import { describe, expect, it } from 'vitest';
import { UnsafeStartError } from '../../src/errors.js';
import { hashPassword } from '../../src/password.js';
import { assertSafeToListen } from '../../src/safety.js';
import type { UserEntry } from '../../src/usersFile.js';

describe('assertSafeToListen', () => {
  it('names every user whose password is empty, weak or never checked beyond loopback', async () => {
    // Prepare
    const hash = await hashPassword('whatever-it-was');
    const users: Record<string, UserEntry> = {
      empty: { role: 'device', hash: '' },
      weak: { role: 'device', hash, weak: true },
      old: { role: 'organiser', hash },
      strong: { role: 'ingest', hash, weak: false },
    };

    // Act
    const start = () => assertSafeToListen('0.0.0.0', users);

    // Assess
    expect(start).toThrow(UnsafeStartError);
    expect(start).toThrow(/empty \(no password\), weak \(weak\), old \(never checked\)\. /);
    expect(start).not.toThrow(/strong/);
  });

  it('lets loopback listen whatever the passwords', () => {
    // Prepare
    const users: Record<string, UserEntry> = { empty: { role: 'device', hash: '' } };

    // Act
    const starts = ['127.0.0.1', '::1', 'localhost'].map((host) => () => {
      assertSafeToListen(host, users);
    });

    // Assess
    for (const start of starts) expect(start).not.toThrow();
  });
});
