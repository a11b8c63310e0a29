import type { RankedTalk, TalkResult } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { reportHtml, roomSummaries } from '../../src/report/reportHtml.js';

const START = Date.UTC(2026, 5, 12, 8, 0);

function row(id: string, rank: number | null, room: string, likes: number, dislikes: number) {
  return {
    ...{ rank, id, title: `Talk <${id}>`, speakers: ['Ada & Grace'], day: '2026-06-12' },
    ...{ room: { slug: room, name: room.toUpperCase() }, start: START, format: 'talk' },
    hidden: false,
    ...{ likes, dislikes, votes: likes + dislikes, wilson: 0.5, headcount: 20 },
    participation: (likes + dislikes) / 20,
  } satisfies RankedTalk;
}

const iso = (ms: number) => new Date(ms).toISOString();

function result(ranked: RankedTalk): TalkResult {
  return {
    talk: {
      ...{ id: ranked.id, title: ranked.title, speakers: ranked.speakers, day: ranked.day },
      ...{ room: { slug: 'amphi', name: 'AMPHI' }, format: 'talk', state: 'closed' },
      ...{ start: START, end: START + 2_700_000, opens: START, closes: START + 3_600_000 },
      iso: {
        start: iso(START),
        end: iso(START + 2_700_000),
        opens: iso(START),
        closes: iso(START + 3_600_000),
      },
    },
    hidden: false,
    figures: {
      ...{ likes: ranked.likes ?? 0, dislikes: ranked.dislikes ?? 0, votes: ranked.votes ?? 0 },
      ...{ net: 0, likeShare: 0.5, wilson: 0.5, headcount: 20, participation: 0.5 },
    },
    curve: { points: [{ t: START, likes: 0, dislikes: 0 }], perMinute: [] },
    walkOut: { bins: [{ minute: 30, likes: 1, dislikes: 1 }], beforeEnd: 2 },
    sealed: { digest: 'ab'.repeat(32), at: START },
  };
}

describe('reportHtml', () => {
  it('writes the ranking, the rooms and one section per talk, escaped and self-contained', () => {
    // Prepare
    const ranking = [row('a', 1, 'amphi', 9, 1), row('b', null, 'lab', 1, 0)];

    // Act
    const html = reportHtml({
      event: 'Conf & Co',
      timeZone: 'Europe/Paris',
      generatedAt: START,
      minVotes: 3,
      ranking,
      talks: new Map(ranking.map((talk) => [talk.id, result(talk)])),
    });

    // Assess
    expect(html.match(/<section class="talk"/g)).toHaveLength(2);
    expect(html).toContain('<h1>Conf &amp; Co: results</h1>');
    expect(html).toContain('Talk &lt;a&gt;');
    expect(html).not.toContain('<a>');
    expect(html).toContain('50 % of 20');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(script|link|img)\b/);
  });

  it('sums each room and names its best ranked talk', () => {
    // Act
    const rooms = roomSummaries([row('a', 2, 'amphi', 9, 1), row('c', 1, 'amphi', 3, 0)]);

    // Assess
    expect(rooms).toEqual([
      expect.objectContaining({ slug: 'amphi', talks: 2, votes: 13, likes: 12 }),
    ]);
    expect(rooms[0]?.best?.id).toBe('c');
  });
});
