import buffer from 'node:buffer';
import { gunzipSync, gzipSync } from 'node:zlib';
import { memoryLimitBytes } from '../util/memory-limit';
import { writeFileAtomicSync } from '../util/atomic-write';
import { readInputFile, readInputFileHead } from './read-input-file';

/**
 * IDX files (the MNIST format): bytes 0-1 zero, byte 2 the element type, byte 3 the number of dimensions, then one
 * big-endian uint32 per dimension, then the elements, big-endian. Plain or gzipped (detected by the bytes 1f 8b).
 * Hand-written: the format is a 4-byte header plus a byte swap, and the npm readers are unmaintained and MNIST-only.
 */

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  shape: number[];
  data: IdxData;
}

interface IdxType {
  code: number;
  name: string;
  size: number;
}

const IDX_TYPES: IdxType[] = [
  { code: 0x08, name: 'unsigned byte', size: 1 },
  { code: 0x09, name: 'signed byte', size: 1 },
  { code: 0x0b, name: 'int16', size: 2 },
  { code: 0x0c, name: 'int32', size: 4 },
  { code: 0x0d, name: 'float32', size: 4 },
  { code: 0x0e, name: 'float64', size: 8 },
];

function idxTypeOf(code: number): IdxType | undefined {
  return IDX_TYPES.find((t) => t.code === code);
}

function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Read an IDX file, plain or gzipped. Errors name the file and what is wrong with it. */
export function readIdx(path: string): IdxArray {
  return parseIdx(readInputFile(path, 'IDX file'), path);
}

/**
 * The shape of an IDX file from its header alone (a few bytes), checked against the file's size; null for a gzipped
 * file (its size says nothing before it is inflated). What a run checks before it starts, without reading the data.
 */
export function readIdxHeader(path: string): { shape: number[]; itemSize: number; fileSize: number } | null {
  const first = readInputFileHead(path, 'IDX file', 4);
  if (isGzip(first.head)) return null;
  const ndims = first.head.length === 4 ? first.head[3] : 0;
  const { head, size } = readInputFileHead(path, 'IDX file', 4 + 4 * ndims);
  // a file too short to hold its shape: parseIdx says what is wrong, naming nothing of its content
  if (head.length < 4 + 4 * ndims || head[0] !== 0 || head[1] !== 0 || ndims === 0 || !idxTypeOf(head[2])) {
    parseIdx(head, path);
    return null;
  }
  const type = idxTypeOf(head[2])!;
  const shape = Array.from({ length: ndims }, (_, i) => head.readUInt32BE(4 + 4 * i));
  const expected = 4 + 4 * ndims + shape.reduce((a, b) => a * b, 1) * type.size;
  if (size !== expected) {
    throw new Error(
      `IDX file ${path} ${size < expected ? 'is truncated' : `has ${size - expected} bytes of trailing data`}: ` +
        `shape [${shape.join(', ')}] of ${type.name} needs ${expected} bytes, got ${size}`,
    );
  }
  return { shape, itemSize: type.size, fileSize: size };
}

