/**
 * CSV text as RFC 4180 writes it, the one quoting rule of every CSV the app writes (a study's aggregate.csv and tables,
 * a figure's data, a run's metrics, the comparison table). Node-free: the engine and the renderer import it.
 */

/** A field's text, quoted when it holds a comma, a double quote or a line break (inner quotes doubled). */
export function csvQuote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV field for a value: strings as they are, numbers in full, other values as JSON, undefined empty; quoted. */
export function csvField(value: unknown): string {
  return csvQuote(
    value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value),
  );
}

/** One line of CSV from its fields' values (see csvField). */
export function csvLine(values: unknown[]): string {
  return values.map(csvField).join(',');
}
