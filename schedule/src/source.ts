import { XMLParser } from 'fast-xml-parser';
import { SyntaxValidator } from 'fast-xml-validator';
import { ScheduleImportError } from './errors.js';
import { jsonErrorIndex } from './jsonErrorIndex.js';

/**
 * Turning the text of a programme into a document tree, with errors that say where: JSON syntax
 * errors give the line and column, XML ones the line and column of the broken tag, and every XML
 * element keeps its position so an importer can name the line of a wrong entry.
 */

/** A parsed programme file. */
export type SourceDocument =
  | { kind: 'json'; root: unknown; lineOf: (index: number) => number }
  | { kind: 'xml'; root: unknown; lineOf: (index: number) => number };

/** Returns a function mapping a character index of `text` to its 1-based line number. */
export function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= index) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}

function fail(where: string, message: string, cause?: unknown): never {
  throw new ScheduleImportError([{ where, message }], { cause });
}

/** True when the text looks like XML rather than JSON. */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}

function parseJson(text: string): SourceDocument {
  const lineOf = lineIndex(text);
  try {
    return { kind: 'json', root: JSON.parse(text), lineOf };
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const index = position === undefined ? jsonErrorIndex(text) : Number(position);
    if ((index !== null && index >= text.length) || /end of JSON input/.test(message)) {
      fail(`line ${lineOf(text.length)}`, 'not valid JSON: the file ends too early', err);
    }
    if (index !== null) {
      const line = lineOf(index);
      const column = index - text.lastIndexOf('\n', index - 1);
      const what = message.replace(/, (?:\.\.\.)?".*" is not valid JSON$/s, '').slice(0, 200);
      fail(`line ${line}, column ${column}`, `not valid JSON: ${what}`, err);
    }
    fail('file', `not valid JSON: ${message.slice(0, 200)}`, err);
  }
}

/** Shared parser: attributes kept (`@_id`), values left as text, element positions captured. */
const xmlParser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  captureMetaData: true,
});

const xmlValidator = new SyntaxValidator();

function parseXml(text: string): SourceDocument {
  try {
    xmlValidator.validate(text);
  } catch (err) {
    const { line, col } = err as { line?: unknown; col?: unknown };
    const where = typeof line === 'number' ? `line ${line}, column ${String(col)}` : 'file';
    fail(where, `not valid XML: ${(err as Error).message}`, err);
  }
  try {
    return { kind: 'xml', root: xmlParser.parse(text), lineOf: lineIndex(text) };
  } catch (err) {
    fail('file', `not valid XML: ${(err as Error).message}`, err);
  }
}

/** Parses a programme as XML or JSON (by its first character); throws {@link ScheduleImportError}. */
export function parseSource(text: string): SourceDocument {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') fail('file', 'the file is empty');
  return looksLikeXml(body) ? parseXml(body) : parseJson(body);
}

const metaData = XMLParser.getMetaDataSymbol();

/** Character index where an XML element began, when the parser captured it. */
export function xmlStartIndex(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[metaData as symbol];
  return meta?.startIndex;
}
