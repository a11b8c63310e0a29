import { parseVariables } from '@likebox/runtime';
import { describe, expect, it } from 'vitest';
import { UpEnv, upConfigOf } from '../../src/upConfig.js';

describe('likebox up configuration', () => {
  it("passes every rehearsal variable but the replay on to the simulated boxes' process", () => {
    // Prepare
    const env = {
      ...{ LIKEBOX_DATA_DIR: '/tmp/likebox-up-config', LIKEBOX_INFLUXD: 'off' },
      ...{ LIKEBOX_SIMULATE: '6', LIKEBOX_REPLAY_NOW: 'true', LIKEBOX_SCENARIO: 'troll' },
      ...{ LIKEBOX_SIM_SEED: '7', LIKEBOX_SIM_MINUTE_MS: '1000' },
      ...{ LIKEBOX_BURST_S: '4', LIKEBOX_ATTENDEES: '2' },
    };

    // Act
    const config = upConfigOf(parseVariables(UpEnv, env));

    // Assess: `up` replays the programme itself; the boxes get the rest, their crowd size too.
    expect(config.replayNow).toBe(true);
    expect(config.simEnv).toEqual({
      ...{ LIKEBOX_SCENARIO: 'troll', LIKEBOX_SIM_SEED: '7', LIKEBOX_SIM_MINUTE_MS: '1000' },
      ...{ LIKEBOX_BURST_S: '4', LIKEBOX_ATTENDEES: '2' },
    });
  });
});
