import type { Schedule } from '@likebox/protocol';
import { localDate } from '@likebox/protocol';
import type { ImportWarning, WarningCode } from './types.js';

/** Counts describing a normalised schedule. */
export interface ScheduleCounts {
  /** Distinct local dates (in the schedule's zone) on which talks start. */
  days: string[];
  /** Rooms of the schedule. */
  rooms: number;
  /** Rooms with at least one votable talk. */
  votableRooms: number;
  /** Every slot, breaks included. */
  talks: number;
  /** Slots with a vote window. */
  votable: number;
}

/** Counts of a schedule, as shown in the import summary. */
export function scheduleCounts(schedule: Schedule): ScheduleCounts {
  const days = new Set(
    schedule.talks.map((talk) => localDate(schedule.timeZone, Date.parse(talk.start))),
  );
  const votable = schedule.talks.filter((talk) => talk.votable);
  return {
    days: [...days].sort(),
    rooms: schedule.rooms.length,
    votableRooms: new Set(votable.map((talk) => talk.room)).size,
    talks: schedule.talks.length,
    votable: votable.length,
  };
}

const SHOWN_PER_CODE = 3;

/** A one-screen summary of an import: counts, then warnings grouped by kind (a few of each). */
export function formatSummary(
  schedule: Schedule,
  warnings: readonly ImportWarning[],
  format: string,
): string {
  const counts = scheduleCounts(schedule);
  const lines = [
    `${schedule.name} (${format}, event "${schedule.event}", ${schedule.timeZone})`,
    `  days   ${counts.days.length}: ${counts.days.join(', ')}`,
    `  rooms  ${counts.rooms} (${counts.votableRooms} with votable talks)`,
    `  talks  ${counts.talks} (${counts.votable} votable)`,
    `  warnings ${warnings.length}`,
  ];
  const byCode = new Map<WarningCode, ImportWarning[]>();
  for (const warning of warnings)
    byCode.set(warning.code, [...(byCode.get(warning.code) ?? []), warning]);
  for (const [code, group] of byCode) {
    lines.push(`  ${code} ×${group.length}`);
    for (const warning of group.slice(0, SHOWN_PER_CODE))
      lines.push(`    ${warning.where}: ${warning.message}`);
    if (group.length > SHOWN_PER_CODE) lines.push(`    … ${group.length - SHOWN_PER_CODE} more`);
  }
  return lines.join('\n');
}
