import buffer from 'node:buffer';
import { closeSync, createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import { formatBytes, memoryLimitBytes, memoryLimitSource } from '../util/memory-limit';
import { writeFileAtomicSync } from '../util/atomic-write';
import { openInputFile, readAll, readInputFileHead } from './read-input-file';
import { DataFileError } from './data-file-error';

/**
 * IDX files (the MNIST format): bytes 0-1 zero, byte 2 the element type, byte 3 the number of dimensions, then one
 * big-endian uint32 per dimension, then the elements, big-endian. Plain or gzipped (detected by the bytes 1f 8b).
 * Hand-written: the format is a 4-byte header plus a byte swap, and the npm readers are unmaintained and MNIST-only.
 * Read streamed: the file (inflated by a zlib stream when gzipped) is taken in chunks of at most 64 KiB, the header
 * from its first bytes, and each chunk's elements go straight into the reader's final array, allocated once; so a
 * read holds that array plus one chunk, never the whole file.
 */

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  shape: number[];
  data: IdxData;
}

export interface IdxType {
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

/** What an IDX file declares: its shape, element type and count, and the length of its header. */
export interface IdxHeader {
  shape: number[];
  type: IdxType;
  count: number;
  headerBytes: number;
}

/**
 * Where a streamed IDX file's elements go, made from its header: `take` receives them in order, a chunk at a time
 * (`at` is the index of the chunk's first element; the chunk is reused after the call), `result` is called at the end.
 */
export interface IdxSink<T> {
  take(chunk: IdxData, at: number): void;
  result(): T;
}

const CHUNK_BYTES = 64 * 1024;

/** Read an IDX file, plain or gzipped, into one typed array. Errors name the file and what is wrong with it. */
export function readIdx(path: string): Promise<IdxArray> {
  return streamIdx(path, (h) => {
    checkFitsInMemory(path, h, h.count * h.type.size);
    const data = newIdxData(h.type, h.count);
    return { take: (chunk, at) => data.set(chunk, at), result: () => ({ shape: h.shape, data }) };
  });
}

/** Refuse, before it is allocated, an array of `bytes` for the file `path` that would exceed the memory limit. */
export function checkFitsInMemory(path: string, h: IdxHeader, bytes: number): void {
  const max = Math.min(memoryLimitBytes(), buffer.constants.MAX_LENGTH);
  if (bytes > max) {
    throw new DataFileError(
      'size',
      path,
      `IDX file ${path} declares shape [${h.shape.join(', ')}] of ${h.type.name}, ${formatBytes(bytes)} in memory, ` +
        `more than the ${formatBytes(max)} it may take (${memoryLimitSource()})`,
    );
  }
}

function newIdxData(type: IdxType, count: number): IdxData {
  switch (type.code) {
    case 0x08:
      return new Uint8Array(count);
    case 0x09:
      return new Int8Array(count);
    case 0x0b:
      return new Int16Array(count);
    case 0x0c:
      return new Int32Array(count);
    case 0x0d:
      return new Float32Array(count);
    default:
      return new Float64Array(count);
  }
}

/**
 * Stream an IDX file (plain or gzipped) through the sink `sinkFor` makes from its header. A plain file's size is
 * checked against its header before any element is read; a gzipped file's inflated length as it comes (trailing data
 * is counted up to the memory limit, then refused).
 */
export async function streamIdx<T>(path: string, sinkFor: (header: IdxHeader) => IdxSink<T>): Promise<T> {
  const { fd, size } = openInputFile(path, 'IDX file', {});
  let gz: boolean;
  try {
    gz = isGzip(readAll(fd, Math.min(2, size), 0, path, 'IDX file'));
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  const after = gz ? ' (after gunzip)' : '';
  const limit = memoryLimitBytes();
  let ours: unknown; // an error the consumer threw (passed on as it is)
  let header: IdxHeader | undefined;
  let sink: IdxSink<T> | undefined;
  let head: Buffer = Buffer.alloc(0);
  let got = 0;
  let push: ((chunk: Uint8Array) => void) | undefined;
  let expected = Infinity;
  const consume = async (source: AsyncIterable<Buffer>): Promise<void> => {
    try {
      for await (const piece of source) {
        got += piece.length;
        if (got > expected) {
          // trailing data: counted (not kept) to name its length, up to the memory limit
          if (!gz || got > limit) throw trailingError(path, header!, got, after, got > limit);
          continue;
        }
        let chunk: Buffer = piece;
        if (!header) {
          head = Buffer.concat([head, piece]);
          header = idxHeaderOf(head, path, after, false);
          if (!header) continue;
          expected = header.headerBytes + header.count * header.type.size;
          if (!gz && size !== expected) throw sizeError(path, header, size, '');
          sink = sinkFor(header);
          push = elementDecoder(header.type, sink);
          chunk = head.subarray(header.headerBytes);
          head = Buffer.alloc(0);
          if (got > expected) {
            if (!gz) throw trailingError(path, header, got, after, false);
            chunk = chunk.subarray(0, chunk.length - (got - expected));
          }
        }
        push!(chunk);
      }
    } catch (err) {
      ours = err;
      throw err;
    }
  };
  const file = createReadStream('', { fd, autoClose: true, highWaterMark: CHUNK_BYTES });
  try {
    if (gz) await pipeline(file, createGunzip({ chunkSize: CHUNK_BYTES }), consume);
    else await pipeline(file, consume);
  } catch (caught) {
    // the consumer sees a decompression error too (it ends its loop), so `ours` may hold zlib's error: name the file then
    const isZlib = (e: unknown) =>
      typeof (e as NodeJS.ErrnoException)?.code === 'string' && (e as NodeJS.ErrnoException).code!.startsWith('Z_');
    if (ours !== undefined && !isZlib(ours)) throw ours; // the consumer's own error (the pipeline may report it as an abort)
    const err = ours ?? caught;
    if (gz && isZlib(err)) {
      throw new DataFileError('format', path, `IDX file ${path} looks gzipped but cannot be decompressed: ${(err as Error).message}`, {
        cause: err,
      });
    }
    throw new DataFileError('file', path, `cannot read IDX file ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!header) {
    idxHeaderOf(head, path, after, true); // throws: the file ended inside its header
    throw new DataFileError('format', path, `IDX file ${path} is truncated${after}`);
  }
  if (got !== expected) throw got < expected ? sizeError(path, header, got, after) : trailingError(path, header, got, after, false);
  return sink!.result();
}

/**
 * Decodes byte chunks into whole elements for the sink through one reused buffer (single bytes as views of the chunk
 * itself); the bytes of an element split between two chunks wait in `carry` for the next.
 */
function elementDecoder<T>(type: IdxType, sink: IdxSink<T>): (chunk: Uint8Array) => void {
  const size = type.size;
  const carry = new Uint8Array(size);
  let carried = 0;
  let scratch = new ArrayBuffer(0);
  let at = 0;
  return (chunk) => {
    if (size === 1) {
      sink.take(typedView(type.code, chunk.buffer, chunk.byteOffset, chunk.length), at);
      at += chunk.length;
      return;
    }
    const total = carried + chunk.length;
    const whole = total - (total % size);
    if (whole === 0) {
      carry.set(chunk, carried);
      carried = total;
      return;
    }
    if (scratch.byteLength < whole) scratch = new ArrayBuffer(Math.max(whole, CHUNK_BYTES));
    const out = new Uint8Array(scratch, 0, whole);
    out.set(carry.subarray(0, carried));
    out.set(chunk.subarray(0, whole - carried), carried);
    carry.set(chunk.subarray(whole - carried));
    carried = total - whole;
    reverseByteGroups(out, size);
    sink.take(typedView(type.code, scratch, 0, whole / size), at);
    at += whole / size;
  };
}

function typedView(code: number, buf: ArrayBufferLike, offset: number, count: number): IdxData {
  switch (code) {
    case 0x08:
      return new Uint8Array(buf, offset, count);
    case 0x09:
      return new Int8Array(buf, offset, count);
    case 0x0b:
      return new Int16Array(buf, offset, count);
    case 0x0c:
      return new Int32Array(buf, offset, count);
    case 0x0d:
      return new Float32Array(buf, offset, count);
    default:
      return new Float64Array(buf, offset, count);
  }
}

function sizeError(path: string, h: IdxHeader, got: number, after: string): Error {
  const expected = h.headerBytes + h.count * h.type.size;
  if (got > expected) return trailingError(path, h, got, after, false);
  return new DataFileError(
    'format',
    path,
    `IDX file ${path} is truncated: shape [${h.shape.join(', ')}] of ${h.type.name} needs ${expected} bytes, got ${got}${after}`,
  );
}

function trailingError(path: string, h: IdxHeader, got: number, after: string, overLimit: boolean): Error {
  const expected = h.headerBytes + h.count * h.type.size;
  return new DataFileError(
    'format',
    path,
    `IDX file ${path} has ${overLimit ? 'more than ' : ''}${got - expected} bytes of trailing data: shape [${h.shape.join(', ')}] of ` +
      `${h.type.name} needs ${expected} bytes, got ${overLimit ? 'more than ' : ''}${got}${after}`,
  );
}

/**
 * The header at the start of `buf`, checked (magic, element type, dimensions); undefined while `buf` is too short to
 * hold it, unless `final` (the whole file is `buf`): then a short file is refused as truncated.
 */
function idxHeaderOf(buf: Uint8Array, source: string, after: string, final: boolean): IdxHeader | undefined {
  if (buf.length < 4) {
    if (!final) return undefined;
    throw new DataFileError(
      'format',
      source,
      `IDX file ${source} is truncated: ${buf.length} bytes${after}, shorter than the 4-byte header`,
    );
  }
  if (buf[0] !== 0 || buf[1] !== 0) {
    // the bytes found are not echoed: a file that is not IDX may hold anything (a password file, a key)
    throw new DataFileError(
      'format',
      source,
      `${source} is not an IDX file: it does not start with the IDX magic (two zero bytes, then the element type and the number of dimensions)`,
    );
  }
  const type = idxTypeOf(buf[2]);
  if (!type) {
    throw new DataFileError(
      'dtype',
      source,
      `IDX file ${source} has unsupported element type 0x${buf[2].toString(16).padStart(2, '0')} ` +
        `(supported: ${IDX_TYPES.map((t) => `0x${t.code.toString(16).padStart(2, '0')} ${t.name}`).join(', ')})`,
    );
  }
  const ndims = buf[3];
  if (ndims === 0) throw new DataFileError('format', source, `IDX file ${source} declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndims;
  if (buf.length < headerBytes) {
    if (!final) return undefined;
    throw new DataFileError(
      'format',
      source,
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
  return { shape, type, count, headerBytes };
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
  // a file too short to hold its shape, or not IDX: the error says what is wrong, naming nothing of its content
  const h = idxHeaderOf(head, path, '', true)!;
  if (size !== h.headerBytes + h.count * h.type.size) throw sizeError(path, h, size, '');
  return { shape: h.shape, itemSize: h.type.size, fileSize: size };
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
