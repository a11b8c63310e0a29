import type { Schedule, ScheduleIndex, Talk } from '@likebox/protocol';
import {
  type CountsAt,
  curveOf,
  type Figures,
  figuresOf,
  perMinute,
  type WalkOutBin,
  walkOutOf,
} from './resultsMath.js';
import type { ResultsStore, StoredHeadcount } from './resultsStore.js';
import { type TalkInfo, talkInfo } from './talkView.js';

/** Whether an open talk's counts may be shown: `live` always, `after-close` once it closed. */
export type ShowCounts = 'live' | 'after-close';

/** Who asks: the public, or an organiser (sees open talks' counts, and `raw` flagged votes). */
export interface Viewer {
  /** An authenticated organiser. */
  organiser: boolean;
  /** Include the votes set aside as likely misuse (organisers only). */
  raw: boolean;
}

/** The public: counted votes, counts policy applied. */
export const PUBLIC: Viewer = { organiser: false, raw: false };

/** A sealed result as last published. */
export interface SealView {
  /** Hex SHA-256 (see `ResultPayload`). */
  digest: string;
  /** The instant it covers, epoch ms. */
  at: number;
}

/** `GET /api/v1/talks/{talk}`. */
export interface TalkResult {
  talk: TalkInfo;
  /** Counts withheld: the talk's window is open and `LIKEBOX_SHOW_COUNTS=after-close`. */
  hidden: boolean;
  figures: Figures | null;
  curve: { points: CountsAt[]; perMinute: CountsAt[] } | null;
  walkOut: { bins: WalkOutBin[]; beforeEnd: number } | null;
  sealed: SealView | null;
}

/** A talk with its figures, in a room's day or the ranking. */
export interface TalkSummary extends TalkInfo {
  /** Counts withheld (see {@link TalkResult.hidden}). */
  hidden: boolean;
  /** Figures, or null while hidden. */
  figures: Figures | null;
}

/** Options of {@link Results}. */
export interface ResultsOptions {
  /** Event slug. */
  event: string;
  /** The journal's read side. */
  store: ResultsStore;
  /** The live schedule (delays folded in), or undefined without one. */
  index: () => ScheduleIndex | undefined;
  /** Counts policy. */
  showCounts: ShowCounts;
  /** The last seal of a talk. */
  seal: (talk: string) => SealView | undefined;
  /** Clock. */
  now?: () => number;
}

/**
 * A talk's results, a room's day and every talk's figures, from the journal (counted votes only,
 * unless an organiser asks for raw) and the live schedule. Works without InfluxDB.
 */
export class Results {
  readonly #o: ResultsOptions;
  #cache: { key: string; counts: Map<string, { likes: number; dislikes: number }> } | undefined;

  constructor(options: ResultsOptions) {
    this.#o = options;
  }

  /** The schedule in use, or undefined. */
  get schedule(): Schedule | undefined {
    return this.#o.index()?.schedule;
  }

  /** The schedule's talk `id`, or undefined. */
  findTalk(id: string): Talk | undefined {
    return this.schedule?.talks.find((talk) => talk.id === id);
  }

  #hidden(info: TalkInfo, viewer: Viewer): boolean {
    return this.#o.showCounts === 'after-close' && info.state === 'open' && !viewer.organiser;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  /** One talk's figures, curve and walk-out view; undefined when the schedule has no such talk. */
  talk(id: string, viewer: Viewer = PUBLIC): TalkResult | undefined {
    const schedule = this.schedule;
    const talk = this.findTalk(id);
    if (schedule === undefined || talk === undefined) return undefined;
    const info = talkInfo(schedule, talk, this.#now());
    const sealed = this.#o.seal(id) ?? null;
    if (this.#hidden(info, viewer)) {
      return { talk: info, hidden: true, figures: null, curve: null, walkOut: null, sealed };
    }
    const votes = this.#o.store.talkVotes(this.#o.event, id, viewer.raw);
    let likes = 0;
    for (const vote of votes) if (vote.value > 0) likes += 1;
    const headcount = this.#headcounts().get(id)?.count ?? null;
    return {
      talk: info,
      hidden: false,
      figures: figuresOf(likes, votes.length - likes, headcount),
      curve: { points: curveOf(votes, info.opens), perMinute: perMinute(votes) },
      walkOut: walkOutOf(votes, info.start, info.end),
      sealed,
    };
  }

  /** Every votable talk with its figures, in start order (filter with `keep`). */
  summaries(viewer: Viewer = PUBLIC, keep: (info: TalkInfo) => boolean = () => true) {
    const schedule = this.schedule;
    if (schedule === undefined) return [];
    const counts = this.#counts(viewer.raw);
    const headcounts = this.#headcounts();
    const now = this.#now();
    const out: TalkSummary[] = [];
    for (const talk of schedule.talks) {
      if (!talk.votable) continue;
      const info = talkInfo(schedule, talk, now);
      if (!keep(info)) continue;
      const hidden = this.#hidden(info, viewer);
      const c = counts.get(talk.id) ?? { likes: 0, dislikes: 0 };
      const headcount = headcounts.get(talk.id)?.count ?? null;
      const figures = hidden ? null : figuresOf(c.likes, c.dislikes, headcount);
      out.push({ ...info, hidden, figures });
    }
    return out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
  }

  #headcounts(): Map<string, StoredHeadcount> {
    return this.#o.store.headcounts(this.#o.event);
  }

  /**
   * Every talk's counts: one pass over the journal's talk index, kept while no row of the journal
   * changed (a ranking asked for again between two votes costs nothing).
   */
  #counts(raw: boolean): Map<string, { likes: number; dislikes: number }> {
    const key = `${raw}:${this.#o.store.changes()}`;
    if (this.#cache?.key === key) return this.#cache.counts;
    const counts = new Map(
      this.#o.store.counts(this.#o.event, raw).map((row) => [row.talk, row] as const),
    );
    this.#cache = { key, counts };
    return counts;
  }
}
