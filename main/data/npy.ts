import { writeFileAtomic, writeFileAtomicSync } from '../util/atomic-write';
import { readInputFile, readInputFileHead } from './read-input-file';
import { DataFileError } from './data-file-error';

/**
 * NumPy .npy files, format versions 1.0, 2.0 and 3.0 (magic "\x93NUMPY", version, header length, a Python dict
 * literal header padded to 64 bytes, then the raw C-order data). Hand-written: the format is tiny and the npm readers
 * either drop dtypes this engine needs or skip the checks it wants (fortran order, byte order).
 */

export type NpyData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface NpyArray {
  shape: number[];
  /** The dtype as written in the file's header, normalised ('|u1', '<f4', '|b1', ...). Booleans load as Uint8Array. */
  dtype: string;
  data: NpyData;
}

type TypedArrayCtor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): NpyData };

interface NpyDtype {
  /** kind + size, e.g. 'f4' */
  code: string;
  size: number;
  ctor: TypedArrayCtor;
}

const DTYPES: NpyDtype[] = [
  { code: 'f4', size: 4, ctor: Float32Array },
  { code: 'f8', size: 8, ctor: Float64Array },
  { code: 'u1', size: 1, ctor: Uint8Array },
  { code: 'b1', size: 1, ctor: Uint8Array },
  { code: 'i1', size: 1, ctor: Int8Array },
  { code: 'i2', size: 2, ctor: Int16Array },
  { code: 'u2', size: 2, ctor: Uint16Array },
  { code: 'i4', size: 4, ctor: Int32Array },
  { code: 'u4', size: 4, ctor: Uint32Array },
  { code: 'i8', size: 8, ctor: BigInt64Array },
  { code: 'u8', size: 8, ctor: BigUint64Array },
];

const SUPPORTED_TEXT = DTYPES.map((d) => (d.size === 1 ? '|' : '<') + d.code).join(', ');

