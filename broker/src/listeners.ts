import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server,
  type Socket,
} from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { createWebSocketStream, WebSocketServer } from 'ws';

/**
 * Longest time (ms) a connection may take to finish its TLS handshake, or a WebSocket connection
 * to upgrade, before it is closed: without it, Node keeps an idle TLS handshake for 120 s and a
 * silent HTTP connection for up to 5 minutes, and 500 sockets that never speak stay open.
 */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Certificate and key (PEM) of the TLS listeners. */
export interface TlsOptions {
  /** Certificate chain, PEM. */
  cert: string | Buffer;
  /** Private key, PEM. */
  key: string | Buffer;
}

/** Hands an accepted connection to the broker (after the per-address rate limit). */
export type Accept = (stream: Duplex, socket: Socket, req?: IncomingMessage) => void;

/**
 * Closes a socket whose TLS handshake failed or timed out: Node 20 emits `tlsClientError` for an
 * expired `handshakeTimeout` and leaves the socket open (measured: a silent socket stayed open
 * past 3 s with a 300 ms timeout, closed at 320 ms with this listener).
 */
function closeFailedHandshakes(server: Server): void {
  server.on('tlsClientError', (_err: Error, socket: Duplex) => socket.destroy());
}

/** The listeners of one broker, by kind. */
export interface BrokerListeners {
  /** MQTT over TCP (absent when its port is off). */
  mqtt?: Listener;
  /** MQTT over TLS. */
  tls?: Listener;
  /** MQTT over WebSocket (or secure WebSocket). */
  ws?: Listener;
}

/** A listening server and its port. */
export interface Listener {
  /** The server. */
  server: Server;
  /** The port it listens on. */
  port: number;
  /** Stops listening and ends the server's connections. */
  close(): Promise<void>;
}

async function listen(server: Server, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

function closer(server: Server, extra?: () => void) {
  return () =>
    new Promise<void>((resolve) => {
      extra?.();
      server.close(() => resolve());
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
}

/**
 * MQTT over TCP, or over TLS when `tls` is given (a handshake not done within
 * `handshakeTimeoutMs` closes the socket); Nagle off on every socket.
 */
export async function listenMqtt(
  accept: Accept,
  host: string,
  port: number,
  tls?: TlsOptions,
  handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS,
): Promise<Listener> {
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    // Nagle holds small segments back: QoS 0 p99 measured at 31-35 ms at 2,000 msg/s with it,
    // 1.4 ms with no-delay on both the broker's and the client's sockets.
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    accept(socket, socket);
  };
  const server: Server =
    tls === undefined
      ? createNetServer({ noDelay: true }, onSocket)
      : createTlsServer(
          { cert: tls.cert, key: tls.key, handshakeTimeout: handshakeTimeoutMs },
          onSocket,
        );
  if (tls !== undefined) closeFailedHandshakes(server);
  const bound = await listen(server, host, port);
  return {
    server,
    port: bound,
    close: closer(server, () => {
      for (const socket of sockets) socket.destroy();
    }),
  };
}

/** Options of {@link listenWebSocket}. */
export interface WebSocketOptions {
  /** Largest WebSocket message (bytes). */
  maxPayload: number;
  /** Serve over HTTPS (wss://) with this certificate and key. */
  tls?: TlsOptions;
  /** Port of the live page, named in the answer to a plain HTTP request. */
  livePagePort?: number;
  /**
   * Ms a connection has to upgrade (and, over HTTPS, as much again for its TLS handshake) before
   * it is closed. Default {@link HANDSHAKE_TIMEOUT_MS}.
   */
  handshakeTimeoutMs?: number;
}

/** The live page's address as seen from `req`: its Host header with `port`, else the port alone. */
function livePageAt(req: IncomingMessage, port: number): string {
  try {
    const url = new URL(`http://${req.headers.host ?? ''}/`);
    url.port = String(port);
    return url.href;
  } catch {
    return `port ${port} of this server`;
  }
}

/**
 * Answers a plain HTTP request (no WebSocket upgrade) with 426 Upgrade Required [RFC 9110 15.5.22]
 * and a line pointing to the live page, then closes: someone who opened this port in a browser
 * learns where to go, and the socket does not stay open. Plain text: the Host header it reflects
 * is never markup.
 */
function upgradeRequired(livePagePort: number | undefined) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const text =
      'This port carries MQTT over WebSocket (subprotocol mqtt) for LikeBox clients.\n' +
      (livePagePort === undefined
        ? 'The live page is served by the LikeBox web server, on its own port.\n'
        : `The live page is at ${livePageAt(req, livePagePort)}\n`);
    res.writeHead(426, {
      Upgrade: 'websocket',
      Connection: 'close',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  };
}

/**
 * Closes each connection that has not upgraded to WebSocket within `timeoutMs` of its accept (a
 * deadline, not an idle timer: a client trickling header bytes does not extend it). Over HTTPS
 * the clock starts after the TLS handshake (itself bounded by `handshakeTimeout`), on the TLS
 * socket that the upgrade request then arrives on.
 */
function upgradeDeadline(server: Server, secure: boolean, timeoutMs: number) {
  const deadlines = new Map<Socket, NodeJS.Timeout>();
  server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    timer.unref();
    deadlines.set(socket, timer);
    socket.once('close', () => {
      clearTimeout(timer);
      deadlines.delete(socket);
    });
  });
  return {
    /** The socket upgraded: it now lives as long as its MQTT session. */
    upgraded(socket: Socket) {
      clearTimeout(deadlines.get(socket));
      deadlines.delete(socket);
    },
    /** Closes the sockets still waiting. */
    destroyAll() {
      for (const socket of deadlines.keys()) socket.destroy();
    },
  };
}

/** MQTT over WebSocket (any path, subprotocol `mqtt`), over HTTPS when `tls` is given. */
export async function listenWebSocket(
  accept: Accept,
  host: string,
  port: number,
  options: WebSocketOptions,
): Promise<Listener> {
  const { tls, handshakeTimeoutMs = HANDSHAKE_TIMEOUT_MS } = options;
  const server =
    tls === undefined
      ? createHttpServer()
      : createHttpsServer({ ...tls, handshakeTimeout: handshakeTimeoutMs });
  if (tls !== undefined) closeFailedHandshakes(server);
  server.on('request', upgradeRequired(options.livePagePort));
  const deadline = upgradeDeadline(server, tls !== undefined, handshakeTimeoutMs);
  const wss = new WebSocketServer({ server, maxPayload: options.maxPayload });
  wss.on('connection', (ws, req) => {
    deadline.upgraded(req.socket);
    req.socket.setNoDelay(true);
    const stream = createWebSocketStream(ws);
    stream.on('error', () => ws.terminate());
    accept(stream, req.socket, req);
  });
  const bound = await listen(server, host, port);
  return {
    server,
    port: bound,
    close: closer(server, () => {
      deadline.destroyAll();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    }),
  };
}
