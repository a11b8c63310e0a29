import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_RULE, ScheduleIndex, voteWindow, windowRule } from '../../src/index.js';
import { at, breizhcamp2015 } from '../support/breizhcamp2015.js';

const MINUTE = 60_000;

describe('voteWindow', () => {
  it('opens 10 min after the start and closes 15 min after the end by default', () => {
    // Prepare
    const schedule = breizhcamp2015();
    const storm = schedule.talks.find((t) => t.id === 'VUJ-5031'); // Belle-Ile, 10/06 18:00–18:25

    // Act
    const window = voteWindow(schedule, storm!);

    // Assess
    expect(DEFAULT_WINDOW_RULE).toEqual({ openAfterStart: 10, closeAfterEnd: 15 });
    expect(window).toEqual({ opens: at('10/06', '18:10'), closes: at('10/06', '18:40') });
  });

  it('uses the per-format override, matching the format name case-insensitively', () => {
    // Prepare
    const schedule = breizhcamp2015({
      windows: {
        default: DEFAULT_WINDOW_RULE,
        byFormat: { quickie: { openAfterStart: 5, closeAfterEnd: 5 } },
      },
    });

    // Act
    const rule = windowRule(schedule, 'Quickie');
    const talk = new ScheduleIndex(schedule).talkAt('groix', at('11/06', '13:06'));

    // Assess
    expect(rule).toEqual({ openAfterStart: 5, closeAfterEnd: 5 });
    expect(talk?.talk.id).toBe('LQY-9418'); // Groix quickie 13:00–13:15
    expect(talk?.window).toEqual({ opens: at('11/06', '13:05'), closes: at('11/06', '13:20') });
  });
});

