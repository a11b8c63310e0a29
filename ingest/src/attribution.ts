import type { ScheduleIndex } from '@likebox/protocol';

/** The `talk` tag of a vote outside every vote window. */
export const NO_TALK = 'none';

/** How the room was decided. */
export type RoomCheck = 'ok' | 'config-mismatch' | 'from-config' | 'unknown-room';

/** A vote's attribution. */
export interface Attribution {
  /** Room slug for the `room` tag. */
  room: string;
  /** Talk id, or {@link NO_TALK}. */
  talk: string;
  /** Result of checking the vote's room against the box's config and the schedule. */
  check: RoomCheck;
}

/**
 * Attributes a vote to a room and a talk.
 *
 * The room is the one the box stamped on the vote (it knew where it stood when pressed), checked:
 * - against the schedule: a room the schedule does not know is replaced by the box's configured
 *   room when the schedule knows that one (`from-config`), else kept (`unknown-room`, talk `none`);
 * - against the box's retained `config`: a different room is kept but reported (`config-mismatch`:
 *   the box was moved after the press, or its config is stale).
 *
 * The talk is the one whose vote window holds the press time in that room, else `none`.
 */
export function attribute(
  voteRoom: string,
  at: number,
  configRoom: string | undefined,
  index: ScheduleIndex | undefined,
): Attribution {
  let room = voteRoom;
  let check: RoomCheck = 'ok';
  if (index !== undefined && !hasRoom(index, voteRoom)) {
    if (configRoom !== undefined && hasRoom(index, configRoom)) {
      room = configRoom;
      check = 'from-config';
    } else {
      check = 'unknown-room';
    }
  } else if (configRoom !== undefined && configRoom !== voteRoom) {
    check = 'config-mismatch';
  }
  const talk = index?.talkAt(room, at)?.talk.id ?? NO_TALK;
  return { room, talk, check };
}

const roomSets = new WeakMap<ScheduleIndex, Set<string>>();

function hasRoom(index: ScheduleIndex, room: string): boolean {
  let rooms = roomSets.get(index);
  if (rooms === undefined) {
    rooms = new Set(index.schedule.rooms.map((r) => r.slug));
    roomSets.set(index, rooms);
  }
  return rooms.has(room);
}
