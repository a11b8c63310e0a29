import type { Logger } from 'pino';

/**
 * Resolves on the first SIGINT/SIGTERM. Later ones are only logged: `npm start` forwards the
 * terminal's Ctrl-C to a process that already got it from the terminal, and the stop must finish
 * (SIGKILL, or systemd's and Docker's stop timeouts, remain for a stuck stop). Call it before
 * starting: a signal that comes during the start, or right after the start is logged and before
 * the caller waits, then stops what started instead of killing the process mid-write.
 */
export function untilSignal(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn({ signal }, 'already stopping');
        return;
      }
      stopping = true;
      log.info({ signal }, 'stopping');
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
