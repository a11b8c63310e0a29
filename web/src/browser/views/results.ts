/// <reference lib="dom" />
import { type RankedTalk, RankingAnswer, type Schedule } from '@likebox/protocol';
import { percentText, RANKING_HEADINGS } from '../../resultsApi.js';
import { routePath } from '../../routes.js';
import { h, setText } from '../dom.js';
import type { LiveChange } from '../liveState.js';
import type { View, ViewContext } from '../view.js';

/** The filters of the ranking, as in the API's and the page's query string. */
const FILTERS = ['day', 'room', 'format'] as const;
type Filter = (typeof FILTERS)[number];

/** How often the ranking is read again while the page is open (votes keep coming in). */
const REFRESH_MS = 30_000;

/** Each filter's choices, from the programme: `[value, label]`. */
function choices(schedule: Schedule | null, filter: Filter): [string, string][] {
  if (schedule === null) return [];
  const talks = schedule.talks.filter((talk) => talk.votable);
  const zone = new Intl.DateTimeFormat('en-CA', { timeZone: schedule.timeZone });
  switch (filter) {
    case 'day':
      return [...new Set(talks.map((talk) => zone.format(new Date(talk.start))))]
        .sort()
        .map((day) => [day, day]);
    case 'room':
      return schedule.rooms
        .filter((room) => talks.some((talk) => talk.room === room.slug))
        .map((room) => [room.slug, room.name]);
    case 'format':
      return [...new Set(talks.flatMap((talk) => (talk.format ? [talk.format] : [])))]
        .sort()
        .map((format) => [format, format]);
  }
}

function cell(text: string, role?: string): HTMLElement {
  return h('td', role === undefined ? {} : { 'data-col': role }, text);
}

function rankRow(row: RankedTalk): HTMLElement {
  const link = h('a', { href: routePath({ view: 'talk', talk: row.id }) }, row.title);
  const participation =
    row.participation === null ? '–' : `${percentText(row.participation)} of ${row.headcount}`;
  return h(
    'tr',
    { 'data-talk': row.id, ...(row.rank === null ? { class: 'unranked' } : {}) },
    cell(row.rank === null ? '–' : String(row.rank), 'rank'),
    h('td', { 'data-col': 'title' }, link),
    cell(row.speakers.join(', '), 'speakers'),
    cell(row.room.name, 'room'),
    cell(row.day, 'day'),
    cell(row.likes === null ? '?' : String(row.likes), 'likes'),
    cell(row.dislikes === null ? '?' : String(row.dislikes), 'dislikes'),
    cell(row.votes === null ? 'after the talk' : String(row.votes), 'votes'),
    cell(row.wilson === null ? '–' : row.wilson.toFixed(3), 'wilson'),
    cell(participation, 'participation'),
  );
}

/**
 * `/results`: every talk ranked by the Wilson lower bound of its share of likes (the results API's
 * order: talks under the minimum number of votes listed after, unranked), with filters by day,
 * room and format, and the CSV exports. Read again every 30 s.
 */
export class ResultsView implements View {
  readonly element: HTMLElement;
  readonly #heading = h('h1', {}, 'Results');
  readonly #selects = new Map<Filter, HTMLSelectElement>();
  readonly #body = h('tbody', {});
  readonly #status = h('p', { class: 'results-status', 'data-role': 'status' }, 'Loading…');
  readonly #csv = h(
    'a',
    { class: 'results-csv', 'data-role': 'csv' },
    'Ranking (CSV)',
  ) as HTMLAnchorElement;
  #lastRead = 0;

  constructor(private readonly context: ViewContext) {
    const form = h('form', { class: 'results-filters' });
    for (const filter of FILTERS) {
      const select = h('select', { name: filter, 'data-filter': filter }) as HTMLSelectElement;
      select.addEventListener('change', () => this.#filtersChanged());
      this.#selects.set(filter, select);
      form.append(h('label', {}, `${filter[0]?.toUpperCase()}${filter.slice(1)} `, select));
    }
    const table = h(
      'table',
      { class: 'ranking', 'data-role': 'ranking' },
      h('thead', {}, h('tr', {}, ...RANKING_HEADINGS.map((text) => h('th', {}, text)))),
      this.#body,
    );
    const votes = h('a', { href: '/api/v1/votes.csv', download: '' }, 'Every vote (CSV)');
    this.element = h(
      'main',
      { class: 'results', 'data-view': 'results' },
      h('header', { class: 'page-header' }, this.#heading, context.badge.element),
      form,
      this.#status,
      h('div', { class: 'ranking-scroll' }, table),
      h('p', { class: 'results-exports' }, this.#csv, ' · ', votes),
    );
    this.#renderFilters();
    void this.#read();
  }

  shownTalks(): string[] {
    return [];
  }

  onChange(change: LiveChange): void {
    if (change.kind === 'schedule') this.#renderFilters();
  }

  tick(): void {
    if (this.context.clock() - this.#lastRead >= REFRESH_MS) void this.#read();
  }

  #query(): string {
    const params = new URLSearchParams(location.search);
    for (const key of [...params.keys()]) if (!FILTERS.includes(key as Filter)) params.delete(key);
    return params.size === 0 ? '' : `?${params}`;
  }

  #renderFilters(): void {
    const { schedule } = this.context.state;
    setText(this.#heading, `Results${schedule === null ? '' : ` · ${schedule.name}`}`);
    const params = new URLSearchParams(location.search);
    for (const [filter, select] of this.#selects) {
      const value = params.get(filter) ?? '';
      const options = [['', `every ${filter}`], ...choices(schedule, filter)];
      if (value !== '' && !options.some(([option]) => option === value))
        options.push([value, value]);
      select.replaceChildren(
        ...options.map(([option = '', label = '']) => {
          const element = h('option', { value: option }, label) as HTMLOptionElement;
          element.selected = option === value;
          return element;
        }),
      );
    }
  }

  #filtersChanged(): void {
    const params = new URLSearchParams();
    for (const [filter, select] of this.#selects)
      if (select.value !== '') params.set(filter, select.value);
    history.replaceState(null, '', `/results${params.size === 0 ? '' : `?${params}`}`);
    void this.#read();
  }

  async #read(): Promise<void> {
    this.#lastRead = this.context.clock();
    const query = this.#query();
    this.#csv.href = `/api/v1/results.csv${query}`;
    try {
      const response = await fetch(`/api/v1/results${query}`, { cache: 'no-store' });
      const body: unknown = await response.json();
      if (!response.ok)
        throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
      const results = RankingAnswer.parse(body);
      this.#body.replaceChildren(...results.talks.map(rankRow));
      const ranked = results.talks.filter((talk) => talk.rank !== null).length;
      setText(
        this.#status,
        results.talks.length === 0
          ? 'No talks match these filters.'
          : `${ranked} talks ranked (at least ${results.minVotes} votes), ${results.talks.length - ranked} with fewer votes listed after.`,
      );
    } catch (err) {
      setText(this.#status, `The results could not be read: ${String(err)}`);
    }
  }
}
