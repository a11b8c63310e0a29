import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['*/vitest.config.ts', 'e2e/vitest.faults.config.ts'],
    coverage: {
      provider: 'v8',
      include: ['*/src/**/*.ts'],
      thresholds: { lines: 70, functions: 70, branches: 60, statements: 70 },
    },
  },
});
