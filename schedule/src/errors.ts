import { LikeboxError } from '@likebox/runtime';

/** Base class of every error thrown by `@likebox/schedule`. */
export class ScheduleBaseError extends LikeboxError {}

/** One thing wrong in a programme file: where (a JSON path, an XML element or a line) and what. */
export interface ImportProblem {
  /** Where: `programme.jours[1].proposals[7].start`, `line 12`, `day[0].room[3].event[2]`. */
  where: string;
  /** What is wrong, for a human. */
  message: string;
}

/**
 * A programme could not be imported: unknown format, broken file or entries that cannot be
 * understood. The message names every entry or line that is wrong (the first ten, then a count).
 */
export class ScheduleImportError extends ScheduleBaseError {
  /** Every problem found, in file order. */
  readonly problems: readonly ImportProblem[];

  constructor(problems: readonly ImportProblem[], options?: ErrorOptions) {
    super(describeProblems(problems), options);
    this.problems = problems;
  }
}

/** A schedule operation got an argument it cannot apply (e.g. a delay for a room not in it). */
export class ScheduleError extends ScheduleBaseError {}

/** Fetching a programme over HTTP failed: network, timeout, an HTTP error status or a body too large. */
export class ProgrammeFetchError extends ScheduleBaseError {
  /** The URL asked for. */
  readonly url: string;
  /** Why, for a human and for the health document (`HTTP 503 Service Unavailable`, `timed out after 30000 ms`). */
  readonly reason: string;

  constructor(url: string, reason: string, options?: ErrorOptions) {
    super(`GET ${url}: ${reason}`, options);
    this.url = url;
    this.reason = reason;
  }
}

/**
 * A programme URL gave no programme at start-up (down, refused, or a body that does not import)
 * and no last good copy of it is kept: the caller decides (the ingest refuses to start).
 */
export class ProgrammeUnavailableError extends ScheduleBaseError {}

const SHOWN_PROBLEMS = 10;

function describeProblems(problems: readonly ImportProblem[]): string {
  const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => `${p.where}: ${p.message}`);
  if (problems.length > SHOWN_PROBLEMS) {
    lines.push(`… and ${problems.length - SHOWN_PROBLEMS} more problems`);
  }
  return problems.length === 1
    ? (lines[0] ?? '')
    : `${problems.length} problems:\n${lines.join('\n')}`;
}