const KIND_NAMES: Record<string, string> = {
  c: 'complex',
  O: 'Python object',
  U: 'unicode string',
  S: 'byte string',
  a: 'byte string',
  V: 'void/raw',
  M: 'datetime',
  m: 'timedelta',
  f: 'float',
  i: 'signed integer',
  u: 'unsigned integer',
  b: 'boolean',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Is this dtype (as returned by readNpy) an integer type (booleans excluded)? */
export function isIntegerDtype(dtype: string): boolean {
  return /^[<|][iu][1248]$/.test(dtype);
}

export function readNpy(path: string): NpyArray {
  // the header first: a file whose shape does not match its size is refused before its data is read
  readNpyHeader(path);
  return parseNpy(readInputFile(path, 'npy file'), path);
}

export interface NpyHeader {
  shape: number[];
  /** Normalised as NpyArray.dtype. */
  dtype: string;
  /** Bytes of one element. */
  itemSize: number;
  /** Offset of the data in the file. */
  dataStart: number;
  /** The file's size in bytes. */
  fileSize: number;
}

/**
 * Read and check only the header of a .npy file (a few hundred bytes): magic, version, dtype, order, shape, and that
 * the file is large enough for that shape. What a run checks before it starts, without reading the data.
 */
export function readNpyHeader(path: string): NpyHeader {
  const first = readInputFileHead(path, 'npy file', 12);
  const { headerLen, headerStart } = npyPrelude(first.head, path, first.size);
  const { head } = readInputFileHead(path, 'npy file', headerStart + headerLen);
  return decodeHeader(head, path, first.size);
}

/** Decode .npy bytes; `source` names the origin in error messages. */
export function parseNpy(buf: Uint8Array, source: string): NpyArray {
  const h = decodeHeader(buf, source, buf.length);
  const count = h.shape.reduce((a, b) => a * b, 1);
  const nbytes = count * h.itemSize;
  const dtype = DTYPES.find((d) => d.code === h.dtype.slice(1))!;
  // Copy into fresh, aligned storage (the data offset need not be a multiple of the element size).
  const bytes = new Uint8Array(nbytes);
  bytes.set(buf.subarray(h.dataStart, h.dataStart + nbytes));
  const data = new dtype.ctor(bytes.buffer, 0, count);
  return { shape: h.shape, dtype: h.dtype, data };
}

function npyPrelude(buf: Uint8Array, source: string, fileSize: number): { major: number; headerLen: number; headerStart: number } {
  if (fileSize < 10 || buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) {
    throw new DataFileError('format', source, `${source} is not a .npy file: it does not start with the magic bytes \\x93NUMPY`);
  }
  const major = buf[6];
  const minor = buf[7];
  if (major < 1 || major > 3) {
    throw new DataFileError(
      'format',
      source,
      `npy file ${source} has format version ${major}.${minor}; supported versions are 1.0, 2.0, 3.0`,
    );
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (major === 1) return { major, headerLen: view.getUint16(8, true), headerStart: 10 };
  if (buf.length < 12) throw new DataFileError('format', source, `npy file ${source} is truncated inside its header`);
  return { major, headerLen: view.getUint32(8, true), headerStart: 12 };
}

/** The header of .npy bytes that hold at least the header; `fileSize` is the whole file's size. */
function decodeHeader(buf: Uint8Array, source: string, fileSize: number): NpyHeader {
  const { major, headerLen, headerStart } = npyPrelude(buf, source, fileSize);
  const dataStart = headerStart + headerLen;
  if (fileSize < dataStart || buf.length < dataStart) {
    throw new DataFileError(
      'format',
      source,
      `npy file ${source} is truncated: its header needs ${dataStart} bytes, the file has ${fileSize}`,
    );
  }
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(headerStart, dataStart));
  const { descr, fortranOrder, shape } = parseHeader(header, source);
  const dtype = resolveDtype(descr, source);
  if (fortranOrder) {
    throw new DataFileError(
      'format',
      source,
      `npy file ${source} (dtype '${descr}') is stored in Fortran order, which is not supported; ` +
        `save it in C order, e.g. np.save(path, np.ascontiguousarray(a))`,
    );
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const nbytes = count * dtype.size;
  if (fileSize - dataStart < nbytes) {
    throw new DataFileError(
      'format',
      source,
      `npy file ${source} is truncated: shape (${shape.join(', ')}) of '${descr}' needs ${nbytes} data bytes ` +
        `(${dataStart + nbytes} in all), the file has ${fileSize}`,
    );
  }
  return { shape, dtype: (dtype.size === 1 ? '|' : '<') + dtype.code, itemSize: dtype.size, dataStart, fileSize };
}

function parseHeader(header: string, source: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const text = header.trim();
  // the header's text is not echoed: a file that is not what it claims may hold anything
  const bad = (what: string) => new DataFileError('format', source, `npy file ${source} has a bad header (${what})`);
  if (!text.startsWith('{') || !text.endsWith('}')) throw bad('not a Python dict literal');
  if (/['"]descr['"]\s*:\s*\[/.test(text)) {
    throw new DataFileError('dtype', source, `npy file ${source} holds a structured dtype (record array), which is not supported`);
  }
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  if (!descr) throw bad("no 'descr' entry");
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  if (!fortran) throw bad("no 'fortran_order' entry");
  const shapeMatch = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!shapeMatch) throw bad("no 'shape' tuple");
  const parts = shapeMatch[1]
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const shape = parts.map((p) => {
    if (!/^\d+L?$/.test(p)) throw bad('a shape entry is not a non-negative integer');
    return parseInt(p, 10);
  });
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape };
}

function resolveDtype(descr: string, source: string): NpyDtype {
  const m = /^([<>|=]?)([a-zA-Z])(\d*)$/.exec(descr);
  const kind = m ? m[2] : '';
  const size = m && m[3] ? parseInt(m[3], 10) : 0;
  const found = m ? DTYPES.find((d) => d.code === `${kind}${size}`) : undefined;
  if (!m || !found) {
    const name = KIND_NAMES[kind] ? ` (${KIND_NAMES[kind]}${size ? `, ${size} bytes` : ''})` : '';
    // a descr that is not a dtype code is not echoed (the file may hold anything)
    const shown = m && descr.length <= 8 ? `dtype '${descr}'${name}` : 'a dtype that is not a NumPy type code';
    throw new DataFileError('dtype', source, `npy file ${source} has ${shown}, which is not supported; supported: ${SUPPORTED_TEXT}`);
  }
  const order = m[1];
  if (found.size > 1 && order !== '<') {
    const what = order === '>' ? 'big-endian' : `byte order '${order || '(none)'}'`;
    throw new DataFileError(
      'dtype',
      source,
      `npy file ${source} has ${what} dtype '${descr}', which is not supported; ` +
        `convert it with a.astype('<${found.code}') before saving`,
    );
  }
  return found;
}

/** Read a .npy file and convert its elements to float32 (booleans to 0/1, int64 through Number). */
export function readNpyAsFloat32(path: string): { shape: number[]; data: Float32Array } {
  const a = readNpy(path);
  return { shape: a.shape, data: toFloat32(a.data) };
}

export function toFloat32(data: NpyData): Float32Array {
  if (data instanceof Float32Array) return data;
  const out = new Float32Array(data.length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < data.length; i++) out[i] = Number(data[i]);
  } else {
    out.set(data);
  }
  return out;
}

/** Every array type readNpy returns can be written back. */
export type NpyWritable = NpyData;

function descrFor(data: NpyWritable): string {
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint32Array) return '<u4';
  if (data instanceof BigInt64Array) return '<i8';
  return '<u8';
}

/** Encode an array as .npy bytes (version 1.0, or 2.0 when the header is too long), C order, little-endian. */
export function encodeNpy(data: NpyWritable, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new RangeError(`shape (${shape.join(', ')}) holds ${count} elements but the data has ${data.length}`);
  }
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new RangeError(`bad shape (${shape.join(', ')})`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descrFor(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  let version = 1;
  let prefix = 10;
  if (dict.length + 1 + prefix > 65535) {
    version = 2;
    prefix = 12;
  }
  const total = Math.ceil((prefix + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - prefix - dict.length - 1) + '\n';
  const out = Buffer.alloc(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  if (version === 1) out.writeUInt16LE(header.length, 8);
  else out.writeUInt32LE(header.length, 8);
  out.write(header, prefix, 'latin1');
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** Write a .npy file atomically (temporary file, fsync, rename). */
export async function writeNpy(path: string, data: NpyWritable, shape: number[]): Promise<void> {
  await writeFileAtomic(path, encodeNpy(data, shape));
}

export function writeNpySync(path: string, data: NpyWritable, shape: number[]): void {
  writeFileAtomicSync(path, encodeNpy(data, shape));
}
