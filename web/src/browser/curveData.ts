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
 * The chart's columns: x (s), likes, dislikes, and the dashed ramps from zero at the window's
 * opening to the first counts this browser saw, when it opened the page after votes were cast.
 * Points after the window closed are drawn at its close; a live curve is extended to now.
 */
export function curveData(
  points: readonly CurvePoint[],
  frame: CurveFrame,
  now: number,
): [number[], Column, Column, Column, Column] {
  const last = points.at(-1);
  const closes = frame.window?.closes ?? Number.POSITIVE_INFINITY;
  const shown = (frame.live && last !== undefined ? [...points, { ...last, t: now }] : points).map(
    (point) => ({ ...point, t: Math.min(point.t, closes) }),
  );
  const first = shown[0];
  const opens = frame.window?.opens;
  const none = shown.map(() => null);
  const xs = shown.map((point) => point.t / 1000);
  if (
    first === undefined ||
    opens === undefined ||
    first.t <= opens ||
    first.likes + first.dislikes === 0
  ) {
    return [xs, shown.map((p) => p.likes), shown.map((p) => p.dislikes), none, none];
  }
  return [
    [opens / 1000, ...xs],
    [null, ...shown.map((p) => p.likes)],
    [null, ...shown.map((p) => p.dislikes)],
    [0, first.likes, ...none.slice(1)],
    [0, first.dislikes, ...none.slice(1)],
  ];
}
