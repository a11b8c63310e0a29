import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { UsersFileError } from './errors.js';

/** Streams of a command: stdin for passwords, stdout for results, stderr for messages. */
export interface CommandIo {
  /** Standard input (a TTY gets a prompt without echo). */
  stdin: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Standard output. */
  stdout: Writable;
  /** Standard error. */
  stderr: Writable;
}

/** Reads the first line of a non-interactive stdin (a pipe or file). */
function readLine(stdin: Readable): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: stdin, terminal: false });
    let done = false;
    const finish = (line: string) => {
      if (done) return;
      done = true;
      lines.close();
      resolve(line);
    };
    lines.once('line', finish);
    lines.once('close', () => finish(''));
  });
}

/** Prompts on the terminal without echoing what is typed. */
function prompt(io: CommandIo, question: string): Promise<string> {
  return new Promise((resolve) => {
    const muted = { mute: false };
    const rl = createInterface({
      input: io.stdin,
      output: io.stderr,
      terminal: true,
    });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!muted.mute || s.includes('\n')) write.call(rl, muted.mute ? '\n' : s);
    };
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    muted.mute = true;
  });
}

/**
 * The password of `likebox users add|passwd`: prompted twice without echo on a terminal, else the
 * first line of stdin (so scripts can pipe it in and it never shows in the process list).
 */
export async function readPassword(io: CommandIo, name: string): Promise<string> {
  if (io.stdin.isTTY !== true) return readLine(io.stdin);
  const first = await prompt(io, `Password for ${name}: `);
  const second = await prompt(io, 'Repeat it: ');
  if (first !== second) throw new UsersFileError('the two passwords differ');
  return first;
}
