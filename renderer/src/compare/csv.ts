/** One CSV field: strings as they are, numbers in full, other values as JSON, undefined empty; quoted as needed. */
export function csvFieldText(value: unknown): string {
  const s =
    value === undefined ? '' : typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
