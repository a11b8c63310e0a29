import type { DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';

/**
 * How a command's log lines look. `json`: one JSON object a line (pino's own), what journald,
 * Docker, Loki and `jq` read; `pretty`: readable lines for a person at a terminal; `auto`
 * (`LIKEBOX_LOG_FORMAT`'s default): pretty when the logs go to a terminal, JSON otherwise.
 */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/** A value of `LIKEBOX_LOG_FORMAT`. */
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * The format of the log lines: the one asked for, else (`auto`, unset or unknown) pretty when the
 * log's output is a terminal and JSON when it is a pipe, a file or a journal.
 */
export function logFormatOf(wanted: string | undefined, terminal: boolean): 'json' | 'pretty' {
  if (wanted === 'json' || wanted === 'pretty') return wanted;
  return terminal ? 'pretty' : 'json';
}

/**
 * A destination that writes each pino line made readable (pino-pretty's formatter, one line per
 * entry, local clock time, colours on a terminal) to `destination`. The formatter runs in this
 * thread rather than as a pino transport (a worker thread with its own output stream): the lines
 * still go through `destination`, which keeps surviving a full disk or a closed pipe.
 */
export function prettyDestination(
  destination: DestinationStream,
  colorize: boolean,
): DestinationStream {
  const prettify = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
  });
  return { write: (line: string) => destination.write(prettify(line)) };
}
