import { defineProject } from 'vitest/config';

/**
 * The fault suite (issue #19): every fault scenario against real processes, one table at the end.
 * Run alone with `npm run test:faults`; `npm test` runs it with every other project.
 */
export default defineProject({
  test: {
    name: 'faults',
    include: ['test/faults/**/*.test.ts'],
    globalSetup: ['test/faults/globalSetup.ts'],
    // The scenarios mostly wait (on processes, timeouts, reconnections): three files at once keep
    // the project near two minutes on two cores without starving the processes they start.
    maxWorkers: 3,
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
