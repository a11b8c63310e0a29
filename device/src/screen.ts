/**
 * What the box's LCD shows, as pure functions of the box's state: the boot screen, the current
 * talk (scrolling title, counts, time left to vote, connection indicator), "no talk being voted"
 * between talks, and the "Merci ! +1" flash after a press. Text is reduced to the ASCII the
 * HD44780's ROM shows correctly (its upper half holds katakana, not Latin-1).
 */

/** Screen language. */
export type Locale = 'fr' | 'en';

const TEXT = {
  fr: {
    thanks: 'Merci !',
    idle: 'Pas de vote',
    next: 'Suite',
    left: 'reste',
    boot: 'demarrage',
    refused: 'Vote non compte',
    full: 'Disque plein',
    error: 'Erreur disque',
    shared: 'ID en double',
    auth: 'Login refuse',
    authHint: 'Mot de passe ?',
  },
  en: {
    thanks: 'Thanks!',
    idle: 'No talk voted',
    next: 'Next',
    left: 'left',
    boot: 'starting',
    refused: 'Not counted',
    full: 'Disk full',
    error: 'Disk error',
    shared: 'Duplicate ID',
    auth: 'Login refused',
    authHint: 'Check password',
  },
} as const;

/**
 * A lasting problem the screen shows instead of the talk title (16x2) or the room name (20x4):
 * `full`/`error`, the outbox cannot record votes; `auth`, the broker refuses the box's login (a
 * wrong password is not a network outage: "Login refused" / "Check password", and `!` for the
 * link indicator); `shared`, another box uses this box's id.
 */
export type ScreenAlert = 'full' | 'error' | 'auth' | 'shared';

/**
 * The alert to show: a storage problem first (votes are refused), then a refused login (votes
 * wait until someone fixes the password), then a shared device id.
 */
export function alertOf(
  storage: 'ok' | 'full' | 'error',
  sharedId: boolean,
  link: 'online' | 'offline' | 'auth-failed' = 'online',
): ScreenAlert | null {
  if (storage !== 'ok') return storage;
  if (link === 'auth-failed') return 'auth';
  return sharedId ? 'shared' : null;
}

/** The box's state as the screen needs it. */
export interface ScreenState {
  /** Columns and rows of the LCD. */
  cols: number;
  rows: number;
  locale: Locale;
  /** Whether the MQTT connection is up (last character of the last row: `*` up, `x` down). */
  connected: boolean;
  /** The talk being voted, or null between vote windows. */
  talk: { title: string; closes: number } | null;
  /** The next talk's opening instant (epoch ms), shown between talks; null when none. */
  next: { opens: number } | null;
  /** Counts shown for the current talk. */
  likes: number;
  dislikes: number;
  /** Room display name (20x4 only). */
  roomName: string;
  /** Wall clock, epoch ms. */
  now: number;
  /** Monotonic ms used for scrolling. */
  tick: number;
  /** IANA time zone for clock times. */
  timeZone: string;
  /** A lasting problem to show, or null. */
  alert: ScreenAlert | null;
}

/** Milliseconds per scrolling step of a long title. */
export const SCROLL_STEP_MS = 400;

/** Reduces text to printable ASCII: accents dropped, ligatures expanded, anything else `?`. */
export function toLcdText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/[‘’]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7d]/g, '?');
}

/** One row: text cut or padded to `cols`. */
function pad(text: string, cols: number): string {
  return toLcdText(text).padEnd(cols).slice(0, cols);
}

/** A window of a long text that moves one character per {@link SCROLL_STEP_MS}. */
export function scroll(text: string, cols: number, tick: number): string {
  const clean = toLcdText(text);
  if (clean.length <= cols) return clean.padEnd(cols);
  const loop = `${clean}   `;
  const offset = Math.floor(tick / SCROLL_STEP_MS) % loop.length;
  return (loop + loop).slice(offset, offset + cols);
}

