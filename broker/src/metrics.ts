import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ROLES } from './roles.js';

/** The broker's Prometheus metrics, in a registry of its own (never the global default one). */
export class BrokerMetrics {
  /** The registry holding every metric below; serve it with `registry.metrics()`. */
  readonly registry = new Registry();
  // Hot-path counts: a plain increment per message, added to the counters when scraped (a
  // labelled prom-client inc() per message cost measurable throughput in bench/brokerBench.ts).
  private readonly pendingIn = new Map<string, number>();
  private pendingOut = 0;
  /** Connected clients by role. */
  readonly clients = new Gauge({
    name: 'likebox_broker_clients',
    help: 'Connected MQTT clients by role',
    labelNames: ['role'] as const,
    registers: [this.registry],
  });
  /** PUBLISH packets accepted from clients, by role of the sender. */
  readonly messagesIn = new Counter({
    name: 'likebox_broker_messages_in_total',
    help: 'PUBLISH packets accepted from clients, by role of the sender',
    labelNames: ['role'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [role, count] of this.pendingIn) this.messagesIn.inc({ role }, count);
      this.pendingIn.clear();
    },
  });
  /** Messages delivered to subscribers. */
  readonly messagesOut = new Counter({
    name: 'likebox_broker_messages_out_total',
    help: 'Messages delivered to subscribing clients',
    registers: [this.registry],
    collect: () => {
      this.messagesOut.inc(this.pendingOut);
      this.pendingOut = 0;
    },
  });
  /**
   * Refused connections, by reason: credentials, locked (login throttle), busy (queue of password
   * checks full), rate, max_clients, will, error.
   */
  readonly refusedConnections = new Counter({
    name: 'likebox_broker_refused_connections_total',
    help: 'Connections refused: bad credentials, login locked, checks busy, connection rate, client limit, forbidden will',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  /** Refused publishes and subscriptions. */
  readonly refusedAuthorizations = new Counter({
    name: 'likebox_broker_refused_authorizations_total',
    help: 'Publishes (client closed) and subscriptions (failure code) refused by the ACL',
    labelNames: ['action', 'role'] as const,
    registers: [this.registry],
  });
  /** Messages held back by the per-client rate limit. */
  readonly throttled = new Counter({
    name: 'likebox_broker_throttled_messages_total',
    help: 'PUBLISH packets delayed by the per-client message rate limit',
    registers: [this.registry],
  });
  /** Client errors (malformed packets, oversized packets, timeouts...). */
  readonly clientErrors = new Counter({
    name: 'likebox_broker_client_errors_total',
    help: 'Connections closed on a client error: malformed or oversized packet, timeout',
    registers: [this.registry],
  });

  /** Counts one PUBLISH accepted from a client of `role`. */
  countIn(role: string): void {
    this.pendingIn.set(role, (this.pendingIn.get(role) ?? 0) + 1);
  }

  /** Counts one message delivered to a subscriber. */
  countOut(): void {
    this.pendingOut++;
  }

  constructor(options: { processMetrics?: boolean } = {}) {
    for (const role of [...ROLES, 'unknown']) this.clients.set({ role }, 0);
    if (options.processMetrics === true) collectDefaultMetrics({ register: this.registry });
  }
}
