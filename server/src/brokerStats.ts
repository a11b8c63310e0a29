import type { RunningBroker } from '@likebox/broker';
import type { InfluxConfig } from '@likebox/influx';
import { influxClientFor } from '@likebox/ingest';
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
 * The `broker` point (dashboards/README.md, "Measurements"): connected clients in all and per
 * role, and the cumulative message counters, read from the broker's own Prometheus registry.
 */
export async function brokerStatsLine(broker: RunningBroker, event: string, at: number) {
  const metrics = (await broker.metrics.getMetricsAsJSON()) as MetricJson[];
  const clients = (role?: string) => sumOf(metrics, 'likebox_broker_clients', role);
  const fields = [
    `clients=${clients()}i`,
    ...['device', 'ingest', 'organiser', 'public'].map(
      (role) => `clients_${role}=${clients(role)}i`,
    ),
    `messages_in=${sumOf(metrics, 'likebox_broker_messages_in_total')}i`,
    `messages_out=${sumOf(metrics, 'likebox_broker_messages_out_total')}i`,
  ];
  // The event is a slug: nothing to escape in a tag value.
  return `broker,event=${event} ${fields.join(',')} ${at}`;
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
  const client = influxClientFor(influx);
  const timer = setInterval(() => {
    brokerStatsLine(broker, event, Date.now())
      .then((line) => client.write(line))
      .catch((err: unknown) => log.warn({ err }, 'broker stats not written'));
  }, everyMs);
  return () => clearInterval(timer);
}