/** Decode IDX bytes (plain or gzipped); `source` names the origin in error messages. */
export function parseIdx(raw: Uint8Array, source: string): IdxArray {
  let buf = raw;
  let gz = false;
  if (isGzip(raw)) {
    gz = true;
    try {
      // bounded: a small gzip that inflates to more than the memory limit is refused, not inflated
      buf = gunzipSync(raw, { maxOutputLength: Math.min(memoryLimitBytes(), buffer.constants.MAX_LENGTH) });
    } catch (err) {
      throw new Error(`IDX file ${source} looks gzipped but cannot be decompressed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  const after = gz ? ' (after gunzip)' : '';
  if (buf.length < 4) {
    throw new Error(`IDX file ${source} is truncated: ${buf.length} bytes${after}, shorter than the 4-byte header`);
  }
  if (buf[0] !== 0 || buf[1] !== 0) {
    // the bytes found are not echoed: a file that is not IDX may hold anything (a password file, a key)
    throw new Error(
      `${source} is not an IDX file: it does not start with the IDX magic (two zero bytes, then the element type and the number of dimensions)`,
    );
  }
  const type = idxTypeOf(buf[2]);
  if (!type) {
    throw new Error(
      `IDX file ${source} has unsupported element type 0x${buf[2].toString(16).padStart(2, '0')} ` +
        `(supported: ${IDX_TYPES.map((t) => `0x${t.code.toString(16).padStart(2, '0')} ${t.name}`).join(', ')})`,
    );
  }
  const ndims = buf[3];
  if (ndims === 0) throw new Error(`IDX file ${source} declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (buf.length < headerBytes) {
    throw new Error(
      `IDX file ${source} is truncated: expected at least ${headerBytes} header bytes for ${ndims} dimensions, ` +
        `got ${buf.length}${after}`,
    );
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    count *= d;
  }
  const expected = headerBytes + count * type.size;
  if (buf.length < expected) {
    throw new Error(
      `IDX file ${source} is truncated: shape [${shape.join(', ')}] of ${type.name} needs ${expected} bytes, ` +
        `got ${buf.length}${after}`,
    );
  }
  if (buf.length > expected) {
    throw new Error(
      `IDX file ${source} has ${buf.length - expected} bytes of trailing data: shape [${shape.join(', ')}] of ` +
        `${type.name} needs ${expected} bytes, got ${buf.length}${after}`,
    );
  }
  return { shape, data: decodeElements(buf, headerBytes, count, type) };
}

function decodeElements(buf: Uint8Array, off: number, count: number, type: IdxType): IdxData {
  const end = off + count * type.size;
  if (type.size === 1 && buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength) {
    // the file's own buffer (not a slice of Node's shared pool): a view saves a copy of e.g. MNIST's 47 MB
    return type.code === 0x08 ? new Uint8Array(buf.buffer, off, count) : new Int8Array(buf.buffer, off, count);
  }
  // Copy into fresh, aligned storage: the read buffer may be pooled or unaligned, and callers may keep the result.
  const bytes = new Uint8Array(count * type.size);
  bytes.set(buf.subarray(off, end));
  if (type.code === 0x08) return bytes;
  if (type.code === 0x09) return new Int8Array(bytes.buffer, 0, count);
  reverseByteGroups(bytes, type.size);
  switch (type.code) {
    case 0x0b:
      return new Int16Array(bytes.buffer, 0, count);
    case 0x0c:
      return new Int32Array(bytes.buffer, 0, count);
    case 0x0d:
      return new Float32Array(bytes.buffer, 0, count);
    default:
      return new Float64Array(bytes.buffer, 0, count);
  }
}

/** Reverse each `size`-byte group in place: big-endian (the file) to and from little-endian (every Node target). */
function reverseByteGroups(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

function typeCodeFor(data: IdxData): number {
  if (data instanceof Uint8Array) return 0x08;
  if (data instanceof Int8Array) return 0x09;
  if (data instanceof Int16Array) return 0x0b;
  if (data instanceof Int32Array) return 0x0c;
  if (data instanceof Float32Array) return 0x0d;
  return 0x0e;
}

/** Encode an array as IDX bytes (plain). The element type follows the typed array's class. */
export function encodeIdx(data: IdxData, shape: number[]): Buffer {
  if (shape.length < 1 || shape.length > 255) throw new RangeError(`IDX needs 1 to 255 dimensions, got ${shape.length}`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`shape [${shape.join(', ')}] holds ${count} elements but the data has ${data.length}`);
  }
  const type = idxTypeOf(typeCodeFor(data))!;
  const headerBytes = 4 + 4 * shape.length;
  const out = Buffer.alloc(headerBytes + count * type.size);
  out[2] = type.code;
  out[3] = shape.length;
  shape.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i));
  const body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(body, headerBytes);
  if (type.size > 1) reverseByteGroups(out.subarray(headerBytes), type.size);
  return out;
}

/** Write an IDX file atomically, gzipped when `opts.gzip` is set. */
export function writeIdx(path: string, data: IdxData, shape: number[], opts: { gzip?: boolean } = {}): void {
  const bytes = encodeIdx(data, shape);
  writeFileAtomicSync(path, opts.gzip ? gzipSync(bytes) : bytes);
}
