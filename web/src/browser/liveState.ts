import {
  decodePayload,
  type Now,
  type PublicVote,
  parseTopic,
  type Schedule,
  type Talk,
  type TalkResult,
  type Tally,
} from '@likebox/protocol';

/** One point of a talk's cumulative curve. */
export interface CurvePoint {
  /** When the page saw the change, epoch ms (server clock). */
  t: number;
  /** Likes counted at `t`. */
  likes: number;
  /** Dislikes counted at `t`. */
  dislikes: number;
}

/** What the page knows of one talk's votes. */
export interface TalkCounts {
  /** Talk id. */
  talk: string;
  /** Room slug ('' while unknown). */
  room: string;
  likes: number;
  dislikes: number;
  /** True once a retained tally of the ingest confirmed the counts (false: only votes seen live). */
  tallied: boolean;
  /** True when the server withholds the counts until the talk's window closes. */
  hidden: boolean;
  /** True once the talk's history came from the results API. */
  history: boolean;
  /** The cumulative curve: the API's history from the window's opening, then what this page saw live. */
  points: CurvePoint[];
}

/** What the page knows of one room. */
export interface RoomSnapshot {
  /** Room slug. */
  slug: string;
  /** Display name: from `now`, else the schedule, else the slug. */
  name: string;
  /** The retained `now` of the room, or null before it arrived. */
  now: Now | null;
  /** The talk whose counts the room shows: the current one, else the last tallied one. */
  counts: TalkCounts | null;
}

/** A change the views react to. */
export type LiveChange =
  | { kind: 'schedule' }
  | { kind: 'room'; room: string }
  | { kind: 'vote'; room: string; vote: PublicVote }
  | { kind: 'history'; room: string; talk: string };

/** Points kept per talk; beyond, every other old point is dropped (the curve keeps its shape). */
const MAX_POINTS = 4000;

interface TalkLive extends TalkCounts {
  /** Counts of the last tally; votes received since are added on top. */
  base: { likes: number; dislikes: number };
  pending: { likes: number; dislikes: number };
}

interface RoomLive {
  now: Now | null;
  /** Talk of the last tally received for the room. */
  talliedTalk: string | null;
}

/**
 * The live state of one event, fed with raw MQTT messages. Pure: no DOM and no network, so it is
 * unit-tested in Node.
 *
 * Counts: the retained `tally` is the authority; each vote of the public stream received after it
 * is added on top at once (the page reacts within the second), and the next tally replaces the
 * sum. This relies on the ingest publishing a vote before the tally that counts it, which one MQTT
 * connection preserves.
 */
export class LiveState {
  schedule: Schedule | null = null;
  /** Messages dropped because their topic or payload broke the contract. */
  invalid = 0;
  readonly #rooms = new Map<string, RoomLive>();
  readonly #talks = new Map<string, TalkLive>();
  readonly #listeners = new Set<(change: LiveChange) => void>();

