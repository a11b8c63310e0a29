import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'broker',
    include: ['test/**/*.test.ts'],
    // Real brokers, Redis and mosquitto processes on a shared, loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
