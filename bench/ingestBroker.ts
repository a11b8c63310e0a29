/**
 * The LikeBox broker alone in its own process for bench/ingest.ts: authentication and ACL on, the
 * per-client rate limit out of the way (a protection, not what is measured).
 *
 *   npx tsx bench/ingestBroker.ts USERS_FILE    # prints {"port": N} once listening
 */
import { quietPacketDebug } from '@likebox/runtime/quiet-debug';

// As in production (broker/src/main.ts): mqtt-packet's disabled debug loggers made free first.
quietPacketDebug();
const { startBroker } = await import('@likebox/broker');

const usersFile = process.argv[2];
if (usersFile === undefined) throw new Error('usage: ingestBroker.ts USERS_FILE');
const broker = await startBroker({
  usersFile,
  mqttPort: 0,
  event: 'demo',
  limits: { messagesPerSecond: 0 },
});
process.stdout.write(`${JSON.stringify({ port: broker.mqttPort })}\n`);
process.once('SIGTERM', () => {
  broker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
