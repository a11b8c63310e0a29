import type { VoteWindowRule } from '@likebox/protocol';

/** Formats `importSchedule` reads; `auto` detects the format from the document's shape. */
export const IMPORT_FORMATS = [
  'auto',
  'breizhcamp',
  'frab-xml',
  'frab-json',
  'pretalx',
  'sessionize',
] as const;

/** One of {@link IMPORT_FORMATS}. */
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The precise shape an importer recognised (reported in the summary). */
export type DetectedFormat =
  | 'breizhcamp-2013'
  | 'breizhcamp-2015'
  | 'frab-xml'
  | 'frab-json'
  | 'pretalx'
  | 'sessionize';

/**
 * How the user of the command they ran sets the programme's time zone, for the messages that ask
 * for one: `likebox schedule import` takes `--tz`; `likebox ingest` and `likebox up` read
 * `LIKEBOX_SCHEDULE_TZ`.
 */
export type TzSetting = '--tz' | 'LIKEBOX_SCHEDULE_TZ';

/** Options of `importSchedule`. */
export interface ImportOptions {
  /** The file's format; default `auto` (detected from its shape). */
  format?: ImportFormat;
  /**
   * IANA time zone of the programme's local times (`Europe/Paris`). Wins over the zone the file
   * declares; required when the file declares none and its times carry no UTC offset.
   */
  tz?: string;
  /** How messages name the setting behind `tz`; default `--tz`. */
  tzHint?: TzSetting;
  /** Event slug of the normalised schedule; default: derived from the file's title or acronym. */
  event?: string;
  /** Name of the file, used in messages only. */
  fileName?: string;
  /** Vote-window rules by talk format, on top of the built-in defaults (`windowDefaults.ts`). */
  windows?: Record<string, VoteWindowRule>;
}

/** Kinds of defects an import repairs and reports. */
export type WarningCode =
  | 'time-format'
  | 'duplicate-id'
  | 'missing-id'
  | 'not-votable'
  | 'past-midnight'
  | 'time-zone'
  | 'unused-room'
  | 'slug-collision'
  | 'end-from-format'
  | 'dropped'
  | 'repaired-text';

/** A defect the import repaired, and how. */
export interface ImportWarning {
  /** What kind of defect. */
  code: WarningCode;
  /** Where: a JSON path (`programme.jours[1].proposals[7].start`), an element with its line, or `file`. */
  where: string;
  /** What was found and what was done about it. */
  message: string;
}

/** A talk as an importer read it: instants resolved, names not yet slugs, ids not yet unique. */
export interface DraftTalk {
  /** Where the entry is, for messages. */
  where: string;
  /** The id in the file, or empty when it has none. */
  id: string;
  /** Room display name. */
  room: string;
  /** Epoch ms. */
  start: number;
  /** Epoch ms, after `start`. */
  end: number;
  title: string;
  speakers: string[];
  format: string;
  /** Track or category, when the file has one (helps recognise breaks). */
  track: string;
  /** True/false when the file says so (e.g. Sessionize service sessions); null: decided by name. */
  votable: boolean | null;
}

/** What an importer hands to the normaliser. */
export interface Draft {
  /** Display name of the event. */
  name: string;
  /** Text the event slug is derived from when no `event` option is given. */
  eventHint: string;
  /** The resolved IANA time zone. */
  timeZone: string;
  /** Rooms the file declares, in file order (they may have no talk). */
  rooms: string[];
  talks: DraftTalk[];
}
