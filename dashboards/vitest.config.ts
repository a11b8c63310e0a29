import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dashboards',
    include: ['test/**/*.test.ts'],
    // Real influxd and a JSON-schema generation from TypeScript types: slow on a shared 2-core box.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
