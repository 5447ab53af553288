import { readAll, withInputFile } from './read-input-file';

/**
 * Images stored as fixed-size records of 8-bit pixels without a header, as the official binary files of CIFAR-10,
 * CIFAR-100 (label bytes, then the pixels) and STL-10 (the pixels alone) hold them: each image channel after channel,
 * each channel a square plane, row-major (CIFAR) or column-major (STL-10, MATLAB's order). The record count comes from
 * the file's size, which must be a whole number of records. Files are read a chunk or a chosen record at a time, so a
 * subset of a large file (STL-10's 2.8 GB of unlabelled images) costs only the records it keeps.
 */
export interface ImageRecordLayout {
  /** What a file of this layout is, for errors: "CIFAR-10 file". */
  what: string;
  /** Bytes of one record. */
  recordBytes: number;
  /** Offset of the first pixel byte in a record. */
  pixelOffset: number;
  /** Height and width of the (square) images. */
  side: number;
  channels: number;
  /** The order of each channel's plane in the file. */
  planeOrder: 'row-major' | 'column-major';
}

/** Records in a file of `size` bytes; a size that is not a whole number of records is refused, naming the file. */
export function recordCount(path: string, size: number, layout: ImageRecordLayout): number {
  const n = Math.floor(size / layout.recordBytes);
  const rest = size - n * layout.recordBytes;
  if (size === 0) throw new Error(`${layout.what} ${path} is empty`);
  if (rest !== 0) {
    throw new Error(
      `${layout.what} ${path} is truncated or not in the official format: ${size.toLocaleString('en-US')} bytes is ` +
        `${n.toLocaleString('en-US')} records of ${layout.recordBytes.toLocaleString('en-US')} bytes and ${rest} bytes more`,
    );
  }
  return n;
}

/** Bytes read per chunk when a whole file is scanned. */
const CHUNK_RECORDS = 1024;

/**
 * The bytes at `offsets` of every record of the file (e.g. CIFAR's label bytes), one array per offset, and the record
 * count. Reads the file in chunks; memory beyond the result is one chunk.
 */
export function readRecordFields(path: string, layout: ImageRecordLayout, offsets: number[]): { n: number; fields: Uint8Array[] } {
  return withInputFile(path, layout.what, { maxBytes: Number.MAX_SAFE_INTEGER }, (fd, size) => {
    const n = recordCount(path, size, layout);
    const fields = offsets.map(() => new Uint8Array(n));
    for (let first = 0; first < n; first += CHUNK_RECORDS) {
      const count = Math.min(CHUNK_RECORDS, n - first);
      const bytes = readAll(fd, count * layout.recordBytes, first * layout.recordBytes, path, layout.what);
      if (bytes.length < count * layout.recordBytes) throw new Error(`${layout.what} ${path} shrank while it was read`);
      for (let r = 0; r < count; r++) offsets.forEach((o, f) => (fields[f][first + r] = bytes[r * layout.recordBytes + o]));
    }
    return { n, fields };
  });
}

/**
 * The images of records `rows` (each in 0 … n−1) of one file, decoded to the engine's form: row-major
 * [rows.length, side·side·channels], height × width × channels, values in [0, 1].
 */
export function readImageRecords(path: string, layout: ImageRecordLayout, rows: ArrayLike<number>): Float32Array {
  const dim = layout.side * layout.side * layout.channels;
  const out = new Float32Array(rows.length * dim);
  withInputFile(path, layout.what, { maxBytes: Number.MAX_SAFE_INTEGER }, (fd, size) => {
    const n = recordCount(path, size, layout);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!(r >= 0 && r < n)) throw new RangeError(`${layout.what} ${path}: record ${r} out of range [0, ${n})`);
      const bytes = readAll(fd, layout.recordBytes, r * layout.recordBytes, path, layout.what);
      if (bytes.length < layout.recordBytes) throw new Error(`${layout.what} ${path} shrank while it was read`);
      decodeImage(bytes, layout, out, i * dim);
    }
  });
  return out;
}

/** One record's pixels into `out` at `at`, as height × width × channels in [0, 1]. */
export function decodeImage(record: Uint8Array, layout: ImageRecordLayout, out: Float32Array, at: number): void {
  const { side, channels, pixelOffset } = layout;
  const plane = side * side;
  const columnMajor = layout.planeOrder === 'column-major';
  for (let c = 0; c < channels; c++) {
    const base = pixelOffset + c * plane;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const src = base + (columnMajor ? x * side + y : y * side + x);
        out[at + (y * side + x) * channels + c] = record[src] / 255;
      }
    }
  }
}
