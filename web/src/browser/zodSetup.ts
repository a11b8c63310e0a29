import { z } from 'zod';

// Imported first by main.ts, before any schema exists. zod compiles validators with
// `new Function` when it may; the page's Content-Security-Policy forbids eval, and even zod's probe
// for it is reported as a violation. Jitless mode never tries (https://zod.dev/packages/core).
z.config({ jitless: true });
