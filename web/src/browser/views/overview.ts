/// <reference lib="dom" />

import { voteWindow } from '@likebox/protocol';
import { routePath } from '../../routes.js';
import { CountsView, talkSubtitle, windowOpen, windowStatus } from '../components.js';
import { CurveChart } from '../curveChart.js';
import { h, setText } from '../dom.js';
import type { LiveChange, RoomSnapshot } from '../liveState.js';
import type { View, ViewContext } from '../view.js';

/** The current talk; between talks the last one (its counts are shown), else the next one. */
function cardTitle(current?: string, last?: string, next?: string): string {
  if (current !== undefined) return current;
  if (last !== undefined) return `Last: ${last}`;
  return next === undefined ? 'No talk now' : `Next: ${next}`;
}

/** One room's card: name, current talk, counts and curve. */
class RoomCard {
  readonly element: HTMLElement;
  readonly #title = h('a', {
    class: 'card-talk-link',
    'data-role': 'talk-title',
  }) as HTMLAnchorElement;
  readonly #subtitle = h('p', { class: 'card-subtitle' });
  readonly #status = h('p', { class: 'card-status', 'data-role': 'window' });
  readonly #counts = new CountsView();
  readonly #chart: CurveChart;
  readonly #room: HTMLAnchorElement;

  constructor(
    readonly slug: string,
    private readonly context: ViewContext,
    embedded: boolean,
  ) {
    this.#room = h('a', { class: 'card-room', href: `/rooms/${slug}` }) as HTMLAnchorElement;
    if (embedded) {
      this.#room.target = '_blank';
      this.#title.target = '_blank';
    }
    const curve = h('div', { class: 'card-curve' });
    this.element = h(
      'article',
      { class: 'card', 'data-room': slug },
      h('header', { class: 'card-header' }, this.#room, this.#status),
      h('h3', { class: 'card-talk' }, this.#title),
      this.#subtitle,
      this.#counts.element,
      curve,
    );
    // Axis labels legible on a 1080p TV across the room, smaller on a laptop or phone.
    this.#chart = new CurveChart(curve, context.clock, !embedded && innerWidth >= 1600 ? 16 : 12);
  }

  /** The talk whose curve the card draws, if any. */
  shownTalk(): string[] {
    const room = this.context.state.room(this.slug);
    const shown = room.now?.talk?.id ?? room.counts?.talk;
    return shown === undefined ? [] : [shown];
  }

  update(room: RoomSnapshot): void {
    const timeZone = this.context.state.schedule?.timeZone;
    setText(this.#room, room.name);
    const talk = room.now?.talk ?? null;
    const lastTalk =
      room.counts === null ? null : this.context.state.scheduledTalk(room.counts.talk);
    const next = room.now?.next ?? null;
    setText(this.#title, cardTitle(talk?.title, lastTalk?.title, next?.title));
    const linked = talk?.id ?? lastTalk?.id ?? next?.id ?? null;
    if (linked === null) this.#title.removeAttribute('href');
    else this.#title.href = routePath({ view: 'talk', talk: linked });
    setText(this.#subtitle, talk === null ? '' : talkSubtitle(talk, timeZone));
    this.#counts.update(room.counts);
    this.#chart.update(
      room.counts?.points ?? [],
      {
        live: windowOpen(room.now, this.context.clock()),
        window:
          talk !== null
            ? (room.now?.window ?? null)
            : lastTalk !== null && this.context.state.schedule !== null
              ? voteWindow(this.context.state.schedule, lastTalk)
              : null,
        timeZone,
      },
      room.counts?.hidden === true,
    );
    this.tick(room);
  }

  tick(room: RoomSnapshot): void {
    const at = this.context.clock();
    setText(this.#status, windowStatus(room.now, at));
    this.#chart.tick(windowOpen(room.now, at));
  }
}

/**
 * `/` (every room, with links to the room displays) and `/embed` (the same cards, compact, for an
 * iframe on another conference's site; `?rooms=a,b` keeps only those rooms).
 */
export class OverviewView implements View {
  readonly element: HTMLElement;
  readonly #grid = h('section', { class: 'grid' });
  readonly #cards = new Map<string, RoomCard>();
  readonly #heading = h('h1', {}, 'LikeBox');
  readonly #empty = h('p', { class: 'empty' }, 'Waiting for the rooms…');

  constructor(
    private readonly context: ViewContext,
    private readonly options: { embedded: boolean; rooms: string[] | null },
  ) {
    const header = h('header', { class: 'page-header' }, this.#heading, context.badge.element);
    this.element = h(
      'main',
      {
        class: options.embedded ? 'overview embedded' : 'overview',
        'data-view': options.embedded ? 'embed' : 'overview',
      },
      header,
      this.#empty,
      this.#grid,
    );
    this.#render();
  }

  /** The talk each card draws. */
  shownTalks(): string[] {
    return [...this.#cards.values()].flatMap((card) => card.shownTalk());
  }

  onChange(change: LiveChange): void {
    const card = change.kind === 'schedule' ? undefined : this.#cards.get(change.room);
    if (card === undefined) this.#render();
    else card.update(this.context.state.room(card.slug));
  }

  tick(): void {
    for (const card of this.#cards.values()) card.tick(this.context.state.room(card.slug));
  }

  #render(): void {
    const { state } = this.context;
    setText(this.#heading, state.schedule?.name ?? 'LikeBox');
    const wanted = this.options.rooms;
    // A room without votable talks (a hall with only breaks, a sponsor room) is left out.
    const votable = new Set(
      state.schedule?.talks.filter((talk) => talk.votable).map((talk) => talk.room),
    );
    const rooms = state
      .rooms()
      .filter((room) => wanted === null || wanted.includes(room.slug))
      .filter((room) => state.schedule === null || votable.has(room.slug));
    for (const [slug, card] of this.#cards) {
      if (!rooms.some((room) => room.slug === slug)) {
        card.element.remove();
        this.#cards.delete(slug);
      }
    }
    for (const room of rooms) {
      let card = this.#cards.get(room.slug);
      if (card === undefined) {
        card = new RoomCard(room.slug, this.context, this.options.embedded);
        this.#cards.set(room.slug, card);
      }
      this.#grid.append(card.element); // appending again keeps the schedule's order
      card.update(room);
    }
    this.#empty.hidden = rooms.length > 0;
  }
}