/** Right-aligns `right` on a row that starts with `left`, the last column being the indicator. */
function row(left: string, right: string, cols: number, indicator: string): string {
  const body = cols - 2; // a space, then the indicator in the last column
  const l = toLcdText(left);
  const r = toLcdText(right);
  const text = `${l}${' '.repeat(Math.max(1, body - l.length - r.length))}${r}`;
  return `${text.padEnd(body).slice(0, body)} ${indicator}`;
}

/** "12 min" or "45 s" left before `closes`. */
export function timeLeft(closes: number, now: number): string {
  const seconds = Math.max(0, Math.ceil((closes - now) / 1000));
  return seconds >= 60 ? `${Math.ceil(seconds / 60)}min` : `${seconds}s`;
}

function clock(at: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
    }).format(at);
  } catch {
    return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(at);
  }
}

/** The boot screen: version, box id, IP. */
export function bootScreen(
  s: Pick<ScreenState, 'cols' | 'rows' | 'locale'>,
  version: string,
  id: string,
  ip: string,
): string[] {
  const lines =
    s.rows >= 4
      ? [`LikeBox ${version}`, id, ip, `${TEXT[s.locale].boot}...`]
      : [`LikeBox ${version}`, `${id} ${ip}`];
  return lines.map((line) => pad(line, s.cols));
}

/**
 * The main screen: current talk, or "no talk being voted" with the next talk's time; an alert
 * takes the first row.
 */
export function mainScreen(s: ScreenState): string[] {
  const lines = talkScreen(s);
  if (s.alert === 'auth') {
    const t = TEXT[s.locale];
    const hint = s.rows >= 4 ? pad(t.authHint, s.cols) : row(t.authHint, '', s.cols, '!');
    return [pad(t.auth, s.cols), hint, ...lines.slice(2)];
  }
  return s.alert === null ? lines : [pad(TEXT[s.locale][s.alert], s.cols), ...lines.slice(1)];
}

function talkScreen(s: ScreenState): string[] {
  const t = TEXT[s.locale];
  const indicator = s.connected ? '*' : 'x';
  const counts = `+${s.likes} -${s.dislikes}`;
  if (s.talk === null) {
    const next = s.next === null ? '' : `${t.next} ${clock(s.next.opens, s.timeZone)}`;
    if (s.rows >= 4)
      return [
        pad(s.roomName, s.cols),
        pad(t.idle, s.cols),
        pad('', s.cols),
        row(next, '', s.cols, indicator),
      ];
    return [pad(t.idle, s.cols), row(next, '', s.cols, indicator)];
  }
  const left = timeLeft(s.talk.closes, s.now);
  const title = scroll(s.talk.title, s.cols, s.tick);
  if (s.rows >= 4) {
    return [
      pad(s.roomName, s.cols),
      title,
      pad(counts, s.cols),
      row(`${t.left} ${left}`, '', s.cols, indicator),
    ];
  }
  return [title, row(counts, left, s.cols, indicator)];
}

/** The flash after a counted press: "Merci ! +1" on the first row, the rest of the main screen below. */
export function thanksScreen(s: ScreenState, value: 1 | -1): string[] {
  const main = mainScreen(s);
  const first = pad(`${TEXT[s.locale].thanks} ${value > 0 ? '+1' : '-1'}`, s.cols);
  return s.rows >= 4 ? [main[0] ?? '', first, ...main.slice(2)] : [first, ...main.slice(1)];
}

/**
 * The flash after a press the outbox could not record: "Vote non compte" on the first row, why on
 * the second (the storage alert), the rest of the main screen below on a 20x4.
 */
export function refusedScreen(s: ScreenState, storage: 'full' | 'error'): string[] {
  const t = TEXT[s.locale];
  const first = pad(t.refused, s.cols);
  if (s.rows >= 4) return [first, pad(t[storage], s.cols), ...mainScreen(s).slice(2)];
  return [first, row(t[storage], '', s.cols, s.connected ? '*' : 'x')];
}
