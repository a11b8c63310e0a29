export { canonicalZone, toZonedIso, wallToInstant, zoneOffset } from '@likebox/protocol';
export { applyDelay, resolveRoom } from './applyDelay.js';
export { BREIZHCAMP_2013_MINUTES } from './breizhcamp.js';
export { type ImportProblem, ScheduleError, ScheduleImportError } from './errors.js';
export { detectFormat, type ImportResult, importSchedule } from './importSchedule.js';
export { type LoadedSchedule, loadScheduleFile } from './loadScheduleFile.js';
export { formatSummary, type ScheduleCounts, scheduleCounts } from './summary.js';
export {
  type DetectedFormat,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  type ImportWarning,
  type WarningCode,
} from './types.js';
export { defaultRuleFor, FORMAT_WINDOW_DEFAULTS, windowsByFormat } from './windowDefaults.js';
