/// <reference lib="dom" />
import { type TalkRef, toTalkRef, type VoteWindow, voteWindow } from '@likebox/protocol';
import { CountsView, talkSubtitle } from '../components.js';
import { CurveChart } from '../curveChart.js';
import { formatClock, formatDuration, h, setText } from '../dom.js';
import type { LiveChange } from '../liveState.js';
import type { View, ViewContext } from '../view.js';

/**
 * `/talks/{talk}`: the speaker's page. The counts are the ingest's retained tally while it is this
 * talk's (until the room's next talk takes over), plus votes seen live; the curve is what this
 * browser saw, kept in localStorage so it survives a reload. MQTT retains no per-talk history: the
 * complete curve of any talk is in Grafana (InfluxDB), which the page links to in its note.
 */
export class TalkPageView implements View {
  readonly element: HTMLElement;
  readonly #title = h('h1', { class: 'talk-title', 'data-role': 'talk-title' }, 'Loading…');
  readonly #subtitle = h('p', { class: 'talk-subtitle' });
  readonly #status = h('p', { class: 'talk-window', 'data-role': 'window' });
  readonly #counts = new CountsView();
  readonly #chart: CurveChart;
  readonly #note = h('p', { class: 'talk-note', 'data-role': 'note' });

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
        h('span', { class: 'brand' }, 'LikeBox'),
        context.badge.element,
      ),
      this.#title,
      this.#subtitle,
      this.#status,
      this.#counts.element,
      curve,
      this.#note,
    );
    this.#chart = new CurveChart(curve, context.clock);
    this.#render();
  }

  onChange(change: LiveChange): void {
    if (change.kind === 'schedule' || change.room === this.#room()) this.#render();
  }

  tick(): void {
    const window = this.#window();
    const at = this.context.clock();
    setText(this.#status, talkStatus(window, at, this.context.state.schedule?.timeZone));
    this.#chart.tick(window !== null && at >= window.opens && at < window.closes);
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
    document.title = `${ref?.title ?? this.talk} · LikeBox`;
    setText(this.#title, ref?.title ?? (state.schedule === null ? 'Loading…' : 'Unknown talk'));
    setText(this.#subtitle, ref === null ? '' : talkSubtitle(ref, state.schedule?.timeZone));
    this.#counts.update(counts);
    const window = this.#window();
    const at = this.context.clock();
    this.#chart.update(counts.points, {
      live: window !== null && at >= window.opens && at < window.closes,
      window,
      timeZone: state.schedule?.timeZone,
    });
    setText(
      this.#note,
      counts.tallied
        ? 'Counts confirmed by the LikeBox server. The curve shows what this browser saw; the full history is on the organisers’ Grafana.'
        : 'Counts seen live by this browser. Keep this page open during your talk to follow every vote.',
    );
    this.tick();
  }
}

/** `Voting opens at 14:10`, `Voting open: closes in 3:12` or `Voting closed at 15:00`. */
function talkStatus(window: VoteWindow | null, at: number, timeZone?: string): string {
  if (window === null) return '';
  if (at < window.opens) return `Voting opens at ${formatClock(window.opens, timeZone)}`;
  if (at < window.closes) return `Voting open: closes in ${formatDuration(window.closes - at)}`;
  return `Voting closed at ${formatClock(window.closes, timeZone)}`;
}
