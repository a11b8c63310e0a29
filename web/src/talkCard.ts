import { curveSvg, escapeXml, SVG_THEMES, type SvgCurvePoint } from './curveSvg.js';

/** What a speaker card shows. */
export interface TalkCardInput {
  title: string;
  speakers: readonly string[];
  /** Room display name. */
  room: string;
  /** `YYYY-MM-DD`. */
  day: string;
  /** The event's display name. */
  event: string;
  opens: number;
  closes: number;
  end: number;
  timeZone?: string;
  likes: number;
  dislikes: number;
  /** Wilson lower bound (95 %), 0..1, or null without votes. */
  wilson: number | null;
  points: readonly SvgCurvePoint[];
}

/** Card size: the 1200 × 630 every social network previews without cropping. */
const WIDTH = 1200;
const HEIGHT = 630;

/** Splits a title into at most `lines` lines of about `width` characters, with an ellipsis. */
export function wrapText(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line.length === 0 ? word : `${line} ${word}`;
  }
  if (line.length > 0) out.push(line);
  if (out.length <= lines) return out;
  const kept = out.slice(0, lines);
  kept[lines - 1] = `${kept[lines - 1]?.slice(0, width - 1)}…`;
  return kept;
}

function figure(x: number, value: string, label: string, colour: string): string {
  return (
    `<text x="${x}" y="560" font-size="64" font-weight="700" fill="${colour}">${escapeXml(value)}</text>` +
    `<text x="${x}" y="600" font-size="22" fill="#9aa5b1">${escapeXml(label)}</text>`
  );
}

/**
 * A speaker card as an SVG string (1200 × 630): the event, the talk's title and speakers, room and
 * day, its curve and its figures. Pure: the talk page offers it as a download and `likebox report`
 * writes one per talk.
 */
export function talkCardSvg(card: TalkCardInput): string {
  const theme = SVG_THEMES.dark;
  const votes = card.likes + card.dislikes;
  const share = votes === 0 ? '–' : `${Math.round((card.likes * 100) / votes)} %`;
  const title = wrapText(card.title, 38, 2)
    .map((line, index) => `<tspan x="60" dy="${index === 0 ? 0 : 56}">${escapeXml(line)}</tspan>`)
    .join('');
  const who = [card.speakers.join(', '), `${card.room} · ${card.day}`].filter((s) => s !== '');
  const curve = curveSvg(card.points, {
    opens: card.opens,
    closes: card.closes,
    end: card.end,
    width: 1080,
    height: 250,
    fontSize: 16,
    ...(card.timeZone === undefined ? {} : { timeZone: card.timeZone }),
    theme,
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif">`,
    `<title>${escapeXml(`${card.title}: ${card.likes} likes, ${card.dislikes} dislikes`)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#12161c"/>`,
    `<text x="60" y="58" font-size="22" fill="#9aa5b1">${escapeXml(`${card.event} · LikeBox`)}</text>`,
    `<text y="112" font-size="46" font-weight="700" fill="#f3f5f7">${title}</text>`,
    `<text x="60" y="205" font-size="24" fill="#cdd3da">${escapeXml(who.join(' — '))}</text>`,
    `<g transform="translate(60,225)">${curve}</g>`,
    figure(60, `+${card.likes}`, 'likes', theme.like),
    figure(300, `−${card.dislikes}`, 'dislikes', theme.dislike),
    figure(540, share, 'liked', '#f3f5f7'),
    figure(800, card.wilson === null ? '–' : card.wilson.toFixed(2), 'Wilson score', '#f3f5f7'),
    '</svg>',
  ].join('');
}
