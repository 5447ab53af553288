import fs from 'node:fs';
import path from 'node:path';

/**
 * Make `dir` inside a folder that must already exist (never its parents: a recursive mkdir would bring back a run
 * folder deleted while its run writes, as a fragment outside any run). An existing `dir` is fine; a missing parent
 * throws naming it.
 */
export function makeFolderIn(dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(dir).isDirectory()) return;
    if (code === 'ENOENT') throw new Error(`cannot make ${dir}: ${path.dirname(dir)} no longer exists (deleted?)`, { cause: e });
    throw e;
  }
}
