/// <reference lib="dom" />
import type { Notice } from '@likebox/protocol';
import { formatClock, h, setText } from '../dom.js';
import {
  type NoticesRead,
  type OrganiserCredentials,
  readNotices,
  saveCredentials,
  savedCredentials,
} from '../organiserAccess.js';
import type { View, ViewContext } from '../view.js';

/**
 * How often the notices are read again. The ingest checks its conditions every second; a few
 * seconds more is nothing for an organiser walking the venue, and one small GET per tab costs less
 * than a second MQTT session holding organiser rights in the browser.
 */
const POLL_MS = 5000;

/** What the status line says after a read that brought no notices. */
function statusText(read: Exclude<NoticesRead, { kind: 'notices' }>): string {
  switch (read.kind) {
    case 'refused':
      return 'Login refused: no organiser account with this user name and password.';
    case 'forbidden':
      return 'Login refused: this account is not an organiser.';
    case 'failed':
      return `The notices could not be read (${read.reason}); trying again in a few seconds.`;
  }
}

/** Copies the command, or selects it for Ctrl+C where the clipboard is not offered (plain http). */
async function copy(code: HTMLElement, button: HTMLElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(code.textContent ?? '');
    setText(button, 'Copied');
  } catch {
    const range = document.createRange();
    range.selectNodeContents(code);
    getSelection()?.removeAllRanges();
    getSelection()?.addRange(range);
    setText(button, 'Press Ctrl+C');
  }
}

/** One notice: what, how bad, about what, since when, and the suggested command. */
function noticeItem(notice: Notice, timeZone?: string): HTMLElement {
  const since = `since ${formatClock(notice.since, timeZone)}`;
  const item = h(
    'li',
    { class: 'notice', 'data-notice': notice.id, 'data-severity': notice.severity },
    h(
      'p',
      { class: 'notice-head' },
      h('span', { class: 'notice-severity', 'data-role': 'severity' }, notice.severity),
      h('span', { class: 'notice-kind', 'data-role': 'kind' }, notice.kind),
      h('span', { class: 'notice-subject', 'data-role': 'subject' }, notice.subject),
      h('span', { class: 'notice-since', 'data-role': 'since' }, since),
    ),
    h('p', { class: 'notice-message', 'data-role': 'message' }, notice.message),
  );
  if (notice.suggestion !== undefined) {
    const code = h('code', { 'data-role': 'suggestion' }, notice.suggestion);
    const button = h('button', { type: 'button', 'data-role': 'copy' }, 'Copy');
    button.addEventListener('click', () => void copy(code, button));
    item.append(h('p', { class: 'notice-suggestion' }, code, button));
  }
  return item;
}

/**
 * `/organiser`: the notices the ingest raised (`GET /api/v1/notices`), for organisers only. Asks
 * for an organiser's user name and password, keeps them in the tab's sessionStorage, and reads the
 * notices again every {@link POLL_MS} ms; a refused login says so and asks again. No public page
 * links here, and without the credentials the page shows nothing of the notices.
 */
export class OrganiserView implements View {
  readonly element: HTMLElement;
  readonly #username = h('input', {
    name: 'username',
    autocomplete: 'username',
    required: true,
  }) as HTMLInputElement;
  readonly #password = h('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
  }) as HTMLInputElement;
  readonly #form = h('form', { class: 'organiser-login', 'data-role': 'login' });
  readonly #status = h('p', { class: 'organiser-status', 'data-role': 'status', role: 'status' });
  readonly #list = h('ul', { class: 'notices', 'data-role': 'notices' });
  readonly #logout = h(
    'button',
    { type: 'button', 'data-role': 'logout', hidden: true },
    'Log out',
  );
  #credentials: OrganiserCredentials | null = savedCredentials();
  #lastRead = 0;
  #reading = false;
  /** The notices shown, as read: the list is redrawn only when they change (a selection stays). */
  #shown = '';

  constructor(private readonly context: ViewContext) {
    this.#form.append(
      h('label', {}, 'Organiser ', this.#username),
      h('label', {}, 'Password ', this.#password),
      h('button', { type: 'submit' }, 'Show notices'),
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#login({ username: this.#username.value, password: this.#password.value });
    });
    this.#logout.addEventListener('click', () => this.#forget(''));
    this.element = h(
      'main',
      { class: 'organiser', 'data-view': 'organiser' },
      h(
        'header',
        { class: 'page-header' },
        h('h1', {}, 'Notices for organisers'),
        this.#logout,
        context.badge.element,
      ),
      this.#form,
      this.#status,
      this.#list,
    );
    if (this.#credentials === null) this.#showLogin(true);
    else void this.#read();
  }

  shownTalks(): string[] {
    return [];
  }

  onChange(): void {
    // The notices come from the API, not from the live state.
  }

  tick(): void {
    if (this.#credentials === null || this.#reading) return;
    if (this.context.clock() - this.#lastRead >= POLL_MS) void this.#read();
  }

  #showLogin(shown: boolean): void {
    this.#form.hidden = !shown;
    this.#logout.hidden = shown;
    if (shown) {
      this.#list.replaceChildren();
      this.#shown = '';
    }
  }

  #login(credentials: OrganiserCredentials): void {
    this.#credentials = credentials;
    setText(this.#status, 'Checking…');
    void this.#read();
  }

  #forget(reason: string): void {
    this.#credentials = null;
    saveCredentials(null);
    this.#password.value = '';
    this.#showLogin(true);
    setText(this.#status, reason);
    this.#status.dataset.refused = String(reason !== '');
  }

  async #read(): Promise<void> {
    const credentials = this.#credentials;
    if (credentials === null) return;
    this.#reading = true;
    this.#lastRead = this.context.clock();
    const read = await readNotices(credentials);
    this.#reading = false;
    if (credentials !== this.#credentials) return; // logged out or in again meanwhile
    if (read.kind === 'refused' || read.kind === 'forbidden') {
      this.#forget(statusText(read));
      return;
    }
    saveCredentials(credentials);
    this.#showLogin(false);
    this.#status.dataset.refused = 'false';
    if (read.kind === 'failed') {
      setText(this.#status, statusText(read));
      return;
    }
    this.#render(read.notices, credentials.username);
  }

  #render(notices: Notice[], username: string): void {
    const now = this.context.clock();
    const zone = this.context.state.schedule?.timeZone;
    const shown = JSON.stringify(notices);
    if (shown !== this.#shown) {
      this.#shown = shown;
      this.#list.replaceChildren(...notices.map((notice) => noticeItem(notice, zone)));
    }
    const count = notices.length === 0 ? 'No active notice' : `${notices.length} active`;
    setText(this.#status, `${count} · as ${username} · read at ${formatClock(now, zone)}`);
  }
}
