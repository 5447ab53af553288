import { readFileSync } from 'node:fs';

/** The bytes of a data file; a failure names what the file was to be (`what`, e.g. 'npy file') and its path. */
export function readInputFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}
