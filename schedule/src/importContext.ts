import { canonicalZone, wallToInstant } from '@likebox/protocol';
import {
  type CalendarDate,
  type Clock,
  formatClock,
  parseClock,
  parseDate,
  parseDuration,
} from './clock.js';
import { type ImportProblem, ScheduleImportError } from './errors.js';
import { text } from './fields.js';
import { formatOffset, zoneFromOffsets } from './offsetZone.js';
import type { ImportOptions, ImportWarning, WarningCode } from './types.js';

/**
 * What an importer shares while it reads one file: the options, the warnings (defects repaired)
 * and the problems (entries that cannot be understood). Problems are collected so the final
 * error lists every wrong entry at once, then {@link ImportContext.failIfProblems} throws.
 */
export class ImportContext {
  /** Defects repaired so far: reading ones in file order, then normalising ones by talk start. */
  readonly warnings: ImportWarning[] = [];
  /** Entries that cannot be understood, in file order. */
  readonly problems: ImportProblem[] = [];

  constructor(readonly options: ImportOptions) {}

  /** Records a repaired defect. */
  warn(code: WarningCode, where: string, message: string): void {
    this.warnings.push({ code, where, message });
  }

  /** Records an entry that cannot be understood. */
  problem(where: string, message: string): void {
    this.problems.push({ where, message });
  }

  /** Refuses the file at once, with this problem and those found before. */
  fail(where: string, message: string): never {
    throw new ScheduleImportError([...this.problems, { where, message }]);
  }

  /** Throws {@link ScheduleImportError} listing every problem, if any. */
  failIfProblems(): void {
    if (this.problems.length > 0) throw new ScheduleImportError(this.problems);
  }

  /** What to tell the user to do to give the zone `zone`, through the setting of their command. */
  tzAdvice(zone = 'ZONE'): string {
    return (this.options.tzHint ?? '--tz') === '--tz'
      ? `pass --tz ${zone}`
      : `set LIKEBOX_SCHEDULE_TZ=${zone}`;
  }

  /**
   * The programme's time zone: the tz option first, else the one the file declares, else the
   * fixed zone of the one UTC offset every time of the file carries (`times`: each event's
   * date-time as written, see `offsetZone.ts`), else refuse: local times without a zone cannot
   * be placed in time.
   */
  zone(declared: string, where: string, times: readonly string[] = []): string {
    const option = this.options.tz?.trim() ?? '';
    if (option !== '') return this.#known(option, this.options.tzHint ?? '--tz', false);
    if (declared.trim() !== '') return this.#known(declared.trim(), `${where} of the file`, true);
    return this.#fromOffsets(times);
  }

  #known(wanted: string, source: string, fromFile: boolean): string {
    const zone = canonicalZone(wanted);
    if (zone !== null) return zone;
    const fix = fromFile ? `; ${this.tzAdvice()} to give the right one` : '';
    throw new ScheduleImportError([
      {
        where: source,
        message: `unknown time zone ${JSON.stringify(wanted)} (use an IANA name such as Europe/Paris)${fix}`,
      },
    ]);
  }

  #fromOffsets(times: readonly string[]): string {
    const found = zoneFromOffsets(times);
    if (found.kind === 'fixed') {
      const offset = formatOffset(found.offset);
      this.warn(
        'time-zone',
        'file',
        `the file names no time zone and every time carries the offset ${offset}: read in the fixed zone ${found.zone}; ${this.tzAdvice()} to name the programme's zone`,
      );
      return found.zone;
    }
    let why = 'the file gives no time zone for its local times';
    let examples = 'an IANA name such as Europe/Paris';
    if (found.kind === 'none' && found.missing < found.total) {
      why += ` (${found.missing} of ${found.total} event times carry no UTC offset)`;
    } else if (found.kind === 'unfixed') {
      const offsets = found.offsets.map(formatOffset).join(', ');
      why =
        found.offsets.length > 1
          ? `the file names no time zone and its times carry several UTC offsets (${offsets}, a daylight-saving change): no fixed zone fits them all`
          : `the file names no time zone and its times carry the offset ${offsets}, which no IANA fixed zone has (Etc/GMT zones are whole hours)`;
      if (found.candidates.length > 0) examples = `zones that fit: ${found.candidates.join(', ')}`;
    }
    throw new ScheduleImportError([
      {
        where: this.options.fileName ?? 'file',
        message: `${why}: ${this.tzAdvice()} (${examples})`,
      },
    ]);
  }

  /** A time of day, warning on odd notations and recording a problem when unreadable. */
  clock(value: unknown, where: string): Clock | null {
    const raw = text(value);
    const parsed = parseClock(raw);
    if (parsed === null) {
      this.problem(
        where,
        `not a time of day: ${JSON.stringify(value) ?? 'nothing'} (expected HH:MM)`,
      );
      return null;
    }
    if (parsed.odd) {
      this.warn('time-format', where, `time "${raw}" read as ${formatClock(parsed.value)}`);
    }
    return parsed.value;
  }

  /** A calendar date, recording a problem when unreadable. */
  date(value: unknown, where: string): CalendarDate | null {
    const parsed = parseDate(text(value));
    if (parsed === null) {
      this.problem(
        where,
        `not a date: ${JSON.stringify(value) ?? 'nothing'} (expected YYYY-MM-DD or DD/MM/YYYY)`,
      );
      return null;
    }
    return parsed.value;
  }

  /** A duration in minutes (> 0), warning on odd notations, recording a problem when unreadable. */
  duration(value: unknown, where: string): number | null {
    const raw = text(value);
    const parsed = parseDuration(raw);
    if (parsed === null) {
      this.problem(where, `not a duration: ${JSON.stringify(value) ?? 'nothing'} (expected HH:MM)`);
      return null;
    }
    if (parsed.odd)
      this.warn('time-format', where, `duration "${raw}" read as ${parsed.value} min`);
    return parsed.value;
  }

  /** The instant of a local date and time in `zone`; days past the date roll over (24:00, 25:30). */
  instant(zone: string, date: CalendarDate, clock: Clock, extraDays = 0): number {
    return wallToInstant(zone, {
      year: date.year,
      month: date.month,
      day: date.day + extraDays,
      hour: clock.hour,
      minute: clock.minute,
    });
  }
}