describe('ScheduleIndex.talkAt on the real BreizhCamp 2015 programme', () => {
  const index = new ScheduleIndex(breizhcamp2015());

  it('gives the talk whose window holds the instant', () => {
    // Prepare, Act
    const found = index.talkAt('ouessant', at('11/06', '11:00'));

    // Assess: Ouessant 10:30–11:25 "Cryptography : THE swiss army knife"
    expect(found?.talk.id).toBe('MHR-6960');
  });

  it('gives nothing before a window opens, between windows and for a break in the hall', () => {
    // Prepare, Act, Assess
    expect(index.talkAt('ouessant', at('11/06', '10:35'))).toBeNull(); // MHR opens at 10:40
    expect(index.talkAt('arz', at('11/06', '13:00'))).toBeNull(); // Arz has only an afternoon lab
    expect(index.talkAt('hall', at('11/06', '10:15'))).toBeNull(); // "Pause café" is not votable
    expect(index.talkAt('no-such-room', at('11/06', '11:00'))).toBeNull();
  });

  it('hands over at the next window opening when consecutive windows touch', () => {
    // Prepare: Belle-Ile on 10/06: Mesos University 14:00–17:25 (→ 17:40), then a talk at 17:30 (opens 17:40).

    // Act
    const before = index.talkAt('belle-ile-en-mer', at('10/06', '17:39', 59));
    const after = index.talkAt('belle-ile-en-mer', at('10/06', '17:40'));

    // Assess: windows are half-open [opens, closes)
    expect(before?.talk.id).toBe('GFP-9786');
    expect(after?.talk.id).toBe('FTC-0794');
  });

  it('resolves overlapping windows to the one that opened last', () => {
    // Prepare: Tools-in-Action windows closing 25 min after the end overlap the next talk's window:
    // Groix 10/06: OHD-9075 17:30–17:55 (window 17:40–18:20) then QHI-8405 18:00–18:25 (opens 18:10).
    const schedule = breizhcamp2015({
      windows: {
        default: DEFAULT_WINDOW_RULE,
        byFormat: { 'Tools-in-Action': { openAfterStart: 10, closeAfterEnd: 25 } },
      },
    });
    const late = new ScheduleIndex(schedule);

    // Act
    const inOverlap = late.talkAt('groix', at('10/06', '18:15'));
    const beforeOverlap = late.talkAt('groix', at('10/06', '18:09'));
    const now = late.roomNow('groix', at('10/06', '18:00'));

    // Assess
    expect(beforeOverlap?.talk.id).toBe('OHD-9075');
    expect(inOverlap?.talk.id).toBe('QHI-8405');
    expect(now.current?.talk.id).toBe('OHD-9075');
    expect(now.current?.window.closes).toBe(at('10/06', '18:10')); // cut where QHI takes over
    expect(now.next?.talk.id).toBe('QHI-8405');
  });

  it('shifts the windows of a late room for talks not over when the delay was declared', () => {
    // Prepare: Bréhat declared 20 min late at 15:30 on 11/06, during NJF-3989 (15:00–15:55).
    const schedule = breizhcamp2015({
      delays: { brehat: { minutes: 20, since: at('11/06', '15:30') } },
    });
    const late = new ScheduleIndex(schedule);

    // Act
    const earlier = late.talkAt('brehat', at('11/06', '14:20')); // HRG-4766 14:00–14:55, ended before
    const during = late.talkAt('brehat', at('11/06', '16:20')); // NJF would have closed at 16:10
    const now = late.roomNow('brehat', at('11/06', '16:20'));
    const elsewhere = late.talkAt('groix', at('11/06', '15:12')); // XXU-3862, not delayed

    // Assess
    expect(earlier?.window).toEqual({ opens: at('11/06', '14:10'), closes: at('11/06', '15:10') });
    expect(during?.talk.id).toBe('NJF-3989');
    expect(during?.window.closes).toBe(at('11/06', '16:30'));
    expect(now.delay).toBe(20);
    expect(elsewhere?.talk.id).toBe('XXU-3862');
  });

  it('keeps a window open that was already open when the delay was declared, closing it later', () => {
    // Prepare: Bréhat declared 30 min late at 15:20 on 11/06; NJF-3989 (15:00–15:55) opened at 15:10.
    const schedule = breizhcamp2015({
      delays: { brehat: { minutes: 30, since: at('11/06', '15:20') } },
    });
    const late = new ScheduleIndex(schedule);

    // Act
    const atDeclaration = late.talkAt('brehat', at('11/06', '15:20'));

    // Assess
    expect(atDeclaration?.talk.id).toBe('NJF-3989');
    expect(atDeclaration?.window).toEqual({
      opens: at('11/06', '15:10'),
      closes: at('11/06', '16:40'),
    });
  });

  it('never attributes an instant to a talk whose window does not hold it, nor to a break', () => {
    // Prepare
    const schedule = breizhcamp2015();
    const rooms = schedule.rooms.map((room) => room.slug);
    const first = at('10/06', '12:00');
    const last = at('12/06', '20:00');

    // Act, Assess
    fc.assert(
      fc.property(
        fc.constantFrom(...rooms),
        fc.integer({ min: first, max: last }),
        (room, instant) => {
          const found = index.talkAt(room, instant);
          if (found === null) {
            return schedule.talks.every(
              (t) => t.room !== room || !t.votable || !inside(voteWindow(schedule, t), instant),
            );
          }
          return found.talk.votable && found.talk.room === room && inside(found.window, instant);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives the room display the next talk between windows', () => {
    // Prepare, Act
    const now = index.roomNow('ouessant', at('11/06', '12:50'));

    // Assess: DDO-8160 (11:30–12:25) closed at 12:40; next in Ouessant is SGC-7345 at 14:00
    expect(now.current).toBeNull();
    expect(now.next?.talk.id).toBe('SGC-7345');
    expect(now.next?.window.opens).toBe(at('11/06', '14:10'));
    expect(now.delay).toBe(0);
  });
});

function inside(window: { opens: number; closes: number }, instant: number): boolean {
  return window.opens <= instant && instant < window.closes;
}

describe('ScheduleIndex.windows', () => {
  it('lists only votable talks of the room, by opening time', () => {
    // Prepare
    const index = new ScheduleIndex(breizhcamp2015());

    // Act
    const windows = index.windows('ouessant');

    // Assess
    expect(windows.every((w) => w.talk.votable && w.talk.room === 'ouessant')).toBe(true);
    const opens = windows.map((w) => w.window.opens);
    expect(opens).toEqual([...opens].sort((a, b) => a - b));
    expect(windows[0]?.window.opens).toBe(at('11/06', '09:00') + 10 * MINUTE); // the Thursday keynote
  });
});
