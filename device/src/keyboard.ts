import type { VirtualButtons } from './control.js';

/**
 * Keyboard mode for a virtual box in a terminal: `+` presses like, `-` dislike, `q` or Ctrl-C
 * stops. After each key the screen is printed.
 */
export function startKeyboard(
  buttons: VirtualButtons,
  lcd: () => string[],
  onQuit: () => void,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stdout,
): () => void {
  const print = () =>
    output.write(
      `\n+${'-'.repeat(lcd()[0]?.length ?? 16)}+\n${lcd()
        .map((l) => `|${l}|`)
        .join('\n')}\n`,
    );
  const onData = (data: Buffer) => {
    for (const key of data.toString('utf8')) {
      if (key === 'q' || key === '\u0003') return onQuit();
      const button = key === '+' ? 'like' : key === '-' ? 'dislike' : null;
      if (button === null) continue;
      buttons
        .click(button)
        .then(print)
        .catch(() => undefined);
    }
  };
  if (input.isTTY) input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  output.write('Keyboard mode: + like, - dislike, q quit\n');
  print();
  return () => {
    input.off('data', onData);
    if (input.isTTY) input.setRawMode(false);
    input.pause();
  };
}
