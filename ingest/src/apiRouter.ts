import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessVerdict, OrganiserCheck } from './deadLetterAccess.js';

/** The root of the HTTP API: `/api/v1/…` on the event server's HTTP port. */
export const API_ROOT = '/api/v1';

/** What a handler gets: path parameters (decoded), the query, and who asks. */
export interface ApiRequest {
  /** `:name` segments of the pattern, URL-decoded. */
  params: Record<string, string>;
  /** The query string. */
  query: URLSearchParams;
  /**
   * Whether the request carries an organiser's HTTP Basic credentials (checked against the users
   * file, once per request, only when asked): `unauthenticated` without or with bad ones.
   */
  organiser: () => Promise<AccessVerdict>;
}

/** A handler's answer: JSON, or CSV text (sent as an attachment when `filename` is set). */
export type ApiAnswer =
  | { status?: number; json: unknown }
  | { status?: number; csv: string | Iterable<string>; filename?: string };

/** A route's handler. */
export type ApiHandler = (req: ApiRequest) => ApiAnswer | Promise<ApiAnswer>;

/** An error a handler throws to answer `{ error }` with a status (400, 401, 403, 404). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface Route {
  segments: string[];
  handler: ApiHandler;
}

function match(segments: readonly string[], path: string[]): Record<string, string> | null {
  if (segments.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (const [i, want] of segments.entries()) {
    const got = path[i] ?? '';
    if (want.startsWith(':')) params[want.slice(1)] = got;
    else if (want !== got) return null;
  }
  return params;
}

function decodeAll(params: Record<string, string>): Record<string, string> | null {
  try {
    return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(`${JSON.stringify(body)}\n`);
}

function sendAnswer(res: ServerResponse, answer: ApiAnswer): void {
  if ('json' in answer) {
    sendJson(res, answer.status ?? 200, answer.json);
    return;
  }
  const headers: Record<string, string> = {
    'content-type': 'text/csv; charset=utf-8; header=present',
    'cache-control': 'no-store',
  };
  if (answer.filename !== undefined) {
    headers['content-disposition'] = `attachment; filename="${answer.filename}"`;
  }
  res.writeHead(answer.status ?? 200, headers);
  if (typeof answer.csv === 'string') res.end(answer.csv);
  else {
    // Written whole, synchronously: a journal iterator must not stay open across an await.
    for (const chunk of answer.csv) res.write(chunk);
    res.end();
  }
}

/**
 * The read-only HTTP API (`GET /api/v1/…`, JSON or CSV): a module adds a route in one line,
 * `api.get('/api/v1/notices', handler)`. `:name` segments are parameters. Errors answer
 * `{ error }` (an {@link ApiError}'s status, 500 otherwise), never a stack trace; an unknown path
 * under `/api/v1/` is a JSON 404.
 */
export class ApiRouter {
  readonly #routes: Route[] = [];
  readonly #access: OrganiserCheck | undefined;
  readonly #onError: (err: unknown) => void;

  /**
   * @param access checks organiser credentials (undefined: nobody is an organiser here)
   * @param onError where an unexpected handler failure is logged
   */
  constructor(access: OrganiserCheck | undefined, onError: (err: unknown) => void) {
    this.#access = access;
    this.#onError = onError;
  }

  /** Adds `GET pattern` (also answers HEAD). */
  get(pattern: string, handler: ApiHandler): this {
    this.#routes.push({ segments: pattern.split('/').slice(1), handler });
    return this;
  }

  /** The HTTP handler: true when it answered (a path under {@link API_ROOT}), false otherwise. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== API_ROOT && !url.pathname.startsWith(`${API_ROOT}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: 'read-only API: GET only' }, { allow: 'GET, HEAD' });
      return true;
    }
    try {
      sendAnswer(res, await this.#answer(req, url));
    } catch (err) {
      if (err instanceof ApiError) {
        const challenge =
          err.status === 401
            ? { 'www-authenticate': 'Basic realm="likebox", charset="UTF-8"' }
            : {};
        sendJson(res, err.status, { error: err.message, ...err.extra }, challenge);
      } else {
        this.#onError(err);
        sendJson(res, 500, { error: 'internal error' });
      }
    }
    return true;
  };

  #answer(req: IncomingMessage, url: URL): ApiAnswer | Promise<ApiAnswer> {
    const path = url.pathname.split('/').slice(1);
    for (const route of this.#routes) {
      const found = match(route.segments, path);
      if (found === null) continue;
      const params = decodeAll(found);
      if (params === null) throw new ApiError(400, 'bad percent-encoding in the path');
      let verdict: Promise<AccessVerdict> | undefined;
      const organiser = () => {
        verdict ??=
          this.#access === undefined || req.headers.authorization === undefined
            ? Promise.resolve('unauthenticated')
            : this.#access.verify(req.headers.authorization);
        return verdict;
      };
      return route.handler({ params, query: url.searchParams, organiser });
    }
    throw new ApiError(404, 'unknown API path', { path: url.pathname });
  }
}
