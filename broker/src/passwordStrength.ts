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

/**
 * Why `password` is too weak for an account that may be used beyond loopback: shorter than
 * {@link MIN_PASSWORD_LENGTH}, a well-known default, or scored under {@link MIN_PASSWORD_SCORE}
 * by zxcvbn (common passwords, keyboard patterns, dates, repeats, the user's name). Empty when
 * it is strong enough.
 */
export async function passwordWeaknesses(name: string, password: string): Promise<string[]> {
  if (password.length === 0) return ['it is empty'];
  const reasons: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) {
    reasons.push(`it has ${password.length} characters, fewer than ${MIN_PASSWORD_LENGTH}`);
  }
  if (isDefaultPassword(name, password))
    reasons.push('it is a well-known default or the user name');
  const result = (await zxcvbn()).check(password, [name, ...PROJECT_WORDS]);
  if (result.score < MIN_PASSWORD_SCORE) {
    const warning = result.feedback.warning;
    const why = warning === null ? undefined : WARNINGS[warning];
    reasons.push(
      `it is easy to guess (strength ${result.score}/4, needs ${MIN_PASSWORD_SCORE})${why === undefined ? '' : `: ${why}`}`,
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
