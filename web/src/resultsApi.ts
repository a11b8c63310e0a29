/*
 * What the pages and `likebox report` share about the event server's results API (`/api/v1/...`,
 * issue 16). The answers' shapes are `@likebox/protocol`'s (`TalkResultAnswer`, `RankingAnswer`…),
 * the ones the ingest builds.
 */

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
