import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';

/** A programme fixture's text. */
export const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/schedules/${name}`, import.meta.url), 'utf8');

/** What the server answers; changed by the test between requests. */
export interface Answer {
  status: number;
  body: string;
  /** Sent as `ETag`; a request whose `If-None-Match` matches gets 304. */
  etag?: string;
  /** Sent as `Last-Modified`; a request whose `If-Modified-Since` matches gets 304. */
  lastModified?: string;
  /** Never answer (a hung server). */
  hang?: boolean;
  /** Answer 302 to this path instead. */
  redirectTo?: string;
}

/** A real HTTP server on port 0 serving a programme at `/schedule`. */
export interface ProgrammeServer {
  url: string;
  answer: Answer;
  /** Headers of every request received, in order. */
  requests: IncomingHttpHeaders[];
  /** Closes it (the URL then refuses connections). */
  close: () => Promise<void>;
}

function respond(server: ProgrammeServer, headers: IncomingHttpHeaders, path: string) {
  const { answer } = server;
  if (answer.redirectTo !== undefined && path !== answer.redirectTo) {
    return { status: 302, headers: { location: answer.redirectTo }, body: '' };
  }
  const validators: Record<string, string> = {};
  if (answer.etag !== undefined) validators.etag = answer.etag;
  if (answer.lastModified !== undefined) validators['last-modified'] = answer.lastModified;
  const fresh =
    answer.status === 200 &&
    ((answer.etag !== undefined && headers['if-none-match'] === answer.etag) ||
      (answer.etag === undefined &&
        answer.lastModified !== undefined &&
        headers['if-modified-since'] === answer.lastModified));
  if (fresh) return { status: 304, headers: validators, body: '' };
  const type = answer.body.trimStart().startsWith('<') ? 'application/xml' : 'application/json';
  return {
    status: answer.status,
    headers: { ...validators, 'content-type': type },
    body: answer.body,
  };
}

/** Starts a programme server, closed when the test finishes. */
export async function startProgrammeServer(answer: Answer): Promise<ProgrammeServer> {
  const http: Server = createServer((req, res) => {
    state.requests.push(req.headers);
    if (state.answer.hang === true) return;
    const { status, headers, body } = respond(state, req.headers, req.url ?? '/');
    res.writeHead(status, headers).end(body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const state: ProgrammeServer = {
    url: `http://127.0.0.1:${port}/schedule`,
    answer,
    requests: [],
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      return closed;
    },
  };
  onTestFinished(() => state.close());
  return state;
}

/** A pino logger whose records the test can read. */
export function recordingLogger() {
  const records: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) records.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), records };
}
