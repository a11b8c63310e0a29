import type { Client, Subscription } from 'aedes';
import { maySubscribe } from '../acl.js';
import type { BrokerContext } from '../context.js';

type Callback = (error: Error | null, subscription?: Subscription | null) => void;

/**
 * The Aedes `authorizeSubscribe` hook: a filter is granted only when every topic of the tree it
 * can match is readable by the client's role, and within the per-client subscription limit. A
 * refusal gives the failure return code (0x80) in the SUBACK; the client stays connected.
 */
export function createAuthorizeSubscribe(ctx: BrokerContext) {
  return (client: Client, subscription: Subscription, callback: Callback) => {
    const identity = ctx.clients.get(client)?.identity;
    const role = identity?.role ?? 'unknown';
    const held = (client as unknown as { subscriptions: Record<string, unknown> }).subscriptions;
    const full =
      !Object.hasOwn(held, subscription.topic) &&
      Object.keys(held).length >= ctx.limits.maxSubscriptions;
    if (identity === undefined || full || !maySubscribe(identity, subscription.topic)) {
      ctx.metrics.refusedAuthorizations.inc({ action: 'subscribe', role });
      ctx.log.warn(
        { clientId: client.id, role, topic: subscription.topic, full },
        'subscribe refused',
      );
      callback(null, null);
      return;
    }
    callback(null, subscription);
  };
}
