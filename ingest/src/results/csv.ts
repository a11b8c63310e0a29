/**
 * CSV as RFC 4180 writes it: comma-separated, CRLF line ends, a field quoted when it holds a comma,
 * a quote or a line break, quotes doubled. Written here: a dependency for ten lines is not worth it.
 */

/** A cell: text, a number, or empty for null/undefined. */
export type Cell = string | number | boolean | null | undefined;

/** One field, quoted when it must be. */
export function csvField(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  const text = String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}