  constructor(
    readonly event: string,
    private readonly clock: () => number,
  ) {}

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: (change: LiveChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Feeds one MQTT message; a message off the contract is counted in `invalid` and dropped. */
  handleMessage(topic: string, payload: Uint8Array | string): void {
    const change = this.#apply(topic, payload);
    if (change === null) this.invalid += 1;
    else if (change !== undefined) for (const listener of this.#listeners) listener(change);
  }

  /** Applies a message: the change it made, null when invalid, undefined when nothing to show. */
  #apply(topic: string, payload: Uint8Array | string): LiveChange | null | undefined {
    const parsed = parseTopic(topic);
    if (parsed === null || parsed.event !== this.event) return null;
    if (parsed.kind === 'schedule') {
      const decoded = decodePayload('schedule', payload);
      if (!decoded.success) return null;
      this.schedule = decoded.data;
      return { kind: 'schedule' };
    }
    if (!('room' in parsed)) return null;
    const { room } = parsed;
    switch (parsed.kind) {
      case 'now': {
        const decoded = decodePayload('now', payload);
        if (!decoded.success) return null;
        this.#room(room).now = decoded.data;
        return { kind: 'room', room };
      }
      case 'tally': {
        const decoded = decodePayload('tally', payload);
        if (!decoded.success) return null;
        this.#applyTally(room, decoded.data);
        return { kind: 'room', room };
      }
      case 'votes': {
        const decoded = decodePayload('votes', payload);
        if (!decoded.success) return null;
        this.#applyVote(room, decoded.data);
        return { kind: 'vote', room, vote: decoded.data };
      }
      default:
        // `delay` carries nothing the page shows (its effect arrives in `schedule` and `now`).
        return undefined;
    }
  }

  /** Every room: the schedule's in its order, then rooms only seen on the wire, by slug. */
  rooms(): RoomSnapshot[] {
    const slugs = (this.schedule?.rooms ?? []).map((room) => room.slug);
    const extra = [...this.#rooms.keys()].filter((slug) => !slugs.includes(slug)).sort();
    return [...slugs, ...extra].map((slug) => this.room(slug));
  }

  /** One room, known or not. */
  room(slug: string): RoomSnapshot {
    const live = this.#rooms.get(slug);
    const now = live?.now ?? null;
    const name =
      now?.roomName ?? this.schedule?.rooms.find((room) => room.slug === slug)?.name ?? slug;
    const shown = now?.talk?.id ?? live?.talliedTalk ?? null;
    return { slug, name, now, counts: shown === null ? null : this.talk(shown, slug) };
  }

  /** The counts of a talk (zero when nothing was seen); `room` is only a fallback for its room. */
  talk(id: string, room = ''): TalkCounts {
    return this.#talk(id, room);
  }

  /** The talk as the schedule describes it, if the schedule is known and has it. */
  scheduledTalk(id: string): Talk | null {
    return this.schedule?.talks.find((talk) => talk.id === id) ?? null;
  }

  #room(slug: string): RoomLive {
    let room = this.#rooms.get(slug);
    if (room === undefined) {
      room = { now: null, talliedTalk: null };
      this.#rooms.set(slug, room);
    }
    return room;
  }

  #talk(id: string, room: string): TalkLive {
    let talk = this.#talks.get(id);
    if (talk === undefined) {
      talk = {
        talk: id,
        room: this.scheduledTalk(id)?.room ?? room,
        likes: 0,
        dislikes: 0,
        tallied: false,
        hidden: false,
        history: false,
        points: [],
        base: { likes: 0, dislikes: 0 },
        pending: { likes: 0, dislikes: 0 },
      };
      this.#talks.set(id, talk);
    } else if (talk.room === '') {
      // Created before the schedule or a tally said where the talk is.
      talk.room = this.scheduledTalk(id)?.room ?? room;
    }
    return talk;
  }

  #applyTally(room: string, tally: Tally): void {
    const live = this.#room(room);
    live.talliedTalk = tally.talk;
    if (tally.talk === null) return;
    const talk = this.#talk(tally.talk, room);
    talk.hidden = tally.hidden === true;
    talk.base = { likes: tally.likes, dislikes: tally.dislikes };
    talk.pending = { likes: 0, dislikes: 0 };
    talk.tallied = true;
    this.#record(talk);
  }

  #applyVote(room: string, vote: PublicVote): void {
    if (vote.talk === null) return;
    const talk = this.#talk(vote.talk, room);
    if (vote.value === 1) talk.pending.likes += 1;
    else talk.pending.dislikes += 1;
    this.#record(talk);
  }

  #record(talk: TalkLive): void {
    const likes = talk.base.likes + talk.pending.likes;
    const dislikes = talk.base.dislikes + talk.pending.dislikes;
    const changed = likes !== talk.likes || dislikes !== talk.dislikes;
    talk.likes = likes;
    talk.dislikes = dislikes;
    if (!changed && talk.points.length > 0) return;
    talk.points.push({ t: this.clock(), likes, dislikes });
    if (talk.points.length > MAX_POINTS) {
      const last = talk.points.length - 1;
      talk.points = talk.points.filter((_, index) => index % 2 === 0 || index === last);
    }
  }

  /**
   * Puts a talk's history from the results API under what the page saw live: the curve becomes the
   * API's points from the window's opening, then the live points after the API's last one. The
   * retained tally stays the authority for the counts; before one arrived the API's figures are the
   * counts (votes seen live before the answer are in them). Null figures: counts withheld.
   */
  applyHistory(result: TalkResult): void {
    const talk = this.#talk(result.talk.id, result.talk.room.slug);
    talk.history = true;
    talk.hidden = result.hidden === true || result.figures === null;
    const points = [...(result.curve?.points ?? [])].sort((a, b) => a.t - b.t);
    const until = points.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
    talk.points = [...points, ...talk.points.filter((point) => point.t > until)];
    if (!talk.tallied && result.figures !== null) {
      talk.base = { likes: result.figures.likes, dislikes: result.figures.dislikes };
      talk.pending = { likes: 0, dislikes: 0 };
      talk.likes = talk.base.likes;
      talk.dislikes = talk.base.dislikes;
    }
    const change: LiveChange = { kind: 'history', room: talk.room, talk: talk.talk };
    for (const listener of this.#listeners) listener(change);
  }
}
