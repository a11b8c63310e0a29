import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dashboards',
    include: ['test/**/*.test.ts'],
  },
});
