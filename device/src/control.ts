import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Vote } from '@likebox/protocol';
import { check, type Health, healthOf, serveHealth } from '@likebox/runtime';
import type { Logger } from 'pino';
import type { Box } from './box.js';
import type { VirtualIo } from './virtualIo.js';
import type { ButtonName, IgnoreReason } from './voteGate.js';

/** The outcome of a press on a virtual button. */
export type PressOutcome = { counted: Vote } | { ignored: IgnoreReason } | { pending: true };

/**
 * A finger on the virtual box: drives the button pins of a {@link VirtualIo} and waits for the
 * box's decision. The signal goes through Johnny-Five's Button and the VoteGate like a real one.
 */
export class VirtualButtons {
  readonly #io: VirtualIo;
  readonly #box: Box;
  readonly #pins: Record<ButtonName, number>;
  readonly #pullup: boolean;
  readonly #decisionMs: number;

  constructor(
    io: VirtualIo,
    box: Box,
    pins: Record<ButtonName, number>,
    pullup: boolean,
    decisionMs: number,
  ) {
    this.#io = io;
    this.#box = box;
    this.#pins = pins;
    this.#pullup = pullup;
    this.#decisionMs = decisionMs;
  }

  /** Closes the contact and waits until the press counted, was ignored, or `decisionMs` passed. */
  async press(button: ButtonName): Promise<PressOutcome> {
    const decided = this.#decision(button);
    this.#io.setInput(this.#pins[button], this.#pullup ? 0 : 1);
    return await decided;
  }

  /** Opens the contact. */
  release(button: ButtonName): void {
    this.#io.setInput(this.#pins[button], this.#pullup ? 1 : 0);
  }

  /** Press, wait for the decision, release. */
  async click(button: ButtonName): Promise<PressOutcome> {
    try {
      return await this.press(button);
    } finally {
      this.release(button);
    }
  }

  /** Whether the LED pin is high. */
  led(pin: number): boolean {
    return this.#io.read(pin) === 1;
  }

  #decision(button: ButtonName): Promise<PressOutcome> {
    const value = button === 'like' ? 1 : -1;
    return new Promise((resolve) => {
      const done = (outcome: PressOutcome) => {
        clearTimeout(timer);
        this.#box.off('vote', onVote);
        this.#box.off('ignored', onIgnored);
        resolve(outcome);
      };
      const onVote = (vote: Vote) => vote.value === value && done({ counted: vote });
      const onIgnored = (e: { button: ButtonName; reason: IgnoreReason }) =>
        e.button === button && done({ ignored: e.reason });
      const timer = setTimeout(() => done({ pending: true }), this.#decisionMs);
      this.#box.on('vote', onVote);
      this.#box.on('ignored', onIgnored);
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
  const text = type === 'application/json' ? `${JSON.stringify(body)}\n` : String(body);
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(text);
}

/**
 * The box's health document: `mqtt` is degraded while the broker is away (votes wait in the
 * outbox, published once it is back); `outbox` reports what waits.
 */
export function boxHealth(box: Box): Health {
  const connected = box.publisher.connected;
  return healthOf({
    mqtt: check(connected, 'degraded', 'not connected to the broker: votes wait in the outbox', {
      connected,
    }),
    outbox: { status: 'ok', depth: box.status().outbox },
  });
}

function statusOf(outcome: PressOutcome): number {
  if ('counted' in outcome) return 200;
  return 'pending' in outcome ? 202 : 409;
}

/**
 * The virtual box's HTTP control, like the original LikeBox's debug mode:
 * `POST /buttons/{like|dislike}/{press|release|click}` (200 with the vote, 409 with the reason it
 * did not count, 202 while still undecided), `GET /lcd` (the screen as text lines), `GET /led`,
 * `GET /status`, and the health document of every LikeBox process on `GET /healthz`. Binds
 * loopback by default.
 */
export class ControlServer {
  readonly #server: Server;
  readonly #log: Logger;

  constructor(buttons: VirtualButtons, box: Box, io: VirtualIo, ledPin: number, log: Logger) {
    this.#log = log;
    this.#server = createServer((req, res) => {
      this.#route(req, res, buttons, box, io, ledPin).catch((err: unknown) => {
        this.#log.error({ err, url: req.url }, 'control request failed');
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
      });
    });
  }

  /** Listens; returns the bound port. */
  async listen(port: number, host: string): Promise<number> {
    this.#server.listen(port, host);
    await once(this.#server, 'listening');
    const bound = (this.#server.address() as AddressInfo).port;
    this.#log.info({ host, port: bound }, 'virtual box control listening');
    return bound;
  }

  /** Stops listening. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #route(
    req: IncomingMessage,
    res: ServerResponse,
    buttons: VirtualButtons,
    box: Box,
    io: VirtualIo,
    ledPin: number,
  ) {
    const path = new URL(req.url ?? '/', 'http://box').pathname;
    const match = /^\/buttons\/(like|dislike)\/(press|release|click)$/.exec(path);
    if (match !== null) {
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST' });
      const button = match[1] as ButtonName;
      const action = match[2];
      if (action === 'release') {
        buttons.release(button);
        return send(res, 200, { released: button });
      }
      const outcome =
        action === 'press' ? await buttons.press(button) : await buttons.click(button);
      return send(res, statusOf(outcome), outcome);
    }
    if (req.method !== 'GET') return send(res, 404, { error: 'not found' });
    if (serveHealth(req, res, () => boxHealth(box))) return;
    if (path === '/lcd') return send(res, 200, `${io.lcdLines().join('\n')}\n`, 'text/plain');
    if (path === '/led') return send(res, 200, { on: buttons.led(ledPin) });
    if (path === '/status')
      return send(res, 200, { ...box.status(), online: box.publisher.connected });
    return send(res, 404, { error: 'not found' });
  }
}
