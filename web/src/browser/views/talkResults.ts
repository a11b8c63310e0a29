/// <reference lib="dom" />
import type { TalkResult } from '@likebox/protocol';
import { percentText } from '../../resultsApi.js';
import { talkCardSvg } from '../../talkCard.js';
import { walkOutSvg } from '../../walkOutSvg.js';
import { h } from '../dom.js';

/** `Friday 12 June 2026` of a `YYYY-MM-DD` day. */
export function longDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(date);
}

function row(label: string, value: string, role: string): HTMLElement {
  return h('div', { class: 'figure' }, h('dt', {}, label), h('dd', { 'data-figure': role }, value));
}

/** The figures of a closed talk as a definition list. */
function figuresList(result: TalkResult): HTMLElement {
  const figures = result.figures;
  if (figures === null) return h('p', { class: 'talk-note' }, 'Results after the talk.');
  const participation =
    figures.participation === null
      ? 'no headcount'
      : `${percentText(figures.participation)} of ${figures.headcount} people`;
  return h(
    'dl',
    { class: 'figures', 'data-role': 'figures' },
    row('Votes', String(figures.votes), 'votes'),
    row('Liked', percentText(figures.likeShare), 'like-share'),
    row('Wilson score', figures.wilson === null ? '–' : figures.wilson.toFixed(3), 'wilson'),
    row('Participation', participation, 'participation'),
    row(
      'Left before the end',
      result.walkOut === null ? '–' : String(result.walkOut.beforeEnd),
      'before-end',
    ),
  );
}

/** The speaker card of a talk as a download link (an SVG made in this browser). */
function cardLink(result: TalkResult, event: string, timeZone?: string): HTMLElement {
  const figures = result.figures;
  const svg = talkCardSvg({
    title: result.talk.title,
    speakers: result.talk.speakers,
    room: result.talk.room.name,
    day: result.talk.day,
    event,
    opens: result.talk.opens,
    closes: result.talk.closes,
    end: result.talk.end,
    ...(timeZone === undefined ? {} : { timeZone }),
    likes: figures?.likes ?? 0,
    dislikes: figures?.dislikes ?? 0,
    wilson: figures?.wilson ?? null,
    points: result.curve?.points ?? [],
  });
  return h(
    'a',
    {
      class: 'card-download',
      'data-role': 'card',
      download: `likebox-${result.talk.id.replace(/[^\w.-]+/g, '_')}.svg`,
      href: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
    },
    'Download the speaker card (SVG)',
  );
}

/**
 * A closed talk's results under its curve on `/talks/{talk}`: figures, the walk-out view (votes
 * by minute since the start) and the speaker card. Drawn from the results API's answer.
 */
export function talkResultsSection(
  result: TalkResult,
  event: string,
  timeZone?: string,
): HTMLElement {
  const duration = Math.round((result.talk.end - result.talk.start) / 60_000);
  const walkOut = h('div', { class: 'walk-out', 'data-role': 'walk-out' });
  if (result.walkOut !== null) {
    // Our own SVG string (every text escaped by walkOutSvg), not user HTML.
    walkOut.innerHTML = walkOutSvg(result.walkOut.bins, {
      duration,
      title: 'Votes by minute since the start',
    });
  }
  return h(
    'section',
    { class: 'talk-results', 'data-role': 'results' },
    h('h2', {}, 'Results'),
    figuresList(result),
    h('h3', {}, 'When people voted (minutes since the start)'),
    walkOut,
    cardLink(result, event, timeZone),
  );
}
