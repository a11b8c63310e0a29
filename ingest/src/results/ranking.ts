import type { RankedTalk, TalkSummary } from '@likebox/protocol';

/** Filters of the ranking (`GET /api/v1/results?day=&room=&format=&min=`). */
export interface RankingQuery {
  /** `YYYY-MM-DD` in the schedule's zone. */
  day?: string | undefined;
  /** Room slug. */
  room?: string | undefined;
  /** Talk format, case-insensitive. */
  format?: string | undefined;
  /** Fewest votes for a rank. */
  min: number;
}

/** True when `talk` passes the filters of `query`. */
export function matches(query: RankingQuery, talk: TalkSummary): boolean {
  if (query.day !== undefined && talk.day !== query.day) return false;
  if (query.room !== undefined && talk.room.slug !== query.room) return false;
  return query.format === undefined || talk.format.toLowerCase() === query.format.toLowerCase();
}

function byScore(a: TalkSummary, b: TalkSummary): number {
  const fa = a.figures;
  const fb = b.figures;
  return (
    (fb?.wilson ?? -1) - (fa?.wilson ?? -1) ||
    (fb?.votes ?? -1) - (fa?.votes ?? -1) ||
    a.start - b.start ||
    (a.id < b.id ? -1 : 1)
  );
}

/**
 * The ranking: talks with at least `min` votes by Wilson lower bound (descending), ties by votes
 * (more first), then start; the others after, unranked, in the same order. The headcount and
 * participation are columns only: never part of the score.
 */
export function rank(talks: readonly TalkSummary[], min: number): RankedTalk[] {
  const ranked = talks.filter((t) => !t.hidden && (t.figures?.votes ?? 0) >= min).sort(byScore);
  const rest = talks.filter((t) => t.hidden || (t.figures?.votes ?? 0) < min).sort(byScore);
  const row = (t: TalkSummary, position: number | null): RankedTalk => ({
    rank: position,
    ...{ id: t.id, title: t.title, speakers: t.speakers, room: t.room, day: t.day },
    ...{ start: t.start, format: t.format, hidden: t.hidden },
    likes: t.figures?.likes ?? null,
    dislikes: t.figures?.dislikes ?? null,
    votes: t.figures?.votes ?? null,
    wilson: t.figures?.wilson ?? null,
    headcount: t.figures?.headcount ?? null,
    participation: t.figures?.participation ?? null,
  });
  return [...ranked.map((t, i) => row(t, i + 1)), ...rest.map((t) => row(t, null))];
}
