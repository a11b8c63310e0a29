/// <reference lib="dom" />

/** Attributes of {@link h}: `class`, `data-*`, `hidden` and other plain attributes. */
export type Attributes = Record<string, string | boolean | undefined>;

/** Creates an element with attributes and children (text or elements): the pages' only DOM builder. */
export function h(
  tag: string,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** Sets an element's text only when it changed (keeps the DOM quiet on a TV left on all day). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** `mm:ss` or `h:mm:ss` for a duration in ms (negative durations show as 0:00). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  if (hours > 0) return `${hours}:${String(minutes).padStart(2, '0')}:${seconds}`;
  return `${minutes}:${seconds}`;
}

/**
 * `HH:MM` formatters by time zone: building an `Intl.DateTimeFormat` costs far more than using one,
 * and a busy display formats a few clocks every frame. `''` is the browser's own zone.
 */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

function clockFormat(timeZone = ''): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone);
  if (format === undefined) {
    const options: Intl.DateTimeFormatOptions = {
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    };
    try {
      format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: timeZone || undefined });
    } catch {
      // An unknown zone: the browser's.
      format = new Intl.DateTimeFormat('en-GB', options);
    }
    clockFormats.set(timeZone, format);
  }
  return format;
}

/** `HH:MM` of an instant in the programme's time zone (the browser's when the zone is unknown). */
export function formatClock(at: number | string, timeZone?: string): string {
  return clockFormat(timeZone).format(new Date(at));
}

/** Share of likes among all votes, as a whole percentage, or null without votes. */
export function likeShare(likes: number, dislikes: number): number | null {
  const total = likes + dislikes;
  return total === 0 ? null : Math.round((likes * 100) / total);
}
