/// <reference lib="dom" />
import { type Notice, NoticesAnswer } from '@likebox/protocol';
import { z } from 'zod';

/** An organiser's account of the users file (the same one the broker knows). */
export interface OrganiserCredentials {
  /** User name. */
  username: string;
  /** Password. */
  password: string;
}

/** What one read of the notices gave. */
export type NoticesRead =
  /** The active notices, oldest first. */
  | { kind: 'notices'; notices: Notice[] }
  /** 401: no such user or a wrong password. */
  | { kind: 'refused' }
  /** 403: a known account that is not an organiser. */
  | { kind: 'forbidden' }
  /** The server did not answer, or answered something else. */
  | { kind: 'failed'; reason: string };

/**
 * The sessionStorage key of the credentials: kept for the tab's life only (a reload keeps the
 * login, closing the tab forgets it), never in localStorage or a cookie.
 */
const STORAGE_KEY = 'likebox.organiser';

/** The credentials saved in this tab, if any. */
export function savedCredentials(): OrganiserCredentials | null {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as unknown;
    const parsed = z.object({ username: z.string(), password: z.string() }).safeParse(saved);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Keeps the credentials for this tab, or forgets them (null). */
export function saveCredentials(credentials: OrganiserCredentials | null): void {
  if (credentials === null) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
}

/** The HTTP Basic header of the credentials, UTF-8 encoded (the API announces `charset="UTF-8"`). */
export function basicAuthorization({ username, password }: OrganiserCredentials): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/**
 * Reads `GET /api/v1/notices` with the organiser's credentials. `credentials: 'omit'` keeps the
 * browser from answering the API's `WWW-Authenticate` challenge with its own login dialog (the
 * Fetch standard prompts only when credentials are included); the header set here is still sent.
 */
export async function readNotices(credentials: OrganiserCredentials): Promise<NoticesRead> {
  try {
    const response = await fetch('/api/v1/notices', {
      cache: 'no-store',
      credentials: 'omit',
      headers: { authorization: basicAuthorization(credentials) },
    });
    if (response.status === 401) return { kind: 'refused' };
    if (response.status === 403) return { kind: 'forbidden' };
    if (!response.ok) return { kind: 'failed', reason: `HTTP ${response.status}` };
    const answer = NoticesAnswer.parse(await response.json());
    return { kind: 'notices', notices: answer.notices };
  } catch (err) {
    return { kind: 'failed', reason: String(err) };
  }
}
