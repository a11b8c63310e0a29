import { describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../src/browser/organiserAccess.js';

describe('basicAuthorization', () => {
  it('encodes user and password as UTF-8 when they hold colons and accents', () => {
    // Prepare
    const credentials = { username: 'rené', password: 'pa:ss:wörd' };

    // Act
    const header = basicAuthorization(credentials);

    // Assess
    expect(header).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
    const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    expect(decoded).toBe('rené:pa:ss:wörd');
  });
});
