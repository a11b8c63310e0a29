import type { VoteWindowRule } from '@likebox/protocol';

/**
 * Built-in vote-window rules by kind of talk (the protocol's default, +10 min after the start to
 * +15 min after the end, stays for everything else: conferences, keynotes, lectures).
 *
 * - Short formats (quickie, lightning talk, pitch; 5–20 min): a window opening 10 min after the
 *   start would open after the talk ended. Open 2 min in, close 5 min after: the next short talk
 *   follows at once, so a long tail would steal its first votes.
 * - Tools-in-action (25–30 min): open 5 min in, close 10 min after.
 * - Long hands-on formats (lab, workshop, university, hackathon; 2–3 h): people leave along the
 *   way, so votes are welcome from 30 min in until 15 min after.
 */
export const FORMAT_WINDOW_DEFAULTS: readonly { pattern: RegExp; rule: VoteWindowRule }[] = [
  { pattern: /quickie|lightning|flash|pitch/i, rule: { openAfterStart: 2, closeAfterEnd: 5 } },
  { pattern: /tools?[\s-]*in[\s-]*action/i, rule: { openAfterStart: 5, closeAfterEnd: 10 } },
  {
    pattern: /lab|hands?['\s-]*s?[\s-]*on|workshop|atelier|universit|hackat|tutorial|training/i,
    rule: { openAfterStart: 30, closeAfterEnd: 15 },
  },
];

/** The built-in rule for a format name, or undefined when the protocol default applies. */
export function defaultRuleFor(format: string): VoteWindowRule | undefined {
  return FORMAT_WINDOW_DEFAULTS.find(({ pattern }) => pattern.test(format))?.rule;
}

/**
 * `windows.byFormat` for a schedule: a built-in rule for each of its formats that has one, then
 * the organiser's own rules (which win).
 */
export function windowsByFormat(
  formats: Iterable<string>,
  overrides: Readonly<Record<string, VoteWindowRule>> = {},
): Record<string, VoteWindowRule> {
  const byFormat: Record<string, VoteWindowRule> = {};
  for (const format of new Set(formats)) {
    const rule = defaultRuleFor(format);
    if (rule !== undefined) byFormat[format] = { ...rule };
  }
  return { ...byFormat, ...overrides };
}
