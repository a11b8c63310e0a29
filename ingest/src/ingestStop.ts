import type { RunningHttpServer } from '@likebox/runtime';
import type { BrokerLink } from './brokerLink.js';
import type { Parts } from './ingestParts.js';
import type { ScheduleState } from './scheduleState.js';
import type { Tallies } from './tallies.js';

/** Stops every part in reverse order of start, each in its own try (a failure is logged). */
export async function stopParts(
  parts: Parts,
  running: { link: BrokerLink; schedule: ScheduleState; tallies: Tallies },
  server: RunningHttpServer | undefined,
  timers: NodeJS.Timeout[],
): Promise<void> {
  const { link, schedule, tallies } = running;
  const steps: [string, () => unknown][] = [
    ['http', () => server?.close()],
    ['timers', () => timers.forEach(clearInterval)],
    ['pipeline', () => parts.pipeline.flush()],
    ['pipeline retry', () => parts.pipeline.stop()],
    // Before the link: a clean stop clears the lease (never one this ingest did not acquire).
    ['lease', () => parts.lease.stop()],
    ['broker link', () => link.stop()],
    ['seals', () => parts.results.seals.stop()],
    ['schedule', () => schedule.stop()],
    ['tallies', () => tallies.stop()],
    ['writer', () => parts.writer?.stop()],
    ['dashboard feeds', () => parts.feeds?.stop()],
    ['journal', () => parts.journal.close()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (err) {
      parts.log.error({ err, step: name }, 'stop step failed');
    }
  }
}
