import type { Logger } from 'pino';

/**
 * Resolves on the first SIGINT/SIGTERM. Later ones are only logged: `npm start` forwards the
 * terminal's Ctrl-C to a process that already got it from the terminal, and the stop must finish
 * (SIGKILL, or systemd's and Docker's stop timeouts, remain for a stuck stop). Call it before
 * starting: a signal that comes during the start, or right after the start is logged and before
 * the caller waits, then stops what started instead of killing the process mid-write.
 *
 * A process started with an IPC channel (`likebox up` runs its simulated boxes as a child
 * `likebox sim` so) also stops when the channel closes: its parent is gone, even by `kill -9`,
 * and nothing else would ever stop it.
 */
export function untilSignal(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals | 'disconnect') => {
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
    if (process.channel !== undefined) {
      process.once('disconnect', () => onSignal('disconnect'));
      // The channel must not keep the process alive once everything else has stopped.
      process.channel.unref();
    }
  });
}
