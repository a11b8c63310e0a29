import type {
  Schedule,
  ScheduleIndex,
  SealView,
  Talk,
  TalkInfo,
  TalkResult,
  TalkSummary,
} from '@likebox/protocol';
import { curveOf, figuresOf, perMinute, walkOutOf } from './resultsMath.js';
import type { ResultsStore, StoredHeadcount } from './resultsStore.js';
import { talkInfo } from './talkView.js';

/** A sealed result as last published (the API's `sealed`); the seals keep one per talk. */
export type { SealView };

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
  /** Counted votes per talk, loaded once from the journal then kept up to date vote by vote. */
  #live: Map<string, { likes: number; dislikes: number }> | undefined;
  /** Every vote per talk (organisers' `raw`), kept while no row of the journal changed. */
  #raw: { key: number; counts: Map<string, { likes: number; dislikes: number }> } | undefined;

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

  /**
   * Counts a vote just stored with a null flag (the ingest calls it for each one), so the ranking
   * never reads the whole journal again: one pass over 1,000,000 votes takes several times a
   * `count(*)`, a ranking request between two votes would pay it each time (bench/results.ts).
   */
  countVote(talk: string, value: number): void {
    const counts = this.#live?.get(talk) ?? { likes: 0, dislikes: 0 };
    if (value > 0) counts.likes += 1;
    else counts.dislikes += 1;
    this.#live?.set(talk, counts);
  }

  /** Forgets the counts: a module that changes votes (a misuse flag) calls it; read again next time. */
  recount(): void {
    this.#live = undefined;
  }

  #headcounts(): Map<string, StoredHeadcount> {
    return this.#o.store.headcounts(this.#o.event);
  }

  #load(raw: boolean): Map<string, { likes: number; dislikes: number }> {
    const rows = this.#o.store.counts(this.#o.event, raw);
    return new Map(rows.map((row) => [row.talk, { likes: row.likes, dislikes: row.dislikes }]));
  }

  /** Every talk's counts: counted votes kept live; raw ones read again after any change. */
  #counts(raw: boolean): Map<string, { likes: number; dislikes: number }> {
    if (!raw) {
      this.#live ??= this.#load(false);
      return this.#live;
    }
    const key = this.#o.store.changes();
    if (this.#raw?.key !== key) this.#raw = { key, counts: this.#load(true) };
    return this.#raw.counts;
  }
}
