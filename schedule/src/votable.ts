import type { DraftTalk } from './types.js';

/**
 * Which slots nobody votes on: breaks, meals, welcome desks and evening socials (by format,
 * track, or a speaker-less title), and anything in a hall or lobby. A file's own flag (Sessionize
 * service sessions) wins. Words are matched whole, in English and French, accents included; a
 * title counts only when it is short and starts with such a word ("Pause café", "Lunch break"),
 * since many files (BreizhCamp) list no speakers at all.
 */

const BREAK_WORDS =
  /(?<![\p{L}\d])(break|breaks|pause|lunch|d[eé]jeuner|repas|meal|coffee|caf[eé]|accueil|registration|check-?in|breakfast|petit[- ]d[eé]j\S*|dinner|d[iî]ner|soir[eé]e|party|ap[eé]ro|ap[eé]ritif)(?![\p{L}\d])/iu;

const HALL_ROOMS = /^(hall|lobby|foyer|hallway|entrance|entr[eé]e|exhibition|expo|sponsors?)$/iu;

/** Whether a slot is votable, and when it is not, why (for the warning). */
export function votability(talk: DraftTalk): { votable: boolean; reason: string } {
  if (talk.votable !== null) {
    return { votable: talk.votable, reason: 'marked as a service session by the file' };
  }
  if (BREAK_WORDS.test(talk.format) || BREAK_WORDS.test(talk.track)) {
    return { votable: false, reason: `a break (format "${talk.format || talk.track}")` };
  }
  if (HALL_ROOMS.test(talk.room.trim()))
    return { votable: false, reason: `a slot in "${talk.room}"` };
  const title = talk.title.trim();
  const breakTitle = title.length <= 40 && BREAK_WORDS.exec(title)?.index === 0;
  if (talk.speakers.length === 0 && breakTitle) {
    return { votable: false, reason: 'a break (title, no speaker)' };
  }
  return { votable: true, reason: '' };
}
