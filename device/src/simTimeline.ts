import type { Schedule } from '@likebox/protocol';

const MINUTE_MS = 60_000;
/** Early leavers go during the last 15 minutes of a talk. */
export const EARLY_MS = 15 * MINUTE_MS;

/** A moment a room's crowd moves: early leavers start, or the exit burst after a talk. */
export interface CrowdMoment {
  /** When, epoch ms. */
  at: number;
  kind: 'early' | 'exit';
  room: string;
  /** The talk the crowd leaves. */
  talk: string;
}

/**
 * The crowd moments of a programme after `from`: for each votable talk, early leavers from 15
 * minutes before its end, and the exit burst at its end; both `lateMs` later in a late room
 * (the programme does not know it runs late: that is what the ingest has to notice).
 */
export function crowdMoments(
  schedule: Schedule,
  from: number,
  lateRooms: ReadonlyMap<string, number> = new Map(),
): CrowdMoment[] {
  const moments: CrowdMoment[] = [];
  for (const talk of schedule.talks) {
    if (!talk.votable) continue;
    const late = lateRooms.get(talk.room) ?? 0;
    const end = Date.parse(talk.end) + late;
    const early = Math.max(Date.parse(talk.start) + late, end - EARLY_MS);
    const base = { room: talk.room, talk: talk.id };
    moments.push({ ...base, at: early, kind: 'early' }, { ...base, at: end, kind: 'exit' });
  }
  return moments.filter((m) => m.at > from).sort((a, b) => a.at - b.at);
}
