import { connect, createServer, type Socket } from 'node:net';
import { onTestFinished } from 'vitest';

/**
 * A TCP relay between a box and a broker that a test can turn into a black hole: bytes stop
 * flowing both ways while every socket stays open (no RST, no FIN), as when a Wi-Fi access point
 * dies or a NAT forgets the connection. New connections are accepted and swallowed too.
 * `port` 0 (default) takes a free port.
 */
export async function startTcpProxy(target: { host: string; port: number }, port = 0) {
  const pairs = new Set<[Socket, Socket]>();
  let blackHole = false;
  const server = createServer({ noDelay: true }, (inbound) => {
    const outbound = connect({ ...target, noDelay: true });
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    inbound.on('data', (data) => blackHole || outbound.write(data));
    outbound.on('data', (data) => blackHole || inbound.write(data));
    for (const [a, b] of [pair, [outbound, inbound] as const]) {
      a.on('error', () => b.destroy());
      a.on('close', () => {
        b.destroy();
        pairs.delete(pair);
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  const close = async () => {
    for (const [a, b] of pairs) {
      a.destroy();
      b.destroy();
    }
    await new Promise((resolve) => server.close(resolve));
  };
  onTestFinished(close);
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    /** Connections currently relayed. */
    get connections() {
      return pairs.size;
    },
    /** Starts (true) or ends (false) the black hole. */
    setBlackHole(on: boolean) {
      blackHole = on;
    },
    /** Cuts every relayed connection at once (both sides see the socket close). */
    cut() {
      for (const [a, b] of pairs) {
        a.destroy();
        b.destroy();
      }
    },
    close,
  };
}
