import { describe, expect, it } from 'vitest';
import {
  alertOf,
  bootScreen,
  mainScreen,
  refusedScreen,
  type ScreenState,
  scroll,
  thanksScreen,
  toLcdText,
} from '../../src/screen.js';

const NOW = Date.parse('2026-06-11T12:00:00Z');
const base: ScreenState = {
  cols: 16,
  rows: 2,
  locale: 'fr',
  connected: true,
  talk: { title: 'Écrire du Kotlin – sans peur', closes: NOW + 12 * 60_000 },
  next: null,
  likes: 12,
  dislikes: 3,
  roomName: 'Amphi A',
  now: NOW,
  tick: 0,
  timeZone: 'Europe/Paris',
  alert: null,
};

describe('screen', () => {
  it('reduces text to the ASCII the HD44780 shows when it has accents and typography', () => {
    // Prepare
    const text = 'Écrire « vite » – l’œuvre';
    // Act
    const lcd = toLcdText(text);
    // Assess
    expect(lcd).toBe('Ecrire " vite " - l\'oeuvre');
  });

  it('scrolls a long title one character per step', () => {
    // Prepare
    const title = 'A very long talk title';
    // Act
    const frames = [0, 400, 800].map((tick) => scroll(title, 8, tick));
    // Assess
    expect(frames).toEqual(['A very l', ' very lo', 'very lon']);
  });

  it('shows the talk, counts, time left and connection when a talk is being voted', () => {
    // Act
    const lines = mainScreen(base);
    // Assess
    expect(lines).toEqual(['Ecrire du Kotlin', '+12 -3   12min *']);
  });

  it('shows "no talk being voted" with the next talk time when between talks, offline', () => {
    // Act
    const lines = mainScreen({
      ...base,
      talk: null,
      next: { opens: NOW + 3_600_000 },
      connected: false,
    });
    // Assess
    expect(lines).toEqual(['Pas de vote     ', 'Suite 15:00    x']);
  });

  it('thanks on the first row and keeps the counts when a vote counted on a 20x4', () => {
    // Act
    const lines = thanksScreen({ ...base, cols: 20, rows: 4, locale: 'en' }, -1);
    // Assess
    expect(lines).toEqual([
      'Amphi A             ',
      'Thanks! -1          ',
      '+12 -3              ',
      'left 12min         *',
    ]);
  });

  it('shows version, box id and IP when booting', () => {
    // Act
    const lines = bootScreen({ cols: 16, rows: 2, locale: 'fr' }, '0.1.0', 'box-1', '10.0.0.7');
    // Assess
    expect(lines).toEqual(['LikeBox 0.1.0   ', 'box-1 10.0.0.7  ']);
  });

  it('says a press was not counted and why, in both languages, when the outbox refused it', () => {
    // Act
    const fr = refusedScreen(base, 'full');
    const en = refusedScreen({ ...base, locale: 'en', connected: false }, 'error');
    const wide = refusedScreen({ ...base, cols: 20, rows: 4, locale: 'en' }, 'full');
    // Assess
    expect(fr).toEqual(['Vote non compte ', 'Disque plein   *']);
    expect(en).toEqual(['Not counted     ', 'Disk error     x']);
    expect(wide).toEqual([
      'Not counted         ',
      'Disk full           ',
      '+12 -3              ',
      'left 12min         *',
    ]);
  });

  it('shows a lasting alert instead of the title, storage first, when the disk is full or the id shared', () => {
    // Act
    const full = mainScreen({ ...base, alert: alertOf('full', true) });
    const shared = mainScreen({ ...base, locale: 'en', alert: alertOf('ok', true) });
    const wide = mainScreen({ ...base, rows: 4, cols: 20, alert: alertOf('error', false) });
    // Assess
    expect(full).toEqual(['Disque plein    ', '+12 -3   12min *']);
    expect(shared).toEqual(['Duplicate ID    ', '+12 -3   12min *']);
    expect(wide[0]).toBe('Erreur disque       ');
    expect(alertOf('ok', false)).toBeNull();
  });

  it('tells a refused login from an outage when the broker refuses the password', () => {
    // Act
    const en = mainScreen({
      ...base,
      locale: 'en',
      connected: false,
      alert: alertOf('ok', true, 'auth-failed'),
    });
    const wide = mainScreen({ ...base, rows: 4, cols: 20, connected: false, alert: 'auth' });
    const outage = mainScreen({
      ...base,
      connected: false,
      alert: alertOf('ok', false, 'offline'),
    });
    // Assess
    expect(en).toEqual(['Login refused   ', 'Check password !']);
    expect(wide.slice(0, 2)).toEqual(['Login refuse        ', 'Mot de passe ?      ']);
    expect(wide[3]).toMatch(/ x$/);
    expect(outage[1]).toMatch(/ x$/);
    expect(alertOf('full', false, 'auth-failed')).toBe('full');
  });
});
