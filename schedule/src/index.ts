export { canonicalZone, toZonedIso, wallToInstant, zoneOffset } from '@likebox/protocol';
export { applyDelay, resolveRoom } from './applyDelay.js';
export { BREIZHCAMP_2013_MINUTES } from './breizhcamp.js';
export {
  type ImportProblem,
  ProgrammeFetchError,
  ProgrammeUnavailableError,
  ScheduleError,
  ScheduleImportError,
} from './errors.js';
export {
  FETCH_MAX_BYTES,
  FETCH_TIMEOUT_MS,
  type FetchedProgramme,
  type FetchProgrammeOptions,
  fetchProgramme,
  isProgrammeUrl,
  loadScheduleUrl,
} from './fetchProgramme.js';
export { detectFormat, type ImportResult, importSchedule } from './importSchedule.js';
export { type LoadedSchedule, loadScheduleFile, loadScheduleText } from './loadScheduleFile.js';
export {
  RemoteProgramme,
  type RemoteProgrammeOptions,
  type RemoteProgrammeState,
} from './remoteProgramme.js';
export {
  REPLAY_FILE,
  REPLAYED_SCHEDULE_FILE,
  type Replay,
  replayNowOffset,
  replayProgramme,
} from './replay.js';
export { formatSummary, type ScheduleCounts, scheduleCounts } from './summary.js';
export {
  type DetectedFormat,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  type ImportWarning,
  type TzSetting,
  type WarningCode,
} from './types.js';
export { defaultRuleFor, FORMAT_WINDOW_DEFAULTS, windowsByFormat } from './windowDefaults.js';
