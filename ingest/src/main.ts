// First, before MQTT.js loads mqtt-packet: its disabled debug loggers become free.
import '@likebox/runtime/quiet-debug';
import { ingest } from './ingestCommand.js';

// `node ingest/dist/main.js [--flags]`: the same as `likebox ingest`.
await ingest(process.argv.slice(2));
