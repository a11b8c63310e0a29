import type { RunningBroker } from '@likebox/broker';
import { type BrokerStats, brokerPoint, InfluxClient, type InfluxConfig } from '@likebox/influx';
import type { Logger } from 'pino';

/** How often `up` writes the `broker` measurement (the fleet dashboard's broker panel). */
export const BROKER_STATS_EVERY_MS = 10_000;

interface MetricJson {
  name: string;
  values: { value: number; labels: Record<string, string | number> }[];
}

function sumOf(metrics: MetricJson[], name: string, role?: string): number {
  const metric = metrics.find((m) => m.name === name);
  const values = metric?.values ?? [];
  const matching = role === undefined ? values : values.filter((v) => v.labels.role === role);
  return Math.round(matching.reduce((sum, v) => sum + v.value, 0));
}

/**
 * The broker's figures for the `broker` measurement: connected clients in all and per role, and
 * the cumulative message counters, read from the broker's own Prometheus registry.
 */
export async function brokerStats(broker: RunningBroker): Promise<BrokerStats> {
  const metrics = (await broker.metrics.getMetricsAsJSON()) as MetricJson[];
  const clients = (role?: string) => sumOf(metrics, 'likebox_broker_clients', role);
  return {
    clients: clients(),
    byRole: {
      device: clients('device'),
      ingest: clients('ingest'),
      organiser: clients('organiser'),
      public: clients('public'),
    },
    messagesIn: sumOf(metrics, 'likebox_broker_messages_in_total'),
    messagesOut: sumOf(metrics, 'likebox_broker_messages_out_total'),
  };
}

/**
 * Writes the `broker` measurement every {@link BROKER_STATS_EVERY_MS}: `up` hosts the broker, so
 * it is the process that reports it. A failed write is logged and skipped (the next one carries
 * the cumulative counters). Returns the function that stops it.
 */
export function startBrokerStats(
  broker: RunningBroker,
  event: string,
  influx: InfluxConfig,
  log: Logger,
  everyMs = BROKER_STATS_EVERY_MS,
): () => void {
  const client = new InfluxClient(influx);
  const timer = setInterval(() => {
    brokerStats(broker)
      .then((stats) => client.write([brokerPoint(event, stats, Date.now())]))
      .catch((err: unknown) => log.warn({ err }, 'broker stats not written'));
  }, everyMs);
  return () => clearInterval(timer);
}
