import type { TalkResult } from '@likebox/protocol';
import { curveSvg, escapeXml, SVG_THEMES } from '../curveSvg.js';
import { percentText } from '../resultsApi.js';
import { walkOutSvg } from '../walkOutSvg.js';

/** `14:00–14:45` of a talk in its programme's zone. */
export function timeRange(start: number, end: number, timeZone?: string): string {
  const format = (at: number) => {
    const options: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    };
    try {
      return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(new Date(at));
    } catch {
      return new Intl.DateTimeFormat('en-GB', options).format(new Date(at));
    }
  };
  return `${format(start)}–${format(end)}`;
}

function figure(label: string, value: string): string {
  return `<div class="figure"><dt>${escapeXml(label)}</dt><dd>${escapeXml(value)}</dd></div>`;
}

function figuresHtml(result: TalkResult): string {
  const f = result.figures;
  if (f === null) return '<p class="muted">Counts withheld while the talk runs.</p>';
  const participation =
    f.participation === null ? 'no headcount' : `${percentText(f.participation)} of ${f.headcount}`;
  return [
    '<dl class="figures">',
    figure('Likes', String(f.likes)),
    figure('Dislikes', String(f.dislikes)),
    figure('Votes', String(f.votes)),
    figure('Liked', percentText(f.likeShare)),
    figure('Wilson score', f.wilson === null ? '–' : f.wilson.toFixed(3)),
    figure('Participation', participation),
    figure('Left before the end', String(result.walkOut?.beforeEnd ?? '–')),
    '</dl>',
  ].join('');
}

/**
 * One talk's section of the report: title, speakers, room, day and time, rank, figures, its curve
 * and walk-out view as inline SVG (light theme, for paper), and its sealed digest. Starts a new
 * page when printed.
 */
export function talkSectionHtml(
  result: TalkResult,
  rank: number | null,
  timeZone?: string,
): string {
  const { talk } = result;
  const light = SVG_THEMES.light;
  const curve = curveSvg(result.curve?.points ?? [], {
    opens: talk.opens,
    closes: talk.closes,
    end: talk.end,
    width: 720,
    height: 260,
    ...(timeZone === undefined ? {} : { timeZone }),
    theme: light,
    title: `Cumulative likes and dislikes of ${talk.title}`,
  });
  const walkOut =
    result.walkOut === null
      ? ''
      : `<h3>When people voted (minutes since the start)</h3>${walkOutSvg(result.walkOut.bins, {
          duration: Math.round((talk.end - talk.start) / 60_000),
          width: 720,
          height: 170,
          theme: light,
          title: `Votes by minute of ${talk.title}`,
        })}`;
  const sealed =
    result.sealed === null || result.sealed === undefined
      ? ''
      : `<p class="muted small">Sealed result: SHA-256 <code>${escapeXml(result.sealed.digest)}</code></p>`;
  const speakers = talk.speakers.length === 0 ? '' : `${talk.speakers.join(', ')} · `;
  return [
    `<section class="talk" id="talk-${escapeXml(encodeURIComponent(talk.id))}" data-talk="${escapeXml(talk.id)}">`,
    `<p class="muted">${rank === null ? 'Unranked' : `Rank ${rank}`}</p>`,
    `<h2>${escapeXml(talk.title)}</h2>`,
    `<p>${escapeXml(speakers)}${escapeXml(talk.room.name)} · ${escapeXml(talk.day)} · ${timeRange(talk.start, talk.end, timeZone)}${talk.format ? ` · ${escapeXml(talk.format)}` : ''}</p>`,
    figuresHtml(result),
    `<h3>Likes and dislikes over the vote window</h3>${curve}`,
    walkOut,
    sealed,
    '</section>',
  ].join('');
}
