import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';

/** No vote can be older than this: a clock before it was never set (a Pi without RTC boots in 1970). */
export const CLOCK_FLOOR_MS = Date.UTC(2025, 0, 1);

/** Where systemd-timesyncd marks a completed NTP synchronisation (systemd-timesyncd.service(8)). */
const TIMESYNCD_FLAG = '/run/systemd/timesync/synchronized';

/** Whether the wall clock can be trusted for vote times. */
export interface ClockSync {
  /** True once the clock is known to be synchronised (NTP or RTC). */
  readonly synced: boolean;
  /** Starts watching (auto mode). */
  start(): void;
  /** Stops watching. */
  stop(): void;
}

/** A fixed answer: `LIKEBOX_CLOCK_SYNCED=true|false`. */
export function fixedClockSync(synced: boolean): ClockSync {
  return { synced, start: () => undefined, stop: () => undefined };
}

/**
 * Asks the system every `periodMs`: systemd-timesyncd's flag file, else `timedatectl`
 * (`NTPSynchronized`, which chrony and ntpd also feed through the kernel's adjtimex status).
 * Unknown means not synced, and a clock before {@link CLOCK_FLOOR_MS} is never synced.
 */
export function systemClockSync(periodMs = 60_000): ClockSync {
  let synced = false;
  let timer: NodeJS.Timeout | null = null;
  const check = () => {
    if (Date.now() < CLOCK_FLOOR_MS) {
      synced = false;
      return;
    }
    if (existsSync(TIMESYNCD_FLAG)) {
      synced = true;
      return;
    }
    execFile(
      'timedatectl',
      ['show', '--property=NTPSynchronized', '--value'],
      { timeout: 5000 },
      (err, out) => {
        synced = err === null && out.trim() === 'yes';
      },
    );
  };
  return {
    get synced() {
      return synced && Date.now() >= CLOCK_FLOOR_MS;
    },
    start() {
      check();
      timer = setInterval(check, periodMs);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}
