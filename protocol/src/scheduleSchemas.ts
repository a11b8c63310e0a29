import { z } from 'zod';
import { EpochMs, Slug, TalkId } from './schemas.js';

/**
 * Zod schemas of the programme's payloads (ARCHITECTURE.md): the normalised schedule, its rooms and
 * talks, a room's delay, and `rooms/{room}/now`. Strict and bounded, as every payload.
 */

/** Minutes after a talk's start when voting opens, and after its end when it closes. */
export const VoteWindowRule = z.strictObject({
  /** Minutes after the scheduled start (may be negative). */
  openAfterStart: z.int().min(-720).max(720),
  /** Minutes after the scheduled end (may be negative). */
  closeAfterEnd: z.int().min(-720).max(720),
});

/** A room of the schedule. */
export const Room = z.strictObject({
  slug: Slug,
  name: z.string().min(1).max(120),
});

/** An ISO 8601 instant with its offset, e.g. `2015-06-11T14:00:00+02:00`. */
export const IsoInstant = z.iso.datetime({ offset: true });

/** A talk of the schedule. */
export const Talk = z
  .strictObject({
    /** Unique within the schedule. */
    id: TalkId,
    /** Slug of one of the schedule's rooms. */
    room: Slug,
    start: IsoInstant,
    end: IsoInstant,
    title: z.string().min(1).max(500),
    speakers: z.array(z.string().min(1).max(200)).max(50),
    /** Free-form format name ("Conférence", "Quickie", "lab"): selects the vote-window rule. */
    format: z.string().max(80),
    /** False for breaks, meals and other slots nobody votes on. */
    votable: z.boolean(),
  })
  .refine((talk) => Date.parse(talk.end) > Date.parse(talk.start), {
    message: 'end must be after start',
    path: ['end'],
  });

/** "This room runs late": shifts the room's talks that had not ended when it was declared. */
export const RoomDelay = z.strictObject({
  /** Minutes late (0 cancels an earlier delay; negative: the room runs early). */
  minutes: z.int().min(-240).max(240),
  /** When the delay was declared, epoch ms: talks whose scheduled end is at or after it shift. */
  since: EpochMs,
});

/** The normalised schedule, `likebox/v1/{event}/schedule`, ingest → boxes and public, retained. */
export const SchedulePayload = z
  .strictObject({
    /** Format version of this document. */
    version: z.literal(1),
    event: Slug,
    /** Display name of the event. */
    name: z.string().min(1).max(200),
    /** IANA time zone the programme was written in, e.g. `Europe/Paris`. */
    timeZone: z.string().min(1).max(64),
    rooms: z.array(Room).max(500),
    talks: z.array(Talk).max(10_000),
    /** Vote windows: the default rule and overrides keyed by talk format. */
    windows: z
      .strictObject({
        default: VoteWindowRule,
        byFormat: z.record(z.string().max(80), VoteWindowRule),
      })
      .optional(),
    /** Current delay of each late room, keyed by room slug. */
    delays: z.record(Slug, RoomDelay).optional(),
  })
  .superRefine((schedule, ctx) => {
    const rooms = new Set<string>();
    for (const [index, room] of schedule.rooms.entries()) {
      if (rooms.has(room.slug)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate room slug "${room.slug}"`,
          path: ['rooms', index],
        });
      }
      rooms.add(room.slug);
    }
    const ids = new Set<string>();
    for (const [index, talk] of schedule.talks.entries()) {
      if (ids.has(talk.id)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate talk id "${talk.id}"`,
          path: ['talks', index, 'id'],
        });
      }
      ids.add(talk.id);
      if (!rooms.has(talk.room)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown room "${talk.room}"`,
          path: ['talks', index, 'room'],
        });
      }
    }
  });

/** A talk as shown on a box or a room display. */
export const TalkRef = z.strictObject({
  id: TalkId,
  title: z.string().min(1).max(500),
  speakers: z.array(z.string().min(1).max(200)).max(50),
  start: IsoInstant,
  end: IsoInstant,
});

/** A vote window as instants, epoch ms, delay included. */
export const WindowPayload = z.strictObject({
  opens: EpochMs,
  closes: EpochMs,
});

/** `rooms/{room}/now`, ingest → boxes and public, retained: what a press in this room counts for. */
export const NowPayload = z.strictObject({
  room: Slug,
  roomName: z.string().min(1).max(120),
  /** The talk a press counts for now, or null between windows. */
  talk: TalkRef.nullable(),
  /** The current talk's vote window, or null. */
  window: WindowPayload.nullable(),
  /** The next talk whose window has not opened yet, or null. */
  next: TalkRef.nullable(),
  /** The next talk's vote window, or null. */
  nextWindow: WindowPayload.nullable(),
  /** Minutes the room runs late (0 when on time). */
  delay: z.int().min(-240).max(240),
  /** When this was computed, epoch ms. */
  at: EpochMs,
});

export type VoteWindowRule = z.infer<typeof VoteWindowRule>;
export type Room = z.infer<typeof Room>;
export type Talk = z.infer<typeof Talk>;
export type RoomDelay = z.infer<typeof RoomDelay>;
export type Schedule = z.infer<typeof SchedulePayload>;
export type TalkRef = z.infer<typeof TalkRef>;
export type VoteWindow = z.infer<typeof WindowPayload>;
export type Now = z.infer<typeof NowPayload>;
