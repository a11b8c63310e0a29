import { InfluxClient } from '@likebox/influx';
import type { Logger } from 'pino';
import { AckTracker } from './ackTracker.js';
import type { Config } from './config.js';
import { DashboardFeeds } from './dashboardFeeds.js';
import { InfluxWriter } from './influxWriter.js';
import { restoreAcks } from './ingestParts.js';
import { InvalidMessages } from './invalidMessages.js';
import { Journal } from './journal.js';
import { JournalStorage } from './journalStorage.js';
import type { IngestMetrics } from './metrics.js';
import { SharedIds } from './sharedIds.js';

/** The InfluxDB writer and the `talk` feed, sharing one client; none without InfluxDB. */
export function influxParts(config: Config, journal: Journal, log: Logger, metrics: IngestMetrics) {
  if (config.influx === undefined) {
    log.warn(
      'no LIKEBOX_INFLUX_URL: votes are kept in the journal only, and written once it is set',
    );
    return { writer: undefined, feeds: undefined };
  }
  const client = new InfluxClient(config.influx);
  const feeds = new DashboardFeeds({
    client,
    event: config.event,
    log: log.child({ module: 'dashboardFeeds' }),
  });
  const writer = new InfluxWriter({
    config: config.influx,
    client,
    journal,
    deletions: journal.moves,
    log: log.child({ module: 'influxWriter' }),
    metrics,
    onWritten: () => feeds.retry(),
  });
  return { writer, feeds };
}

/** Opens the journal and the parts around it: ack tracking, InfluxDB writer, storage state. */
export function openCore(config: Config, log: Logger, metrics: IngestMetrics, given?: Journal) {
  const journal = given ?? new Journal(config.journalFile, config.journalSync);
  try {
    journal.pruneDeadLetters();
  } catch (err) {
    // A full disk must not stop the start: votes then wait unconfirmed until it has space.
    log.warn({ err }, 'dead letters not pruned');
  }
  const tracker = new AckTracker();
  restoreAcks(journal, tracker, config.event);
  const { writer, feeds } = influxParts(config, journal, log, metrics);
  const invalid = new InvalidMessages(journal, metrics, log.child({ module: 'invalid' }));
  const storage = new JournalStorage(metrics, log.child({ module: 'journal' }));
  const shared = new SharedIds({
    ...{ event: config.event, tracker, metrics, log: log.child({ module: 'identity' }) },
    write: (point) => writer?.enqueue(point),
  });
  return { journal, tracker, writer, feeds, invalid, storage, shared };
}
