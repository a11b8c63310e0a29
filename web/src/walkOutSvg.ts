import { escapeXml, SVG_THEMES, type SvgTheme } from './curveSvg.js';

/** Votes cast in one minute since the talk's start. */
export interface WalkOutBin {
  /** Minutes since the scheduled start (floor; beyond the talk's duration after its end). */
  minute: number;
  likes: number;
  dislikes: number;
}

/** Options of {@link walkOutSvg}. */
export interface WalkOutSvgOptions {
  /** The talk's scheduled length in minutes: a dashed line marks its end. */
  duration: number;
  /** Size in user units (default 640 × 180). */
  width?: number;
  height?: number;
  /** Label size (default 12). */
  fontSize?: number;
  /** Colours (default dark). */
  theme?: SvgTheme;
  /** Accessible title of the drawing. */
  title?: string;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The "walk-out" view of a talk as an SVG string: one stacked bar (likes below, dislikes on top)
 * per minute since the scheduled start, and a dashed line at the scheduled end; bars left of it are
 * people who left before the end. Pure, shared by the talk page and `likebox report`.
 */
export function walkOutSvg(bins: readonly WalkOutBin[], options: WalkOutSvgOptions): string {
  const theme = options.theme ?? SVG_THEMES.dark;
  const width = options.width ?? 640;
  const height = options.height ?? 180;
  const font = options.fontSize ?? 12;
  const minutes = Math.max(options.duration + 1, ...bins.map((bin) => bin.minute + 1));
  const highest = Math.max(1, ...bins.map((bin) => bin.likes + bin.dislikes));
  const left = font * 3;
  const right = width - font;
  const bottom = height - font * 2;
  const barWidth = (right - left) / minutes;
  const y = (count: number) => ((bottom - font) * count) / highest;
  const bars = bins.flatMap((bin) => {
    const x = left + Math.max(0, bin.minute) * barWidth;
    const w = n(Math.max(1, barWidth - 1));
    return [
      `<rect x="${n(x)}" y="${n(bottom - y(bin.likes))}" width="${w}" height="${n(y(bin.likes))}" fill="${theme.like}"/>`,
      `<rect x="${n(x)}" y="${n(bottom - y(bin.likes + bin.dislikes))}" width="${w}" height="${n(y(bin.dislikes))}" fill="${theme.dislike}"/>`,
    ];
  });
  const endX = n(left + options.duration * barWidth);
  const labelEvery = minutes > 90 ? 30 : minutes > 30 ? 10 : 5;
  const labels = Array.from({ length: Math.floor(minutes / labelEvery) + 1 }, (_, index) => {
    const minute = index * labelEvery;
    return `<text x="${n(left + minute * barWidth)}" y="${n(bottom + font * 1.5)}" text-anchor="middle">${minute}′</text>`;
  });
  const title = options.title === undefined ? '' : `<title>${escapeXml(options.title)}</title>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="system-ui, sans-serif" font-size="${font}" fill="${theme.text}">`,
    title,
    `<line x1="${n(left)}" y1="${n(bottom)}" x2="${n(right)}" y2="${n(bottom)}" stroke="${theme.grid}"/>`,
    `<text x="${n(left - font * 0.5)}" y="${n(font * 1.3)}" text-anchor="end">${highest}</text>`,
    ...bars,
    `<line x1="${endX}" y1="${n(font)}" x2="${endX}" y2="${n(bottom)}" stroke="${theme.text}" stroke-dasharray="4 4"/>`,
    `<text x="${endX}" y="${n(font)}" text-anchor="middle">end</text>`,
    ...labels,
    '</svg>',
  ].join('');
}
