/// <reference lib="dom" />
import { type PublicVote, voteWindow } from '@likebox/protocol';
import { CountsView, talkSubtitle, windowOpen, windowStatus } from '../components.js';
import { CurveChart } from '../curveChart.js';
import { formatClock, h, setText } from '../dom.js';
import type { LiveChange, RoomSnapshot } from '../liveState.js';
import type { View, ViewContext } from '../view.js';

/** How long the thank-you stays on screen after a vote. */
const THANKS_MS = 1800;
/** Shortest time between two restarts of the thank-you's animation (its fade-in lasts ~220 ms). */
const THANKS_RESTART_MS = 600;

/**
 * `/rooms/{room}`: the display by the room door (a TV, or the box's HDMI output). Current talk,
 * countdown of its vote window, counts, curve, next talk, and a large thank-you on every vote.
 */
export class RoomDisplayView implements View {
  readonly element: HTMLElement;
  readonly #name = h('h1', { class: 'room-name', 'data-role': 'room-name' });
  readonly #clock = h('span', { class: 'room-clock' });
  readonly #kicker = h('p', { class: 'room-kicker', 'data-role': 'kicker' });
  readonly #countsCaption = h('p', { class: 'room-caption', 'data-role': 'counts-caption' });
  readonly #title = h('h2', { class: 'room-talk', 'data-role': 'talk-title' });
  readonly #subtitle = h('p', { class: 'room-subtitle' });
  readonly #status = h('p', { class: 'room-window', 'data-role': 'window' });
  readonly #next = h('p', { class: 'room-next', 'data-role': 'next' });
  readonly #counts = new CountsView();
  readonly #chart: CurveChart;
  readonly #thanksSign = h('span', { class: 'thanks-sign' });
  readonly #thanks = h(
    'div',
    { class: 'thanks', 'data-role': 'thanks', hidden: true },
    this.#thanksSign,
    h('span', { class: 'thanks-text' }, 'Merci ! Thank you!'),
  );
  #thanksTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the thank-you's animation last started (`performance.now()`). */
  #thankedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly context: ViewContext,
    readonly room: string,
  ) {
    const curve = h('div', { class: 'room-curve' });
    this.element = h(
      'main',
      { class: 'room', 'data-view': 'room', 'data-room': room },
      h('header', { class: 'page-header' }, this.#name, this.#clock, context.badge.element),
      h(
        'section',
        { class: 'room-body' },
        h(
          'div',
          { class: 'room-main' },
          this.#kicker,
          this.#title,
          this.#subtitle,
          this.#status,
          this.#countsCaption,
          this.#counts.element,
        ),
        curve,
      ),
      h('footer', { class: 'room-footer' }, this.#next),
      this.#thanks,
    );
    // Axis labels readable from across a corridor on a 1080p TV, smaller on a phone.
    this.#chart = new CurveChart(curve, context.clock, innerWidth > 1200 ? 20 : 12);
    this.#render();
  }

  /** The talk whose curve the display draws: the current one, else the last tallied one. */
  shownTalks(): string[] {
    const room = this.context.state.room(this.room);
    const shown = room.now?.talk?.id ?? room.counts?.talk;
    return shown === undefined ? [] : [shown];
  }

  onChange(change: LiveChange): void {
    if (change.kind !== 'schedule' && change.room !== this.room) return;
    this.#render();
    if (change.kind === 'vote') this.#thank(change.vote);
  }

  tick(): void {
    const { now } = this.context.state.room(this.room);
    const at = this.context.clock();
    setText(this.#clock, formatClock(at, this.context.state.schedule?.timeZone));
    setText(this.#status, windowStatus(now, at));
    this.#chart.tick(windowOpen(now, at));
  }

  #render(): void {
    const { state } = this.context;
    const timeZone = state.schedule?.timeZone;
    const room = state.room(this.room);
    const title = `${room.name} · LikeBox`;
    if (document.title !== title) document.title = title;
    setText(this.#name, room.name);
    // A room the programme does not have and the ingest never spoke of: a mistyped URL.
    const unknown =
      state.schedule !== null &&
      room.now === null &&
      !state.schedule.rooms.some((known) => known.slug === this.room);
    this.element.toggleAttribute('data-unknown', unknown);
    if (unknown) {
      const rooms = state.schedule?.rooms.map((known) => known.slug).join(', ') ?? '';
      setText(this.#kicker, 'Unknown room');
      setText(this.#title, `No room “${this.room}” in this programme`);
      setText(this.#subtitle, `Rooms: ${rooms}`);
      return;
    }
    const talk = room.now?.talk ?? null;
    const next = room.now?.next ?? null;
    // Between talks the next one takes the stage, and the counts are the last talk's.
    const shown = talk ?? next;
    setText(this.#kicker, talk !== null ? 'Now' : next !== null ? 'Next' : '');
    setText(this.#title, shown?.title ?? 'No more talks in this room');
    const late = (room.now?.delay ?? 0) > 0 ? ` · running ${room.now?.delay} min late` : '';
    setText(this.#subtitle, shown === null ? '' : `${talkSubtitle(shown, timeZone)}${late}`);
    setText(
      this.#next,
      talk === null || next === null ? '' : `Next: ${next.title} — ${talkSubtitle(next, timeZone)}`,
    );
    this.#renderCounts(room, talk?.id ?? null);
    this.tick();
  }

  /** Counts and curve of the current talk, else of the room's last tallied talk. */
  #renderCounts(room: RoomSnapshot, current: string | null): void {
    const { state } = this.context;
    const counts = current === null ? room.counts : state.talk(current, this.room);
    const last = current === null && counts !== null ? state.scheduledTalk(counts.talk) : null;
    setText(this.#countsCaption, last === null ? '' : `Last talk: ${last.title}`);
    this.#counts.update(counts);
    const window =
      current !== null
        ? (room.now?.window ?? null)
        : last !== null && state.schedule !== null
          ? voteWindow(state.schedule, last)
          : null;
    this.#chart.update(
      counts?.points ?? [],
      {
        live: windowOpen(room.now, this.context.clock()),
        window,
        timeZone: state.schedule?.timeZone,
      },
      counts?.hidden === true,
    );
  }

  /**
   * Shows the thank-you for the last vote; a new vote restarts it (and its animation), except within
   * {@link THANKS_RESTART_MS} of the last restart: in a busy room the sign follows the last vote and
   * the thank-you stays up, instead of a restart (a forced layout) on every frame.
   */
  #thank(vote: PublicVote): void {
    const like = vote.value === 1;
    this.#thanks.className = `thanks ${like ? 'like' : 'dislike'}${this.#thanks.hidden ? '' : ' show'}`;
    setText(this.#thanksSign, like ? '+1' : '−1');
    const at = performance.now();
    if (this.#thanks.hidden || at - this.#thankedAt >= THANKS_RESTART_MS) {
      this.#thankedAt = at;
      this.#thanks.classList.remove('show');
      this.#thanks.hidden = false;
      void this.#thanks.offsetWidth; // restarts the CSS animation
      this.#thanks.classList.add('show');
    }
    if (this.#thanksTimer !== null) clearTimeout(this.#thanksTimer);
    this.#thanksTimer = setTimeout(() => {
      this.#thanks.hidden = true;
    }, THANKS_MS);
  }
}
