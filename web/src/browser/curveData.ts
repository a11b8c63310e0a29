import type { CurvePoint } from './liveState.js';

/** How a curve is drawn. */
export interface CurveFrame {
  /** True while the talk's window is open: the line is extended to now. */
  live: boolean;
  /** The talk's vote window, epoch ms: the x axis spans it when known. */
  window: { opens: number; closes: number } | null;
  /** Time zone of the programme, for the axis labels. */
  timeZone?: string;
}

/** One y column; null where the series has no point. */
export type Column = (number | null)[];

/**
 * The chart's columns: x (s), likes and dislikes. The points are the talk's history from the
 * window's opening (results API) and what the page saw live since; points after the window closed
 * are drawn at its close; a live curve is extended to now, a closed one to its close.
 */
export function curveData(
  points: readonly CurvePoint[],
  frame: CurveFrame,
  now: number,
): [number[], Column, Column] {
  const last = points.at(-1);
  const closes = frame.window?.closes ?? Number.POSITIVE_INFINITY;
  // A live curve runs to now; a closed talk's to its close (its final counts held to the end).
  const end = frame.live ? now : now >= closes ? closes : null;
  const shown = (
    last !== undefined && end !== null ? [...points, { ...last, t: end }] : points
  ).map((point) => ({ ...point, t: Math.min(point.t, closes) }));
  return [
    shown.map((point) => point.t / 1000),
    shown.map((point) => point.likes),
    shown.map((point) => point.dislikes),
  ];
}
