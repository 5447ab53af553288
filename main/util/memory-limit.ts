import os from 'node:os';

/**
 * The memory a run (and a file read) may use: COLLAPSE_LAB_MEMORY_LIMIT when set (bytes, or a number with a unit:
 * 512MB, 8GB, 1.5G), else half of the machine's memory (os.totalmem): a run's peak use is often twice its arrays, and the host and the system need room too.
 */
export const MEMORY_LIMIT_ENV = 'COLLAPSE_LAB_MEMORY_LIMIT';

export function memoryLimitBytes(): number {
  const text = process.env[MEMORY_LIMIT_ENV];
  if (text !== undefined && text.trim() !== '') {
    const bytes = parseByteSize(text);
    if (bytes === null) throw new Error(`${MEMORY_LIMIT_ENV}="${text}" is not a size (e.g. 8GB, 512MB or a number of bytes)`);
    return bytes;
  }
  return Math.floor(os.totalmem() * 0.5);
}

/** Where the limit comes from, for messages. */
export function memoryLimitSource(): string {
  return process.env[MEMORY_LIMIT_ENV]
    ? MEMORY_LIMIT_ENV
    : `half of this machine's ${formatBytes(os.totalmem())}; set ${MEMORY_LIMIT_ENV} to change it`;
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 2 ** 10,
  kb: 2 ** 10,
  m: 2 ** 20,
  mb: 2 ** 20,
  g: 2 ** 30,
  gb: 2 ** 30,
  t: 2 ** 40,
  tb: 2 ** 40,
};

export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) return null;
  const unit = UNITS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  const v = Number(m[1]) * unit;
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : null;
}

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(v)} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
