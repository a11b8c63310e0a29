import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The ingest's Prometheus metrics, on a registry of its own (never prom-client's global default). */
export interface IngestMetrics {
  /** The registry to serve on `/metrics`. */
  registry: Registry;
  /** Votes stored in the journal for the first time. */
  accepted: Counter;
  /** Votes already in the journal (redeliveries, box retries): no-ops. */
  duplicates: Counter;
  /** Messages refused by validation, by topic kind and reason (`implausible-seq` among them). */
  invalid: Counter<'kind' | 'reason'>;
  /** Votes whose press time was re-timed, by rule (`offset`, `arrival`). */
  retimed: Counter<'reason'>;
  /** Votes whose room did not match the box's config or the schedule, by check. */
  roomChecks: Counter<'check'>;
  /** Points written to InfluxDB, by measurement kind (`vote`, `other`). */
  pointsWritten: Counter<'kind'>;
  /** Failed InfluxDB write requests. */
  writeErrors: Counter;
  /** Points InfluxDB refused for good (HTTP 400) and skipped. */
  pointsRejected: Counter;
  /** Journal votes not yet in InfluxDB. */
  pending: Gauge;
  /** Age of the oldest journal vote not yet in InfluxDB, seconds. */
  lag: Gauge;
  /** Missing seqs across boxes (votes not received while later ones were). */
  gapSeqs: Gauge;
  /** Boxes with at least one missing seq. */
  gapDevices: Gauge;
  /** 1 while connected to the broker. */
  brokerConnected: Gauge;
  /** 1 while InfluxDB answers. */
  influxReachable: Gauge;
  /** Bytes written to the broker connection and not yet sent (PUBACKs, acks, outputs). */
  mqttWriteBuffer: Gauge;
  /** Votes whose PUBACK to the broker waits for the journal (over MQTT; 0 in process). */
  pubacksHeld: Gauge;
  /** Failed journal commits, by SQLite error code (SQLITE_FULL, SQLITE_IOERR_WRITE, ...). */
  commitFailures: Counter<'code'>;
  /** 1 while the journal cannot store votes (they stay unconfirmed). */
  storageFailing: Gauge;
  /** Devices whose id two epochs (two boxes) use now. */
  sharedDevices: Gauge;
  /** Times a device id was seen becoming shared. */
  sharedDetected: Counter;
  /** 1 while another ingest claims this event's lease. */
  leaseConflict: Gauge;
  /** Messages per journal transaction. */
  batchSize: Histogram;
  /** Journal transaction duration, seconds. */
  commitSeconds: Histogram;
}

/**
 * Creates the metrics on a fresh registry; `prefix` defaults to `likebox_ingest_`. With
 * `processMetrics`, the Node process metrics (CPU, RSS, heap, GC, event-loop lag) are added too:
 * for a process of its own, not when embedded next to other services that already export them.
 */
export function createMetrics(prefix = 'likebox_ingest_', processMetrics = false): IngestMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name: prefix + name, help, labelNames, registers });
  const gauge = (name: string, help: string) => new Gauge({ name: prefix + name, help, registers });
  return {
    registry,
    accepted: counter('votes_accepted_total', 'Votes stored in the journal for the first time.'),
    duplicates: counter('votes_duplicate_total', 'Votes already in the journal (no-ops).'),
    invalid: counter('messages_invalid_total', 'Messages refused by validation.', [
      'kind',
      'reason',
    ]),
    retimed: counter('votes_retimed_total', 'Votes re-timed by clock sanity.', ['reason']),
    roomChecks: counter('votes_room_check_total', 'Votes whose room check was not ok.', ['check']),
    pointsWritten: counter('influx_points_written_total', 'Points written to InfluxDB.', ['kind']),
    writeErrors: counter('influx_write_errors_total', 'Failed InfluxDB write requests.'),
    pointsRejected: counter('influx_points_rejected_total', 'Points InfluxDB refused (400).'),
    pending: gauge('journal_pending_votes', 'Journal votes not yet in InfluxDB.'),
    lag: gauge('journal_lag_seconds', 'Age of the oldest vote not yet in InfluxDB.'),
    gapSeqs: gauge('gap_missing_seqs', 'Missing seqs across all boxes.'),
    gapDevices: gauge('gap_devices', 'Boxes with at least one missing seq.'),
    brokerConnected: gauge('broker_connected', '1 while connected to the broker.'),
    influxReachable: gauge('influx_reachable', '1 while InfluxDB answers.'),
    mqttWriteBuffer: gauge('mqtt_write_buffer_bytes', 'Bytes queued on the broker connection.'),
    pubacksHeld: gauge('pubacks_held', 'Votes whose PUBACK waits for the journal commit.'),
    commitFailures: counter('journal_commit_failures_total', 'Failed journal commits.', ['code']),
    storageFailing: gauge('journal_storage_failing', '1 while the journal cannot store votes.'),
    sharedDevices: gauge('shared_devices', 'Device ids two boxes (two epochs) use now.'),
    sharedDetected: counter('shared_detected_total', 'Times a device id became shared.'),
    leaseConflict: gauge('lease_conflict', '1 while another ingest claims this event.'),
    batchSize: new Histogram({
      name: `${prefix}journal_batch_messages`,
      help: 'Messages per journal transaction.',
      buckets: [1, 10, 100, 500, 1000, 5000],
      registers,
    }),
    commitSeconds: new Histogram({
      name: `${prefix}journal_commit_seconds`,
      help: 'Journal transaction duration.',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers,
    }),
  };
}
