import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/bundleSetup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
