import { describe, expect, it } from 'vitest';
import { curveSvg, escapeXml, SVG_THEMES } from '../../src/curveSvg.js';
import { talkCardSvg, wrapText } from '../../src/talkCard.js';
import { walkOutSvg } from '../../src/walkOutSvg.js';

const OPENS = Date.UTC(2026, 5, 12, 8, 10);
const CLOSES = OPENS + 60 * 60_000;
const END = CLOSES - 15 * 60_000;

/** The `d` attribute of a series' path. */
function pathOf(svg: string, series: string): string {
  return new RegExp(`data-series="${series}" d="([^"]+)"`).exec(svg)?.[1] ?? '';
}

describe('curveSvg', () => {
  it('draws each series as steps from zero at the opening to the close', () => {
    // Prepare
    const points = [
      { t: OPENS, likes: 0, dislikes: 0 },
      { t: OPENS + 30 * 60_000, likes: 2, dislikes: 1 },
    ];

    // Act
    const svg = curveSvg(points, { opens: OPENS, closes: CLOSES, width: 640, height: 240 });

    // Assess
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const likes = pathOf(svg, 'likes');
    // left = 42, right = 628, bottom = 216: half the window is x = 335.
    expect(likes).toMatch(/^M42,216H42H335V[\d.]+H628$/);
    expect(pathOf(svg, 'dislikes')).toMatch(/^M42,216H42H335V[\d.]+H628$/);
  });

  it('labels the time axis in the programme time zone and marks the scheduled end', () => {
    // Prepare
    const points = [{ t: OPENS + 60_000, likes: 1, dislikes: 0 }];

    // Act
    const svg = curveSvg(points, {
      opens: OPENS,
      closes: CLOSES,
      end: END,
      timeZone: 'Europe/Paris',
      theme: SVG_THEMES.light,
    });

    // Assess
    expect(svg).toContain('>10:20<'); // 08:20 UTC is 10:20 in Paris in June
    expect(svg).toContain('>end<');
    expect(svg).toContain(SVG_THEMES.light.like);
  });

  it('keeps points outside the window at its edges and escapes its title', () => {
    // Prepare
    const points = [{ t: CLOSES + 3_600_000, likes: 3, dislikes: 0 }];

    // Act
    const svg = curveSvg(points, { opens: OPENS, closes: CLOSES, title: 'Rust & <Go>' });

    // Assess
    expect(pathOf(svg, 'likes')).toMatch(/^M42,216H628V[\d.]+H628$/);
    expect(svg).toContain('<title>Rust &amp; &lt;Go&gt;</title>');
  });
});

describe('walkOutSvg', () => {
  it('draws one bar per series and minute and a line at the end', () => {
    // Prepare
    const bins = [
      { minute: 20, likes: 2, dislikes: 1 },
      { minute: 46, likes: 5, dislikes: 0 },
    ];

    // Act
    const svg = walkOutSvg(bins, { duration: 45 });

    // Assess
    expect(svg.match(/<rect /g)).toHaveLength(4);
    expect(svg).toContain('>end<');
    expect(svg).toContain('>5<'); // the highest bar's count labels the y axis
  });
});

describe('talkCardSvg', () => {
  it('shows the title, speakers, room, day, curve and figures', () => {
    // Prepare
    const card = {
      title: 'Le futur de la JVM',
      speakers: ['Ada', 'Grace'],
      room: 'Bréhat',
      day: '2026-06-12',
      event: 'BreizhCamp',
      opens: OPENS,
      closes: CLOSES,
      end: END,
      likes: 42,
      dislikes: 7,
      wilson: 0.7512,
      points: [{ t: OPENS + 60_000, likes: 42, dislikes: 7 }],
    };

    // Act
    const svg = talkCardSvg(card);

    // Assess
    for (const text of ['Le futur de la JVM', 'Ada, Grace', 'Bréhat · 2026-06-12', '+42', '−7']) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('86 %');
    expect(svg).toContain('0.75');
    expect(svg).toContain('data-series="likes"');
  });

  it('wraps a long title on two lines with an ellipsis', () => {
    // Act
    const lines = wrapText('one two three four five six seven eight', 10, 2);

    // Assess
    expect(lines).toEqual(['one two', 'three fou…']);
    expect(escapeXml('"a"')).toBe('&quot;a&quot;');
  });
});
