import type { Writable } from 'node:stream';

/** A progress bar on a terminal; nothing on a pipe or a file (a log then stays clean). */
export interface ProgressBar {
  /** Shows `done` of the total. */
  update(done: number): void;
  /** Clears the bar. */
  done(): void;
}

const WIDTH = 30;

/**
 * A one-line bar (`[#####-----] 12/150 talks`) redrawn in place on `stream` when it is a TTY and
 * the work is big enough to wait for (`total` ≥ `from`); otherwise it does nothing.
 */
export function progressBar(
  stream: Writable & { isTTY?: boolean },
  total: number,
  label: string,
  from = 20,
): ProgressBar {
  if (stream.isTTY !== true || total < from)
    return { update: () => undefined, done: () => undefined };
  let shown = -1;
  return {
    update(done) {
      const filled = Math.round((done / total) * WIDTH);
      if (filled === shown && done !== total) return;
      shown = filled;
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${label}`,
      );
    },
    done() {
      stream.write('\r\u001b[2K');
    },
  };
}
