/** What a `likebox schedule` subcommand talks to: injected so tests run it in-process. */
export interface CliIo {
  /** Environment variables (`LIKEBOX_*`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Writes to standard output (the schedule JSON, the windows table). */
  out: (text: string) => void;
  /** Writes to standard error (the summary, warnings, errors). */
  err: (text: string) => void;
  /** The current time, epoch ms. */
  now: () => number;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); never resolves in tests. */
  stopped: Promise<void>;
}

/** Exit codes: 0 done, 1 failed (bad file, broker refused), 2 bad usage. */
export type ExitCode = 0 | 1 | 2;
