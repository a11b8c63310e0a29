import { topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { brokerWith, connectAs, nextMessage, selfSigned } from '../helpers.js';

describe('broker over TLS', () => {
  it('serves MQTT over TLS and WebSocket over TLS when a certificate and key are given', async () => {
    // Prepare
    const tls = await selfSigned();
    const broker = await brokerWith(
      { organiser: 'organiser' },
      { tls, tlsPort: 0, wsPort: 0, wsTls: true },
    );

    // Act
    const overTls = await connectAs(broker.mqttsUrl!, 'organiser', {
      ca: tls.cert,
      clientId: 'tls',
    });
    const overWss = await connectAs(broker.wsUrl!, 'organiser', { ca: tls.cert, clientId: 'wss' });
    await overWss.subscribeAsync(topics.schedule('demo'), { qos: 1 });
    const received = nextMessage(overWss);
    await overTls.publishAsync(topics.schedule('demo'), '{}', { qos: 1 });

    // Assess
    expect((await received).topic).toBe(topics.schedule('demo'));
    expect(broker.wsUrl).toMatch(/^wss:/);
  });
});
