import { defineCommand, limitHeapGrowth } from '@likebox/runtime';
import { ConfigSchema, configOf } from './config.js';

/**
 * `likebox ingest`: starts the ingest and runs until SIGINT/SIGTERM, then stops it cleanly (the
 * journal keeps every vote it acknowledged).
 */
export const ingestCommand = defineCommand({
  name: 'ingest',
  summary: 'MQTT votes into the journal and InfluxDB; acks, tallies, now, schedule',
  description:
    'Subscribes to the votes of the event with a persistent session, journals each vote durably ' +
    'before its PUBACK and retained ack, writes them to InfluxDB (backfilling whatever InfluxDB ' +
    'missed), and publishes tallies, "now" and the schedule. /healthz, /metrics and ' +
    '/dead-letters on the HTTP port.',
  env: ConfigSchema,
  run: async (ctx) => {
    limitHeapGrowth();
    // Listen first: a Ctrl-C during the start stops what has started once it is up.
    const signalled = ctx.untilSignal();
    // Loaded here: defining the command (for `--help`) must not load MQTT.js or SQLite.
    const { startIngest } = await import('./ingest.js');
    const running = await startIngest(configOf(ctx.env), { logger: ctx.log, processMetrics: true });
    ctx.parts.push('ingest', () => running.stop());
    await signalled;
    return 0;
  },
});
