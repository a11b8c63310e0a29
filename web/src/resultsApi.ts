import { z } from 'zod';

/*
 * The shapes of the event server's results API (`/api/v1/...`, issue 16) as the pages and
 * `likebox report` read them. Objects are not strict: a field the API adds later is ignored, a
 * field these readers need and do not get is an error they report.
 */

const Count = z.int().min(0);
const Share = z.number().min(0).max(1).nullable();

/** One point of a talk's cumulative curve. */
export const CurvePointSchema = z.object({
  /** Epoch ms. */
  t: z.number(),
  /** Likes counted at `t`. */
  likes: Count,
  /** Dislikes counted at `t`. */
  dislikes: Count,
});

/** A talk's figures; withheld ones (counts hidden until the window closes) are null or absent. */
export const FiguresSchema = z.object({
  likes: Count,
  dislikes: Count,
  votes: Count,
  net: z.int(),
  likeShare: Share,
  /** Wilson lower bound (95 %) of the share of likes. */
  wilson: Share,
  headcount: Count.nullable(),
  /** votes ÷ headcount. */
  participation: z.number().min(0).nullable(),
});

/** `GET /api/v1/talks/{talk}`. */
export const TalkResultSchema = z.object({
  talk: z.object({
    id: z.string(),
    title: z.string(),
    speakers: z.array(z.string()),
    room: z.object({ slug: z.string(), name: z.string() }),
    format: z.string().nullable().optional(),
    /** `YYYY-MM-DD` in the programme's time zone. */
    day: z.string(),
    start: z.number(),
    end: z.number(),
    opens: z.number(),
    closes: z.number(),
    state: z.enum(['upcoming', 'open', 'closed']),
  }),
  /** Counts withheld while the talk runs (`LIKEBOX_SHOW_COUNTS=after-close`). */
  hidden: z.boolean().optional(),
  /** Null while the counts are hidden. */
  figures: FiguresSchema.nullable(),
  curve: z
    .object({
      points: z.array(CurvePointSchema),
      perMinute: z.array(CurvePointSchema),
    })
    .nullable(),
  walkOut: z
    .object({
      bins: z.array(z.object({ minute: z.int(), likes: Count, dislikes: Count })),
      beforeEnd: Count,
    })
    .nullable(),
  sealed: z.object({ digest: z.string(), at: z.number() }).nullable().optional(),
});

/** One row of `GET /api/v1/results`. */
export const RankedTalkSchema = z.object({
  /** 1-based rank, or null below the minimum number of votes. */
  rank: z.int().min(1).nullable(),
  id: z.string(),
  title: z.string(),
  speakers: z.array(z.string()),
  room: z.union([z.string(), z.object({ slug: z.string(), name: z.string() })]),
  day: z.string(),
  start: z.number(),
  format: z.string().nullable().optional(),
  /** Counts withheld while the talk runs: likes, dislikes and votes are then null. */
  hidden: z.boolean().optional(),
  likes: Count.nullable(),
  dislikes: Count.nullable(),
  votes: Count.nullable(),
  wilson: Share,
  headcount: Count.nullable(),
  participation: z.number().min(0).nullable(),
});

/** `GET /api/v1/results`. */
export const ResultsSchema = z.object({
  minVotes: Count,
  generatedAt: z.union([z.number(), z.string()]),
  talks: z.array(RankedTalkSchema),
});

/** A talk's result as the API gives it. */
export type TalkResult = z.infer<typeof TalkResultSchema>;
/** A talk's figures. */
export type Figures = z.infer<typeof FiguresSchema>;
/** One point of a cumulative curve. */
export type ResultPoint = z.infer<typeof CurvePointSchema>;
/** One row of the ranking. */
export type RankedTalk = z.infer<typeof RankedTalkSchema>;
/** The ranking. */
export type Results = z.infer<typeof ResultsSchema>;

/** The room of a ranking row as `{ slug, name }` (the API may give the slug alone). */
export function rankedRoom(row: RankedTalk): { slug: string; name: string } {
  return typeof row.room === 'string' ? { slug: row.room, name: row.room } : row.room;
}

/** `/api/v1/talks/{talk}` of a talk id. */
export function talkResultPath(talk: string): string {
  return `/api/v1/talks/${encodeURIComponent(talk)}`;
}

/** The ranking's column headings, the same on `/results` and in the report. */
export const RANKING_HEADINGS = [
  '#',
  'Talk',
  'Speakers',
  'Room',
  'Day',
  '+1',
  '−1',
  'Votes',
  'Wilson',
  'Participation',
] as const;

/** A share 0..1 as `83 %`, or a dash. */
export function percentText(share: number | null | undefined): string {
  return share === null || share === undefined ? '–' : `${Math.round(share * 100)} %`;
}
