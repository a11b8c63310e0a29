import { ingest } from './ingestCommand.js';

// `node ingest/dist/main.js [--flags]`: the same as `likebox ingest`.
await ingest(process.argv.slice(2));
