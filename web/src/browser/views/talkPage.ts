/// <reference lib="dom" />
import { type TalkRef, toTalkRef, type VoteWindow, voteWindow } from '@likebox/protocol';
import { CountsView, talkSubtitle } from '../components.js';
import { CurveChart } from '../curveChart.js';
import { formatClock, formatDuration, h, setText } from '../dom.js';
import { fetchTalkResult } from '../historyLoader.js';
import type { LiveChange } from '../liveState.js';
import type { View, ViewContext } from '../view.js';
import { longDay, talkResultsSection } from './talkResults.js';

/** Wait after the window closed before reading the final figures (the ingest seals then). */
const SEAL_DELAY_MS = 5000;

/**
 * `/talks/{talk}`: the speaker's page, during and after the talk. The curve is the results API's
 * history from the window's opening, extended live from MQTT (retained tally plus the vote
 * stream); once the window closed, the final figures, the walk-out view and the speaker card.
 */
export class TalkPageView implements View {
  readonly element: HTMLElement;
  readonly #title = h('h1', { class: 'talk-title', 'data-role': 'talk-title' }, 'Loading…');
  readonly #subtitle = h('p', { class: 'talk-subtitle' });
  readonly #status = h('p', { class: 'talk-window', 'data-role': 'window' });
  readonly #counts = new CountsView();
  readonly #chart: CurveChart;
  readonly #where = h('p', { class: 'talk-where', 'data-role': 'where' });
  readonly #note = h('p', { class: 'talk-note', 'data-role': 'note' });
  readonly #results = h('div', { class: 'talk-results-slot' });
  /** The window close whose final figures were asked for (once per close: a delay moves it). */
  #sealedFor: number | null = null;

  constructor(
    private readonly context: ViewContext,
    readonly talk: string,
  ) {
    const curve = h('div', { class: 'talk-curve' });
    this.element = h(
      'main',
      { class: 'talk', 'data-view': 'talk' },
      h(
        'header',
        { class: 'page-header' },
        h('a', { class: 'brand', href: '/results' }, 'LikeBox results'),
        context.badge.element,
      ),
      this.#title,
      this.#subtitle,
      this.#where,
      this.#status,
      this.#counts.element,
      curve,
      this.#note,
      this.#results,
    );
    this.#chart = new CurveChart(curve, context.clock);
    this.#render();
  }

  /** The talk whose history the page needs. */
  shownTalks(): string[] {
    return [this.talk];
  }

  onChange(change: LiveChange): void {
    if (change.kind === 'schedule' || change.room === this.#room()) this.#render();
  }

  tick(): void {
    const window = this.#window();
    const at = this.context.clock();
    setText(this.#status, talkStatus(window, at, this.context.state.schedule?.timeZone));
    this.#chart.tick(window !== null && at >= window.opens && at < window.closes);
    if (
      window !== null &&
      at >= window.closes + SEAL_DELAY_MS &&
      this.#sealedFor !== window.closes
    ) {
      this.#sealedFor = window.closes;
      void this.#showResults();
    }
  }

  /** Reads the talk's final figures and shows them under the curve. */
  async #showResults(): Promise<void> {
    const lookup = await fetchTalkResult(this.talk);
    if (lookup.kind !== 'found') return;
    const { state } = this.context;
    state.applyHistory(lookup.result);
    const section = talkResultsSection(
      lookup.result,
      state.schedule?.name ?? state.event,
      state.schedule?.timeZone,
    );
    this.#results.replaceChildren(section);
  }

  #room(): string {
    const { state } = this.context;
    return state.scheduledTalk(this.talk)?.room ?? state.talk(this.talk).room;
  }

  /** The talk as `now` (delay included) or the schedule describe it. */
  #ref(): TalkRef | null {
    const { state } = this.context;
    const room = this.#room();
    const now = room === '' ? null : state.room(room).now;
    if (now?.talk?.id === this.talk) return now.talk;
    if (now?.next?.id === this.talk) return now.next;
    const scheduled = state.scheduledTalk(this.talk);
    return scheduled === null ? null : toTalkRef(scheduled);
  }

  #window(): VoteWindow | null {
    const { state } = this.context;
    const room = this.#room();
    const now = room === '' ? null : state.room(room).now;
    if (now?.talk?.id === this.talk) return now.window;
    if (now?.next?.id === this.talk) return now.nextWindow;
    const scheduled = state.scheduledTalk(this.talk);
    return scheduled === null || state.schedule === null
      ? null
      : voteWindow(state.schedule, scheduled);
  }

  #render(): void {
    const { state } = this.context;
    const ref = this.#ref();
    const counts = state.talk(this.talk);
    const unknown = ref === null && state.schedule !== null;
    document.title = `${ref?.title ?? this.talk} · LikeBox`;
    this.element.toggleAttribute('data-unknown', unknown);
    setText(this.#title, ref?.title ?? (unknown ? 'Unknown talk' : 'Loading…'));
    setText(this.#subtitle, ref === null ? '' : talkSubtitle(ref, state.schedule?.timeZone));
    setText(this.#where, this.#whereText());
    this.#counts.update(counts);
    const window = this.#window();
    const at = this.context.clock();
    this.#chart.update(
      counts.points,
      {
        live: window !== null && at >= window.opens && at < window.closes,
        window,
        timeZone: state.schedule?.timeZone,
      },
      counts.hidden,
    );
    setText(this.#note, this.#noteText(unknown, counts.history));
    this.tick();
  }

  /** `Room Bréhat · Friday 12 June 2026`. */
  #whereText(): string {
    const { state } = this.context;
    const scheduled = state.scheduledTalk(this.talk);
    if (scheduled === null || state.schedule === null) return '';
    const room =
      state.schedule.rooms.find((r) => r.slug === scheduled.room)?.name ?? scheduled.room;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: state.schedule.timeZone }).format(
      new Date(scheduled.start),
    );
    return `Room ${room} · ${longDay(day)}`;
  }

  #noteText(unknown: boolean, history: boolean): string {
    if (unknown) {
      return `There is no talk “${this.talk}” in the programme of ${this.context.state.schedule?.name ?? this.context.state.event}. Every talk is listed on /results.`;
    }
    return history
      ? 'The curve shows every vote from the opening of the vote, as the LikeBox server counted it.'
      : 'Counts seen live by this page (the server’s history of this talk is not available).';
  }
}

/** `Voting opens at 14:10`, `Voting open: closes in 3:12` or `Voting closed at 15:00`. */
function talkStatus(window: VoteWindow | null, at: number, timeZone?: string): string {
  if (window === null) return '';
  if (at < window.opens) return `Voting opens at ${formatClock(window.opens, timeZone)}`;
  if (at < window.closes) return `Voting open: closes in ${formatDuration(window.closes - at)}`;
  return `Voting closed at ${formatClock(window.closes, timeZone)}`;
}
