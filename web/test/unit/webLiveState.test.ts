import type { TalkResult } from '@likebox/protocol';
import { encodePayload, type PublicVote, type Tally, topics } from '@likebox/protocol';
import { describe, expect, it } from 'vitest';
import { type LiveChange, LiveState } from '../../src/browser/liveState.js';

const EVENT = 'demo';
const AT = 1_750_000_000_000;

function setup() {
  let now = AT;
  const state = new LiveState(EVENT, () => now);
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

/** The results API's answer for talk t9 in brehat: 3 likes and 1 dislike from AT - 10 min. */
function apiResult(figures: TalkResult['figures'] = null): TalkResult {
  const opens = AT - 600_000;
  return {
    talk: {
      id: 't9',
      title: 'T9',
      speakers: [],
      room: { slug: 'brehat', name: 'Bréhat' },
      format: 'talk',
      day: '2025-06-15',
      start: opens - 600_000,
      end: opens + 2_400_000,
      opens,
      closes: opens + 3_300_000,
      iso: { start: '', end: '', opens: '', closes: '' },
      state: 'open',
    },
    hidden: false,
    figures,
    curve: {
      points: [
        { t: opens, likes: 0, dislikes: 0 },
        { t: opens + 60_000, likes: 2, dislikes: 0 },
        { t: AT - 1000, likes: 3, dislikes: 1 },
      ],
      perMinute: [],
    },
    walkOut: null,
    sealed: null,
  };
}

const FIGURES = {
  likes: 3,
  dislikes: 1,
  votes: 4,
  net: 2,
  likeShare: 0.75,
  wilson: 0.3,
  headcount: null,
  participation: null,
};

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

  it('draws a talk from its history, then extends it with the votes seen live', () => {
    // Prepare
    const live = setup();
    live.tally('brehat', { talk: 't9', likes: 3, dislikes: 1, at: AT });
    live.advance(5000);
    live.vote('brehat', { value: 1, at: AT + 5000, talk: 't9' });

    // Act
    live.state.applyHistory(apiResult(FIGURES));

    // Assess
    const talk = live.state.talk('t9');
    expect(talk).toMatchObject({ room: 'brehat', likes: 4, dislikes: 1, history: true });
    expect(talk.points).toEqual([
      { t: AT - 600_000, likes: 0, dislikes: 0 },
      { t: AT - 540_000, likes: 2, dislikes: 0 },
      { t: AT - 1000, likes: 3, dislikes: 1 },
      { t: AT, likes: 3, dislikes: 1 },
      { t: AT + 5000, likes: 4, dislikes: 1 },
    ]);
    expect(live.changes.at(-1)).toEqual({ kind: 'history', room: 'brehat', talk: 't9' });
  });

  it('takes the counts of the history until a tally arrives, and none when withheld', () => {
    // Prepare
    const counted = setup();
    const withheld = setup();

    // Act
    counted.state.applyHistory(apiResult(FIGURES));
    withheld.state.applyHistory(apiResult(null));

    // Assess
    expect(counted.state.talk('t9')).toMatchObject({ likes: 3, dislikes: 1, tallied: false });
    expect(withheld.state.talk('t9')).toMatchObject({ likes: 0, dislikes: 0, hidden: true });
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
