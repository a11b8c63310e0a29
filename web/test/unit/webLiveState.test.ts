import { encodePayload, type PublicVote, type Tally, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import {
  type LiveChange,
  LiveState,
  type TalkCounts,
  type TalkHistory,
} from '../../src/browser/liveState.js';

const EVENT = 'demo';
const AT = 1_750_000_000_000;

function setup(history: TalkHistory | null = null) {
  let now = AT;
  const state = new LiveState(EVENT, () => now, history);
  const changes: LiveChange[] = [];
  state.subscribe((change) => changes.push(change));
  return {
    state,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
    tally: (room: string, tally: Tally) =>
      state.handleMessage(topics.tally(EVENT, room), encodePayload('tally', tally)),
    vote: (room: string, vote: PublicVote) =>
      state.handleMessage(topics.votes(EVENT, room), encodePayload('votes', vote)),
  };
}

class MapHistory implements TalkHistory {
  readonly saved = new Map<string, TalkCounts>();
  load(talk: string): TalkCounts | null {
    return this.saved.get(talk) ?? null;
  }
  save(counts: TalkCounts): void {
    this.saved.set(counts.talk, structuredClone(counts));
  }
}

describe('LiveState', () => {
  it('adds votes received after a tally on top of it when the stream runs ahead', () => {
    // Prepare
    const live = setup();
    live.tally('groix', { talk: 't1', likes: 10, dislikes: 2, at: AT });

    // Act
    live.vote('groix', { value: 1, at: AT + 1, talk: 't1' });
    live.vote('groix', { value: -1, at: AT + 2, talk: 't1' });

    // Assess
    expect(live.state.room('groix').counts).toMatchObject({
      likes: 11,
      dislikes: 3,
      tallied: true,
    });
  });

  it('takes the next tally as the authority when it arrives', () => {
    // Prepare
    const live = setup();
    live.tally('groix', { talk: 't1', likes: 10, dislikes: 2, at: AT });
    live.vote('groix', { value: 1, at: AT + 1, talk: 't1' });

    // Act
    live.tally('groix', { talk: 't1', likes: 11, dislikes: 2, at: AT + 2 });

    // Assess
    expect(live.state.talk('t1')).toMatchObject({ likes: 11, dislikes: 2 });
  });

  it('records one curve point per change of the counts', () => {
    // Prepare
    const live = setup();

    // Act
    live.tally('groix', { talk: 't1', likes: 1, dislikes: 0, at: AT });
    live.advance(1000);
    live.vote('groix', { value: -1, at: AT + 1000, talk: 't1' });
    live.tally('groix', { talk: 't1', likes: 1, dislikes: 1, at: AT + 1000 });

    // Assess
    expect(live.state.talk('t1').points).toEqual([
      { t: AT, likes: 1, dislikes: 0 },
      { t: AT + 1000, likes: 1, dislikes: 1 },
    ]);
  });

  it('announces a vote outside every window without counting it', () => {
    // Prepare
    const live = setup();

    // Act
    live.vote('groix', { value: 1, at: AT, talk: null });

    // Assess
    expect(live.changes).toEqual([
      { kind: 'vote', room: 'groix', vote: { value: 1, at: AT, talk: null } },
    ]);
    expect(live.state.room('groix').counts).toBeNull();
  });

  it('counts and drops a message that breaks the contract', () => {
    // Prepare
    const live = setup();

    // Act
    live.state.handleMessage(topics.tally(EVENT, 'groix'), '{"talk":"t1","likes":-1}');
    live.state.handleMessage(topics.votes(EVENT, 'groix'), 'not json');
    live.state.handleMessage(topics.tally('other-event', 'groix'), '{}');
    live.state.handleMessage('elsewhere/topic', '{}');

    // Assess
    expect(live.state.invalid).toBe(4);
    expect(live.changes).toEqual([]);
  });

  it('restores a talk from the browser history when the page opens again', () => {
    // Prepare
    const history = new MapHistory();
    const first = setup(history);
    first.tally('brehat', { talk: 't9', likes: 3, dislikes: 1, at: AT });

    // Act
    const second = setup(history);

    // Assess
    expect(second.state.talk('t9')).toMatchObject({
      room: 'brehat',
      likes: 3,
      dislikes: 1,
      points: [{ t: AT, likes: 3, dislikes: 1 }],
    });
  });

  it('lists the schedule rooms first, then rooms only seen on the wire', () => {
    // Prepare
    const live = setup();
    live.tally('zz-hall', { talk: null, likes: 0, dislikes: 0, at: AT });

    // Act
    live.state.handleMessage(
      topics.schedule(EVENT),
      encodePayload('schedule', {
        version: 1,
        event: EVENT,
        name: 'Demo',
        timeZone: 'Europe/Paris',
        rooms: [
          { slug: 'groix', name: 'Groix' },
          { slug: 'brehat', name: 'Bréhat' },
        ],
        talks: [],
      }),
    );

    // Assess
    expect(live.state.rooms().map((room) => [room.slug, room.name])).toEqual([
      ['groix', 'Groix'],
      ['brehat', 'Bréhat'],
      ['zz-hall', 'zz-hall'],
    ]);
  });
});
