import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WeakPasswordError } from '../../src/errors.js';
import { assertStrongPassword, passwordWeaknesses } from '../../src/passwordStrength.js';

describe('password strength', () => {
  it.each([
    'a',
    '123456',
    'qwerty',
    'Password1',
    'Password123!',
    'P@ssw0rd2024!',
    'qwertyuiop123',
    'aaaaaaaaaaaaaaaa',
    'box-1-box-1-box-1',
    'likebox-likebox',
  ])('refuses %s', async (password) => {
    // Act
    const reasons = await passwordWeaknesses('box-1', password);

    // Assess
    expect(reasons.length).toBeGreaterThan(0);
  });

  it.each(['test-pass-3141', 'organiser-password', 'correct horse battery staple'])(
    'accepts %s',
    async (password) => {
      // Act
      const reasons = await passwordWeaknesses('box-1', password);

      // Assess
      expect(reasons).toEqual([]);
    },
  );

  it('accepts the random passwords `likebox up` generates', async () => {
    // Prepare: as server/src/credentials.ts randomPassword()
    const passwords = Array.from({ length: 20 }, () => randomBytes(24).toString('base64url'));

    // Act
    const reasons = await Promise.all(passwords.map((p) => passwordWeaknesses('ingest', p)));

    // Assess
    expect(reasons.flat()).toEqual([]);
  });

  it('lists every reason a password is refused', async () => {
    // Act
    const check = assertStrongPassword('box-1', 'qwerty');

    // Assess
    await expect(check).rejects.toThrow(WeakPasswordError);
    await expect(check).rejects.toThrow(/fewer than 12[\s\S]*strength 0\/4.*ten most used/);
  });

  it('refuses the user name as password whatever its length', async () => {
    // Act
    const reasons = await passwordWeaknesses('registration-desk', 'registration-desk');

    // Assess
    expect(reasons.join('\n')).toMatch(/user name/);
  });
});
