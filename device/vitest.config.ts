import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'device',
    include: ['test/**/*.test.ts'],
    // Real brokers, SQLite fsyncs and box processes on a machine shared with other builds:
    // generous limits, never timing assertions.
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
