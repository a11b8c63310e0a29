// aedes-persistence's own conformance suite (abstract.js, node:test) run against our persistence,
// as its test/test-directAsync.js runs it against the base class. Spawned by
// test/integration/memoryPersistence.test.ts with `node --test`; imports the built dist.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { LikeboxMemoryPersistence } from '../dist/memoryPersistence.js';

const require = createRequire(import.meta.url);
const abstractPersistence = require('aedes-persistence/abstract.js');

abstractPersistence({
  test,
  persistence: () => new LikeboxMemoryPersistence(),
  testAsync: true,
});
