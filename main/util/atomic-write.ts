import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Atomic file writes: write to a temporary file in the same folder, fsync it, then rename it over the target, so a
 * reader (or a run resumed after a crash) sees either the old file or the complete new one, never a partial file.
 * Hand-written because it is a dozen lines over node:fs; the npm packages for it add dependencies for no gain here.
 */

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function asBytes(data: Buffer | Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** The error of a failed write, naming the folder when the folder itself is gone (a run folder deleted while it runs). */
export function writeError(path: string, err: unknown): Error {
  const folder = dirname(path);
  const gone = (err as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(folder);
  const why = gone ? `${folder} no longer exists (deleted?)` : (err as Error).message;
  return new Error(`cannot write ${path}: ${why}`, { cause: err });
}

/** Flush the folder entry of a rename to disk. Best effort: some file systems refuse to open or fsync a folder. */
function fsyncFolderSync(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here (e.g. some network or Windows file systems); the rename itself is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function writeFileAtomic(path: string, data: Buffer | Uint8Array | string): Promise<void> {
  const bytes = asBytes(data);
  const tmp = tempPathFor(path);
  let renamed = false;
  try {
    const fh = await open(tmp, 'w', 0o644);
    try {
      let off = 0;
      while (off < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
        off += bytesWritten;
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
    renamed = true;
    const dir = await open(dirname(path), 'r').catch(() => undefined);
    if (dir) {
      await dir.sync().catch(() => undefined);
      await dir.close();
    }
  } catch (err) {
    if (!renamed) await unlink(tmp).catch(() => undefined);
    throw writeError(path, err);
  }
}

/**
 * writeFileAtomicSync for text made piece by piece: each chunk is written as it comes (a large file never whole in
 * memory), and the file appears complete, or not at all, once the last one is written.
 */
export function writeChunksAtomicSync(path: string, chunks: Iterable<string | Uint8Array>): void {
  const tmp = tempPathFor(path);
  let renamed = false;
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      for (const chunk of chunks) {
        const bytes = asBytes(chunk);
        let off = 0;
        while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    renamed = true;
    fsyncFolderSync(dirname(path));
  } catch (err) {
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        // the temporary file may not exist
      }
    }
    throw writeError(path, err);
  }
}

/**
 * `durable: false` skips the fsyncs: the rename is still atomic for readers and against a killed process (the page
 * cache outlives the process); only a machine crash may lose the new content. For notes rewritten every few
 * milliseconds whose truth is elsewhere (a run's status after each generation: its metrics lines are the commit).
 */
export function writeFileAtomicSync(path: string, data: Buffer | Uint8Array | string, opts: { durable?: boolean } = {}): void {
  const durable = opts.durable ?? true;
  const bytes = asBytes(data);
  const tmp = tempPathFor(path);
  let renamed = false;
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
    renamed = true;
    if (durable) fsyncFolderSync(dirname(path));
  } catch (err) {
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        // the temporary file may not exist
      }
    }
    throw writeError(path, err);
  }
}
