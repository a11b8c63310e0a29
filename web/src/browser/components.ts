/// <reference lib="dom" />
import type { Now, TalkRef } from '@likebox/protocol';
import { formatClock, formatDuration, h, likeShare, setText } from './dom.js';
import type { ConnectionState } from './liveFeed.js';
import type { TalkCounts } from './liveState.js';

const CONNECTION_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** The connection indicator: a coloured dot and a word; `data-connection` holds the state. */
export class ConnectionBadge {
  /** The indicator, placed in each page's header. */
  readonly element = h('span', {
    class: 'connection',
    role: 'status',
    'data-connection': 'connecting',
  });

  /** Shows a new state. */
  update(state: ConnectionState): void {
    this.element.dataset.connection = state;
    this.element.title = `Broker connection: ${CONNECTION_LABELS[state]}`;
    setText(this.element, CONNECTION_LABELS[state]);
  }
}

/** Likes, dislikes and the share of likes of one talk. */
export class CountsView {
  /** The counts block. */
  readonly element: HTMLElement;
  readonly #likes = h('span', { class: 'count-value', 'data-role': 'likes' }, '0');
  readonly #dislikes = h('span', { class: 'count-value', 'data-role': 'dislikes' }, '0');
  readonly #bar = h('span', { class: 'share-fill' });
  readonly #share = h('span', { class: 'share-label' });

  constructor() {
    this.element = h(
      'div',
      { class: 'counts', 'aria-live': 'polite' },
      h('span', { class: 'count like' }, h('span', { class: 'count-sign' }, '+1'), this.#likes),
      h(
        'span',
        { class: 'count dislike' },
        h('span', { class: 'count-sign' }, '−1'),
        this.#dislikes,
      ),
      h('span', { class: 'share' }, h('span', { class: 'share-track' }, this.#bar), this.#share),
    );
  }

  /** Shows the counts of a talk, or zeros; withheld counts say when they come. */
  update(counts: TalkCounts | null): void {
    this.element.toggleAttribute('data-hidden', counts?.hidden === true);
    if (counts?.hidden === true) {
      setText(this.#likes, '?');
      setText(this.#dislikes, '?');
      this.#bar.style.width = '0%';
      this.#bar.parentElement?.toggleAttribute('data-none', true);
      setText(this.#share, 'results after the talk');
      return;
    }
    const likes = counts?.likes ?? 0;
    const dislikes = counts?.dislikes ?? 0;
    setText(this.#likes, String(likes));
    setText(this.#dislikes, String(dislikes));
    const share = likeShare(likes, dislikes);
    this.#bar.style.width = `${share ?? 0}%`;
    this.#bar.parentElement?.toggleAttribute('data-none', share === null);
    setText(this.#share, share === null ? 'no votes yet' : `${share}% liked`);
  }
}

/** `Ada, Grace · 14:00–14:45` for a talk. */
export function talkSubtitle(talk: TalkRef, timeZone?: string): string {
  const time = `${formatClock(talk.start, timeZone)}–${formatClock(talk.end, timeZone)}`;
  return talk.speakers.length === 0 ? time : `${talk.speakers.join(', ')} · ${time}`;
}

/** What the vote window of a room is doing now, e.g. `Voting closes in 12:04`. */
export function windowStatus(now: Now | null, at: number): string {
  if (now === null) return 'Waiting for the programme…';
  if (now.talk !== null && now.window !== null) {
    if (at < now.window.opens) return `Voting opens in ${formatDuration(now.window.opens - at)}`;
    if (at < now.window.closes) return `Voting closes in ${formatDuration(now.window.closes - at)}`;
    return 'Voting closed';
  }
  if (now.nextWindow !== null && at < now.nextWindow.opens) {
    return `Next vote opens in ${formatDuration(now.nextWindow.opens - at)}`;
  }
  return 'No vote open';
}

/** True while the room's current talk's window is open at `at`. */
export function windowOpen(now: Now | null, at: number): boolean {
  return now?.window != null && at >= now.window.opens && at < now.window.closes;
}
