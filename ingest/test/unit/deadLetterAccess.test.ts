import { hashPassword } from '@likebox/broker';
import { basicAuth } from '@likebox/runtime/testing';
import { describe, expect, it } from 'vitest';
import { basicCredentials, verifyScrypt } from '../../src/deadLetterAccess.js';

describe('verifyScrypt', () => {
  it('accepts the password of a hash written by likebox users and refuses any other', async () => {
    // Prepare
    const hash = await hashPassword('organiser-password-1');

    // Act
    const good = await verifyScrypt('organiser-password-1', hash);
    const bad = await verifyScrypt('organiser-password-2', hash);
    const malformed = await verifyScrypt('organiser-password-1', 'plain-text');
    const broken = await verifyScrypt('organiser-password-1', hash.replace('$16384$', '$1000$'));

    // Assess
    expect([good, bad, malformed, broken]).toEqual([true, false, false, false]);
  });
});

describe('basicCredentials', () => {
  it('takes apart a Basic header, keeping colons in the password, and refuses anything else', () => {
    // Prepare
    // Act
    const parsed = [
      basicCredentials(basicAuth('organiser', 'pa:ss')),
      basicCredentials(basicAuth('', 'no-user')),
      basicCredentials('Bearer abc'),
      basicCredentials(undefined),
    ];

    // Assess
    expect(parsed).toEqual([
      { user: 'organiser', password: 'pa:ss' },
      undefined,
      undefined,
      undefined,
    ]);
  });
});
