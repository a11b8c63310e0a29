/// <reference lib="dom" />
import uPlot from 'uplot';
import { type CurveFrame, curveData } from './curveData.js';
import { formatClock } from './dom.js';
import type { CurvePoint } from './liveState.js';

/** Colours of the two series, also used by the count labels (styles.css). */
const LIKE = '#3ecf8e';
const DISLIKE = '#ff6b6b';
const MUTED = '#9aa5b1';
const GRID = '#2a323c';
/** Shortest time between two draws of the canvas: the tally's period, so each tally is drawn. */
const MIN_DRAW_MS = 250;

/**
 * The cumulative likes/dislikes curve of one talk, drawn with uPlot (canvas, ~50 kB; a redraw takes
 * milliseconds, so it is redrawn a few times a second at most, see {@link CurveChart.update}). The x axis spans the talk's vote window; the chart follows its
 * container's size. With fewer than two points outside a live window there is no curve to draw:
 * the container then gets `data-empty` and the stylesheet shows a note instead.
 */
export class CurveChart {
  readonly #plot: uPlot;
  readonly #observer: ResizeObserver;
  #points: readonly CurvePoint[] = [];
  #frame: CurveFrame = { live: false, window: null };
  #hidden = false;
  /** When the curve was last drawn (`performance.now()`), and the pending draw after it. */
  #drawnAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly container: HTMLElement,
    private readonly clock: () => number,
    fontSize = 12,
  ) {
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const font = `${fontSize}px system-ui, sans-serif`;
    const axis: uPlot.Axis = {
      stroke: MUTED,
      font,
      grid: { stroke: GRID, width: 1 },
      ticks: { stroke: GRID, width: 1 },
    };
    const series = (label: string, stroke: string): uPlot.Series => ({
      label,
      stroke,
      width: 3,
      fill: `${stroke}22`,
      paths: stepped,
      points: { show: false },
    });
    this.#plot = new uPlot(
      {
        ...this.#size(),
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { range: (_self, min, max) => this.#xRange(min, max) },
          y: { range: (_self, _min, max) => [0, Math.max(5, Math.ceil(max * 1.15))] },
        },
        axes: [
          {
            ...axis,
            size: fontSize * 2 + 14,
            space: fontSize * 5, // room for an HH:MM label between ticks
            values: (_self, splits) =>
              splits.map((s) => formatClock(s * 1000, this.#frame.timeZone)),
          },
          {
            ...axis,
            size: fontSize * 4,
            space: fontSize * 2.5,
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000],
          },
        ],
        series: [{}, series('likes', LIKE), series('dislikes', DISLIKE)],
      },
      [[], [], []],
      container,
    );
    container.classList.add('curve');
    this.#observer = new ResizeObserver(() => this.#plot.setSize(this.#size()));
    this.#observer.observe(container);
  }

  /**
   * Draws the curve of `points` in `frame`; nothing while the counts are withheld. At most one draw
   * per {@link MIN_DRAW_MS}: a later call within it is drawn when that time is up (the last call
   * wins), so a busy room's votes cost a few canvas redraws a second, not one per frame.
   */
  update(points: readonly CurvePoint[], frame: CurveFrame, hidden = false): void {
    this.#points = hidden ? [] : points;
    this.#hidden = hidden;
    this.#frame = frame;
    if (this.#timer !== null) return;
    const wait = this.#drawnAt + MIN_DRAW_MS - performance.now();
    if (wait <= 0) this.#draw();
    else this.#timer = setTimeout(() => this.#draw(), wait);
  }

  #draw(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#drawnAt = performance.now();
    this.container.toggleAttribute('data-hidden', this.#hidden);
    const [xs, likes, dislikes] = curveData(this.#points, this.#frame, this.clock());
    this.container.toggleAttribute('data-empty', xs.length < 2);
    // What is drawn, in the DOM: the first instant (s) and the points behind the line; read by the
    // tests (uPlot draws on a canvas) and by whoever wonders what a TV shows.
    this.container.dataset.from = String(xs[0] ?? '');
    this.container.dataset.points = String(this.#points.length);
    this.#plot.setData([xs, likes, dislikes]);
  }

  /** Moves the line's end to now (called by the pages' one-second tick). */
  tick(live: boolean): void {
    if (live || this.#frame.live) this.update(this.#points, { ...this.#frame, live }, this.#hidden);
  }

  #xRange(min: number | null, max: number | null): uPlot.Range.MinMax {
    const window = this.#frame.window;
    const lo = Math.min(
      min ?? Number.POSITIVE_INFINITY,
      (window?.opens ?? Number.POSITIVE_INFINITY) / 1000,
    );
    const hi = Math.max(max ?? 0, (window?.closes ?? 0) / 1000);
    if (!Number.isFinite(lo) || hi <= lo) {
      const now = this.clock() / 1000;
      return [now - 600, now];
    }
    return [lo, hi];
  }

  #size(): { width: number; height: number } {
    return {
      width: Math.max(120, this.container.clientWidth),
      height: Math.max(80, this.container.clientHeight),
    };
  }
}
