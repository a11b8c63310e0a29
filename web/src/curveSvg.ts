/*
 * A talk's cumulative likes/dislikes curve as an SVG string: pure (no DOM), so the results pages,
 * the speaker card and `likebox report` draw the same curve, in the browser and in Node.
 */

/** One point of a cumulative curve. */
export interface SvgCurvePoint {
  /** Epoch ms. */
  t: number;
  /** Likes counted at `t`. */
  likes: number;
  /** Dislikes counted at `t`. */
  dislikes: number;
}

/** Colours of a drawing. */
export interface SvgTheme {
  like: string;
  dislike: string;
  /** Axis labels. */
  text: string;
  /** Grid lines. */
  grid: string;
}

/** Dark, as the live page; light, for paper and the report. */
export const SVG_THEMES = {
  dark: { like: '#3ecf8e', dislike: '#ff6b6b', text: '#9aa5b1', grid: '#2a323c' },
  light: { like: '#12915a', dislike: '#d43d3d', text: '#4b5563', grid: '#d9dde3' },
} as const satisfies Record<string, SvgTheme>;

/** Options of {@link curveSvg}. */
export interface CurveSvgOptions {
  /** The x axis: the talk's vote window, epoch ms. */
  opens: number;
  closes: number;
  /** The talk's scheduled end, drawn as a dashed vertical line when inside the window. */
  end?: number;
  /** Size in user units (default 640 × 240). */
  width?: number;
  height?: number;
  /** Axis label size (default 12). */
  fontSize?: number;
  /** Time zone of the axis labels (the programme's). */
  timeZone?: string;
  /** Colours (default dark). */
  theme?: SvgTheme;
  /** Accessible title of the drawing. */
  title?: string;
}

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** `HH:MM` of an instant in a time zone (the process's when the zone is unknown or invalid). */
export function clockLabel(at: number, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone }).format(new Date(at));
  } catch {
    return new Intl.DateTimeFormat('en-GB', options).format(new Date(at));
  }
}

const MINUTE = 60_000;
const TIME_STEPS = [5, 10, 15, 30, 60, 120].map((minutes) => minutes * MINUTE);
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];

/** The first step giving at most `max` intervals over `span`. */
function step(steps: readonly number[], span: number, max: number): number {
  return steps.find((candidate) => span / candidate <= max) ?? steps.at(-1) ?? 1;
}

/** Number formatting for coordinates: one decimal, no trailing zero. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  x(t: number): number;
  y(count: number): number;
}

function frameOf(options: CurveSvgOptions, top: number): Frame & { yMax: number } {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const font = options.fontSize ?? 12;
  const left = font * 3.5;
  const right = width - font;
  const bottom = height - font * 2;
  const span = Math.max(1, options.closes - options.opens);
  return {
    left,
    top: font,
    right,
    bottom,
    yMax: top,
    x: (t) =>
      left +
      ((Math.min(Math.max(t, options.opens), options.closes) - options.opens) / span) *
        (right - left),
    y: (count) => bottom - (count / top) * (bottom - font),
  };
}

/** A stepped path through the cumulative counts of one series, to the window's close. */
function stepPath(
  points: readonly SvgCurvePoint[],
  frame: Frame,
  value: (point: SvgCurvePoint) => number,
  closes: number,
): string {
  let previous = 0;
  const parts = [`M${n(frame.left)},${n(frame.y(0))}`];
  for (const point of points) {
    const x = n(frame.x(point.t));
    parts.push(`H${x}`);
    const count = value(point);
    if (count !== previous) parts.push(`V${n(frame.y(count))}`);
    previous = count;
  }
  parts.push(`H${n(frame.x(closes))}`);
  return parts.join('');
}

function axes(
  frame: Frame & { yMax: number },
  options: CurveSvgOptions,
  theme: SvgTheme,
): string[] {
  const font = options.fontSize ?? 12;
  const out: string[] = [];
  const countStep = step(COUNT_STEPS, frame.yMax, 5);
  for (let count = 0; count <= frame.yMax; count += countStep) {
    const y = n(frame.y(count));
    out.push(
      `<line x1="${n(frame.left)}" y1="${y}" x2="${n(frame.right)}" y2="${y}" stroke="${theme.grid}" stroke-width="1"/>`,
      `<text x="${n(frame.left - font * 0.5)}" y="${n(Number(y) + font * 0.35)}" text-anchor="end">${count}</text>`,
    );
  }
  const timeStep = step(TIME_STEPS, options.closes - options.opens, 8);
  const first = Math.ceil(options.opens / timeStep) * timeStep;
  for (let t = first; t <= options.closes; t += timeStep) {
    const x = n(frame.x(t));
    out.push(
      `<line x1="${x}" y1="${n(frame.bottom)}" x2="${x}" y2="${n(frame.bottom + font * 0.4)}" stroke="${theme.grid}"/>`,
      `<text x="${x}" y="${n(frame.bottom + font * 1.5)}" text-anchor="middle">${clockLabel(t, options.timeZone)}</text>`,
    );
  }
  if (options.end !== undefined && options.end > options.opens && options.end < options.closes) {
    const x = n(frame.x(options.end));
    out.push(
      `<line x1="${x}" y1="${n(frame.top)}" x2="${x}" y2="${n(frame.bottom)}" stroke="${theme.text}" stroke-dasharray="4 4"/>`,
      `<text x="${x}" y="${n(frame.top + font)}" text-anchor="middle">end</text>`,
    );
  }
  return out;
}

/**
 * The cumulative curve of a talk over its vote window as a standalone `<svg>` element: stepped
 * likes and dislikes lines, a count axis, `HH:MM` labels in the programme's zone, and a dashed line
 * at the scheduled end (votes left of it are people who left early). Points outside the window
 * are drawn at its edges. Embeddable inline in HTML or saved as an `.svg` file.
 */
export function curveSvg(points: readonly SvgCurvePoint[], options: CurveSvgOptions): string {
  const theme = options.theme ?? SVG_THEMES.dark;
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  const font = options.fontSize ?? 12;
  const last = points.at(-1);
  const highest = Math.max(last?.likes ?? 0, last?.dislikes ?? 0);
  const countStep = step(COUNT_STEPS, Math.max(5, highest), 5);
  const frame = frameOf(options, Math.max(5, Math.ceil((highest * 1.1) / countStep) * countStep));
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const line = (colour: string, value: (point: SvgCurvePoint) => number, role: string) =>
    `<path data-series="${role}" d="${stepPath(sorted, frame, value, options.closes)}" fill="none" stroke="${colour}" stroke-width="${n(Math.max(2, font / 5))}" stroke-linejoin="round"/>`;
  const title = options.title === undefined ? '' : `<title>${escapeXml(options.title)}</title>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="${font}" fill="${theme.text}">`,
    title,
    ...axes(frame, options, theme),
    line(theme.dislike, (point) => point.dislikes, 'dislikes'),
    line(theme.like, (point) => point.likes, 'likes'),
    '</svg>',
  ].join('');
}
