import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { WeakPasswordError } from './errors.js';
import { isDefaultPassword } from './password.js';

/** Fewest characters of a password that may be used beyond loopback. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Lowest zxcvbn score (0–4) of a password that may be used beyond loopback. 3 = "safely
 * unguessable" (about 10^8 guesses and more): hundreds of years at the few tries per minute the
 * broker's login throttle lets through, and slow even offline against a stolen scrypt hash.
 */
export const MIN_PASSWORD_SCORE = 3;

/** Words every LikeBox password is checked against besides the user's own name. */
const PROJECT_WORDS = ['likebox', 'mqtt', 'mosquitto', 'aedes', 'broker', 'conference'];

/**
 * zxcvbn's warnings in plain English. `@zxcvbn-ts/language-en` carries these texts with 5 MB of
 * English dictionaries we do not need; the common-password list and keyboard graphs come from
 * `@zxcvbn-ts/language-common`.
 */
const WARNINGS: Record<string, string> = {
  straightRow: 'it is a straight row of keys on a keyboard',
  keyPattern: 'it is a short keyboard pattern',
  simpleRepeat: 'it repeats characters ("aaa")',
  extendedRepeat: 'it repeats a pattern ("abcabcabc")',
  sequences: 'it is a common character sequence ("abc", "6543")',
  recentYears: 'it is or contains a recent year',
  dates: 'it is or contains a date',
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is a commonly used password with small changes',
  wordByItself: 'it is a single word',
  namesByThemselves: 'it is a name',
  commonNames: 'it is a common name',
  userInputs: 'it contains the user name or the word "likebox"',
  pwned: 'it appeared in a data breach',
};

let estimator: Promise<ZxcvbnFactory> | null = null;

/**
 * zxcvbn with the common-password list and keyboard graphs, loaded on first use: the broker never
 * loads it (it reads the `weak` flag `likebox users` stored), a users command does once (~0.5 s:
 * the dictionaries are decompressed and indexed).
 */
function zxcvbn(): Promise<ZxcvbnFactory> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        dictionary: common.dictionary,
        graphs: common.adjacencyGraphs,
      }),
  );
  return estimator;
}

/** `password` without any occurrence (case-insensitive) of `words`. */
function without(password: string, words: readonly string[]): string {
  let rest = password;
  for (const word of words) {
    // RegExp.escape needs Node 24.
    const pattern = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (word.length > 0) rest = rest.replace(new RegExp(pattern, 'gi'), '');
  }
  return rest;
}

/** Why zxcvbn finds `password` easy to guess, or null when it scores at least the minimum. */
function guessable(estimator: ZxcvbnFactory, password: string, words: string[]): string | null {
  const result = estimator.check(password, words);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const warning = result.feedback.warning;
  const why = warning === null ? undefined : WARNINGS[warning];
  return `strength ${result.score}/4, needs ${MIN_PASSWORD_SCORE}${why === undefined ? '' : `: ${why}`}`;
}

/**
 * Why `password` is too weak for an account that may be used beyond loopback: shorter than
 * {@link MIN_PASSWORD_LENGTH}, a well-known default, or scored under {@link MIN_PASSWORD_SCORE}
 * by zxcvbn (common passwords, keyboard patterns, dates, repeats), also once the user's name and
 * the project's words are taken out (zxcvbn lets `box-1-box-1-box-1` through for user `box-1`).
 * Empty when it is strong enough.
 */
export async function passwordWeaknesses(name: string, password: string): Promise<string[]> {
  if (password.length === 0) return ['it is empty'];
  const reasons: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    reasons.push(`it has ${password.length} characters, fewer than ${MIN_PASSWORD_LENGTH}`);
  }
  if (isDefaultPassword(name, password))
    reasons.push('it is a well-known default or the user name');
  const estimator = await zxcvbn();
  const words = [name, ...PROJECT_WORDS];
  const whole = guessable(estimator, password, words);
  const rest = without(password, words);
  if (whole !== null) reasons.push(`it is easy to guess (${whole})`);
  else if (rest !== password && guessable(estimator, rest, words) !== null) {
    reasons.push(
      `it is easy to guess once the user name and the words ${PROJECT_WORDS.join(', ')} are taken out`,
    );
  }
  return reasons;
}

/**
 * Throws {@link WeakPasswordError}, listing every reason, when `password` is too weak for an
 * account that may be used beyond loopback (see {@link passwordWeaknesses}). For `likebox users
 * add|passwd`.
 */
export async function assertStrongPassword(name: string, password: string): Promise<void> {
  const reasons = await passwordWeaknesses(name, password);
  if (reasons.length === 0) return;
  throw new WeakPasswordError(
    `the password of ${name} is too weak:\n${reasons.map((r) => `  - ${r}`).join('\n')}\n` +
      `Use ${MIN_PASSWORD_LENGTH} characters or more that are not a common password, a keyboard ` +
      'pattern or a name: a few random words, or `openssl rand -base64 18`.',
    reasons,
  );
}
