import type { RankedTalk, TalkResult } from '@likebox/protocol';
import { escapeXml } from '../curveSvg.js';
import { percentText, RANKING_HEADINGS } from '../resultsApi.js';
import { REPORT_CSS } from './reportCss.js';
import { talkSectionHtml } from './reportTalk.js';

/** What the report is made of: the ranking and every talk's result, as the results API gives them. */
export interface ReportInput {
  /** The event's display name. */
  event: string;
  /** The programme's time zone. */
  timeZone?: string;
  /** When the results were read, epoch ms. */
  generatedAt: number;
  /** Fewest votes for a rank. */
  minVotes: number;
  /** Every talk, ranked (the API's order). */
  ranking: readonly RankedTalk[];
  /** Every talk's result, by talk id. */
  talks: ReadonlyMap<string, TalkResult>;
}

/** A room's totals over the event. */
export interface RoomSummary {
  slug: string;
  name: string;
  talks: number;
  votes: number;
  likes: number;
  /** The room's best ranked talk. */
  best: RankedTalk | null;
}

/** Per-room totals, in the ranking's room order of first appearance sorted by name. */
export function roomSummaries(ranking: readonly RankedTalk[]): RoomSummary[] {
  const rooms = new Map<string, RoomSummary>();
  for (const row of ranking) {
    const { slug, name } = row.room;
    const room = rooms.get(slug) ?? { slug, name, talks: 0, votes: 0, likes: 0, best: null };
    room.talks += 1;
    room.votes += row.votes ?? 0;
    room.likes += row.likes ?? 0;
    if (row.rank !== null && (room.best === null || (room.best.rank ?? 0) > row.rank))
      room.best = row;
    rooms.set(slug, room);
  }
  return [...rooms.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function td(text: string, numeric = false): string {
  return `<td${numeric ? ' class="num"' : ''}>${escapeXml(text)}</td>`;
}

function rankingRow(row: RankedTalk): string {
  const participation =
    row.participation === null ? '–' : `${percentText(row.participation)} of ${row.headcount}`;
  const link = `<a href="#talk-${escapeXml(encodeURIComponent(row.id))}">${escapeXml(row.title)}</a>`;
  return [
    `<tr${row.rank === null ? ' class="unranked"' : ''}>`,
    td(row.rank === null ? '–' : String(row.rank), true),
    `<td>${link}</td>`,
    td(row.speakers.join(', ')),
    td(row.room.name),
    td(row.day),
    td(String(row.likes ?? '–'), true),
    td(String(row.dislikes ?? '–'), true),
    td(String(row.votes ?? '–'), true),
    td(row.wilson === null ? '–' : row.wilson.toFixed(3), true),
    td(participation),
    '</tr>',
  ].join('');
}

function roomsTable(rooms: readonly RoomSummary[]): string {
  const rows = rooms.map((room) =>
    [
      '<tr>',
      td(room.name),
      td(String(room.talks), true),
      td(String(room.votes), true),
      td(percentText(room.votes === 0 ? null : room.likes / room.votes), true),
      td(room.best === null ? '–' : room.best.title),
      '</tr>',
    ].join(''),
  );
  return `<table><thead><tr><th>Room</th><th>Talks</th><th>Votes</th><th>Liked</th><th>Best ranked talk</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * The post-event report as one self-contained HTML document (no external file, script or font:
 * it opens from a USB stick or an e-mail): the ranking, per-room summaries, then one section per
 * talk with its curve as inline SVG. Printed by Chromium to `report.pdf`, each talk starts a page.
 */
export function reportHtml(input: ReportInput): string {
  const votes = input.ranking.reduce((sum, row) => sum + (row.votes ?? 0), 0);
  const ranked = input.ranking.filter((row) => row.rank !== null).length;
  const generated = new Date(input.generatedAt).toISOString().replace('T', ' ').slice(0, 16);
  const sections = input.ranking.flatMap((row) => {
    const result = input.talks.get(row.id);
    return result === undefined ? [] : [talkSectionHtml(result, row.rank, input.timeZone)];
  });
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeXml(input.event)} · LikeBox report</title>`,
    `<style>${REPORT_CSS}</style></head><body>`,
    `<header><h1>${escapeXml(input.event)}: results</h1>`,
    `<p class="muted">LikeBox report, ${generated} UTC. ${input.ranking.length} talks, ${votes} votes; ${ranked} talks ranked by the Wilson lower bound (95 %) of their share of likes, with at least ${input.minVotes} votes. Participation = votes ÷ headcount, never part of the score.</p></header>`,
    '<h2>Ranking</h2>',
    `<table class="ranking"><thead><tr>${RANKING_HEADINGS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>`,
    input.ranking.map(rankingRow).join(''),
    '</tbody></table>',
    '<h2>Rooms</h2>',
    roomsTable(roomSummaries(input.ranking)),
    sections.join(''),
    '</body></html>',
  ].join('');
}
