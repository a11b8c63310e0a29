/**
 * Where JSON text first goes wrong, for the messages Node 20's `JSON.parse` gives without a
 * position ("Unexpected token ']', … is not valid JSON"). A small recursive-descent scanner
 * (RFC 8259 grammar) that only finds the index of the first error; it never builds values.
 */

/** Thrown inside the scanner at the first error; never leaves this module. */
class JsonStop extends Error {
  constructor(readonly at: number) {
    super(`invalid JSON at ${at}`);
  }
}

class Scanner {
  index = 0;

  constructor(readonly text: string) {}

  space(): void {
    while (/[ \t\n\r]/.test(this.text[this.index] ?? '')) this.index += 1;
  }

  expect(pattern: RegExp): void {
    pattern.lastIndex = this.index;
    const match = pattern.exec(this.text);
    if (match === null) throw new JsonStop(this.index);
    this.index += match[0].length;
  }

  value(): void {
    this.space();
    const char = this.text[this.index];
    if (char === '{') this.members('}', () => this.pair());
    else if (char === '[') this.members(']', () => this.value());
    else if (char === '"')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 8259 §7 forbids raw control characters in strings
      this.expect(/"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y);
    else if (char === 't' || char === 'f' || char === 'n') this.expect(/true|false|null/y);
    else this.expect(/-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y);
  }

  pair(): void {
    this.space();
    if (this.text[this.index] !== '"') throw new JsonStop(this.index);
    this.value();
    this.space();
    this.expect(/:/y);
    this.value();
  }

  members(close: string, item: () => void): void {
    this.index += 1;
    this.space();
    if (this.text[this.index] === close) {
      this.index += 1;
      return;
    }
    for (;;) {
      item();
      this.space();
      const char = this.text[this.index];
      this.index += 1;
      if (char === close) return;
      if (char !== ',') throw new JsonStop(this.index - 1);
    }
  }
}

/** Index of the first character where `text` stops being valid JSON, or null if it is valid. */
export function jsonErrorIndex(text: string): number | null {
  const scanner = new Scanner(text);
  try {
    scanner.value();
    scanner.space();
    return scanner.index < text.length ? scanner.index : null;
  } catch (thrown) {
    if (thrown instanceof JsonStop) return Math.min(thrown.at, text.length);
    return null;
  }
}
