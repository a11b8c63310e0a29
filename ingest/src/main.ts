// `node ingest/dist/main.js [flags]`: the same as `likebox ingest`.
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';

// First, before MQTT.js loads mqtt-packet: its disabled debug loggers become free.
quietPacketDebug();
const { ingestCommand } = await import('./ingestCommand.js');
process.exitCode = await ingestCommand.main(process.argv.slice(2));
