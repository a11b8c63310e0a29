import { Epoch } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { clientIdOf, EPOCH_LENGTH, newEpoch } from '../../src/epoch.js';

describe('newEpoch', () => {
  it('makes 12 base36 characters that the protocol accepts, never twice', () => {
    // Act
    const epochs = Array.from({ length: 1000 }, () => newEpoch());
    // Assess
    expect(new Set(epochs).size).toBe(1000);
    for (const epoch of epochs) {
      expect(epoch).toMatch(new RegExp(`^[0-9a-z]{${EPOCH_LENGTH}}$`));
      expect(Epoch.safeParse(epoch).success).toBe(true);
    }
  });
});

describe('clientIdOf', () => {
  it('appends the epoch to the device id, except for the legacy epoch', () => {
    // Act
    const ids = [clientIdOf('box-1', 'k3v9x0a1b2c4'), clientIdOf('box-1', '')];
    // Assess
    expect(ids).toEqual(['box-1-k3v9x0a1b2c4', 'box-1']);
  });
});
