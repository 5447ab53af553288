import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { formatBytes, memoryLimitBytes, memoryLimitSource } from '../util/memory-limit';
import { DataFileError } from './data-file-error';

/**
 * The one reader of the user's data files. Only a regular file is read: a device (/dev/zero), a named pipe, a socket
 * or a folder is refused at once, naming it; the file is opened without blocking (a named pipe would otherwise block
 * the thread until a writer comes) and checked on its descriptor, and its size is checked against `maxBytes` (default:
 * the memory limit) before a byte is read.
 */

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Throws unless `path` is a regular file; returns its size. `what` names what the file was to be (e.g. 'npy file'). */
export function checkRegularFile(path: string, what: string): number {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new DataFileError('file', path, `cannot read ${what} ${path}: ${errorText(err)}`, { cause: err });
  }
  if (!st.isFile()) throw new DataFileError('file', path, `${what} ${path} is ${kindOf(st)}, not a regular file`);
  return st.size;
}

/** The bytes of a data file; a failure names what the file was to be (`what`, e.g. 'npy file') and its path. */
export function readInputFile(path: string, what: string, opts: { maxBytes?: number } = {}): Buffer {
  return withInputFile(path, what, opts, (fd, size) => readAll(fd, size, 0, path, what));
}

/** The first `length` bytes (fewer if the file is shorter) of a data file, checked as readInputFile checks it. */
export function readInputFileHead(path: string, what: string, length: number): { head: Buffer; size: number } {
  return withInputFile(path, what, { maxBytes: Number.MAX_SAFE_INTEGER }, (fd, size) => ({
    head: readAll(fd, Math.min(length, size), 0, path, what),
    size,
  }));
}

/**
 * Open a data file as readInputFile does (regular file only, without blocking, size checked against `opts.maxBytes`,
 * default the memory limit) and hand its descriptor and size to `use`; closed after.
 */
export function withInputFile<T>(path: string, what: string, opts: { maxBytes?: number }, use: (fd: number, size: number) => T): T {
  const { fd, size } = openInputFile(path, what, opts);
  try {
    return use(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * Open a data file as withInputFile does and return its descriptor (the caller closes it, e.g. a read stream's
 * autoClose) and its size.
 */
export function openInputFile(path: string, what: string, opts: { maxBytes?: number }): { fd: number; size: number } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a named pipe must not wait for a writer (the descriptor's type is checked next)
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new DataFileError('file', path, `cannot read ${what} ${path}: ${errorText(err)}`, { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new DataFileError('file', path, `${what} ${path} is ${kindOf(st)}, not a regular file`);
    const max = opts.maxBytes ?? memoryLimitBytes();
    if (st.size > max) {
      throw new DataFileError(
        'size',
        path,
        `${what} ${path} is ${formatBytes(st.size)}, more than the ${formatBytes(max)} it may take in memory` +
          (opts.maxBytes === undefined ? ` (${memoryLimitSource()})` : ''),
      );
    }
    return { fd, size: st.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** `size` bytes from `position` of an open data file (fewer if the file shrank); failures name the file. */
export function readAll(fd: number, size: number, position: number, path: string, what: string): Buffer {
  let buf: Buffer;
  try {
    buf = Buffer.allocUnsafe(size);
  } catch (err) {
    throw new DataFileError('size', path, `${what} ${path} is ${formatBytes(size)}, too large to read: ${errorText(err)}`, { cause: err });
  }
  let off = 0;
  try {
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, position + off);
      if (n === 0) break; // the file shrank while it was read
      off += n;
    }
  } catch (err) {
    throw new DataFileError('file', path, `cannot read ${what} ${path}: ${errorText(err)}`, { cause: err });
  }
  return off === size ? buf : buf.subarray(0, off);
}

function errorText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  // the system's message without the path and syscall that Node appends (the caller names the file)
  if (e?.code && typeof e.message === 'string') {
    const m = /^[A-Z]+: ([^,]+)/.exec(e.message);
    return m ? `${e.code}: ${m[1]}` : e.code;
  }
  return (err as Error)?.message ?? String(err);
}
