import type { Aedes, Client } from 'aedes';
import type { BrokerContext } from './context.js';

function roleOf(ctx: BrokerContext, client: Client): string {
  return ctx.clients.get(client)?.identity.role ?? 'unknown';
}

/** Maps the Aedes events to logs and metrics (HOUSE_STYLE §6: lifecycle at info, traffic at debug). */
export function wireEvents(aedes: Aedes, ctx: BrokerContext): void {
  const { log, metrics } = ctx;
  aedes.on('clientReady', (client) => {
    const state = ctx.clients.get(client);
    if (state !== undefined && !state.counted) {
      state.counted = true;
      metrics.clients.inc({ role: state.identity.role });
    }
    log.debug({ clientId: client.id, role: roleOf(ctx, client) }, 'client connected');
  });
  aedes.on('clientDisconnect', (client) => {
    const state = ctx.clients.get(client);
    if (state?.counted === true) {
      state.counted = false;
      metrics.clients.dec({ role: state.identity.role });
    }
    log.debug({ clientId: client.id }, 'client disconnected');
  });
  aedes.on('clientError', (client, err) => {
    metrics.clientErrors.inc();
    log.warn({ clientId: client.id, role: roleOf(ctx, client), err: err.message }, 'client error');
  });
  aedes.on('connectionError', (client, err) => {
    metrics.clientErrors.inc();
    log.warn({ clientId: client.id, err: err.message }, 'connection error');
  });
  aedes.on('keepaliveTimeout', (client) => {
    log.info({ clientId: client.id }, 'client keepalive timeout');
  });
  aedes.on('subscribe', (subscriptions, client) => {
    log.debug({ clientId: client.id, topics: subscriptions.map((s) => s.topic) }, 'subscribed');
  });
}
