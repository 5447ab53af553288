import buffer from 'node:buffer';
import { statSync } from 'node:fs';
import { formatBytes, memoryLimitBytes, memoryLimitSource } from '../util/memory-limit';
import { DataFileError } from './data-file-error';
import { readIdx, streamIdx, type IdxData, type IdxHeader, type IdxSink } from './idx';
import { readPngFolder } from './image-folder';
import { checkLabels } from './labels';
import { isIntegerDtype, readNpy, readNpyHeader, toFloat32 } from './npy';
import { readInputFileHead } from './read-input-file';
import { checkFinite, dimOf, type Samples, type SampleShape } from './samples';

/**
 * The one reader of sample files, for every command of every door and for the engine's dataset kinds, with one set of
 * rules and one set of named errors (DataFileError: file, format, shape, dtype, value, size):
 * - a `.npy` array of any dtype readNpy takes, or an IDX file (plain or gzipped, streamed), of 2 to 4 dimensions:
 *   [n, d] vectors, [n, h, w] grey images, [n, h, w, c] images; at least one sample of at least one value;
 * - images: unsigned bytes are scaled by 1/255; any other element type must already lie in [0, 1], else the rows are
 *   kept as vectors (and refused when `imageShape` asks for images); vectors keep their values;
 * - every value finite and within ±MAX_SAMPLE_MAGNITUDE (checkFinite), named by row and column;
 * - the file within the memory limit, and so its float32 samples (checked from the header, before the data is read);
 * - a folder of PNG images, flat (unlabelled) or with one sub-folder per class (labelled), every image of one size,
 *   their decoded size checked from their headers first;
 * - labels (optional, for arrays): a 1-D .npy of integers or a 1-D IDX file, one label per sample.
 */

export type SampleFileFormat = 'npy' | 'idx' | 'png-folder';

export interface SampleFileOptions {
  /** The format, when the caller knows it (a dataset kind); else from the path: a folder, the name, then the magic. */
  format?: SampleFileFormat;
  /** Read the rows of an array as images of this shape (a dataset's `imageShape`). */
  imageShape?: [number, number, number];
  /** A labels file for an array's samples (a PNG folder's labels are its class sub-folders). */
  labels?: string;
}

export interface SampleFile {
  /** The samples in the engine's form (float32 rows, pixels in [0, 1]), with their labels when there are some. */
  samples: Samples;
  shape: SampleShape;
  /** The values in float64 when the file holds float64 (optimal transport computes in it); else `samples.x`. */
  values: Float32Array | Float64Array;
  /** A PNG folder's class names, in label order. */
  classNames?: string[];
}

/** Read a sample file (see the rules above). Errors are DataFileErrors naming the file. */
export async function readSampleFile(path: string, opts: SampleFileOptions = {}): Promise<SampleFile> {
  const format = opts.format ?? formatOf(path);
  if (format === 'png-folder') {
    if (opts.labels) {
      throw new DataFileError(
        'file',
        opts.labels,
        `labels file ${opts.labels} is given for image folder ${path}, whose labels are its class sub-folders`,
      );
    }
    const f = readPngFolder(path);
    if (opts.imageShape && dimOf(opts.imageShape) !== f.samples.dim) {
      throw new DataFileError(
        'shape',
        path,
        `image folder ${path} holds ${f.shape.join('×')} images but dataset.imageShape is [${opts.imageShape.join(', ')}]`,
      );
    }
    return { samples: f.samples, shape: f.shape, values: f.samples.x, ...(f.classNames ? { classNames: f.classNames } : {}) };
  }
  const read = format === 'npy' ? readNpySamples(path, opts.imageShape) : await readIdxSamples(path, opts.imageShape);
  if (opts.labels) read.samples.labels = await readLabelsFile(opts.labels, read.samples.n, path);
  return read;
}

/** The format of a path: a folder holds PNGs; `.npy` and IDX names (…-ubyte, .idx3, optionally .gz) say theirs; else the first bytes do. */
export function formatOf(path: string): SampleFileFormat {
  let folder: boolean;
  try {
    folder = statSync(path).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DataFileError('file', path, `sample file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`, {
      cause: err,
    });
  }
  if (folder) return 'png-folder';
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return 'npy';
  if (/(-ubyte|\.idx\d?)(\.gz)?$/.test(lower)) return 'idx';
  const { head } = readInputFileHead(path, 'sample file', 6);
  if (head.length === 6 && head.equals(NPY_MAGIC)) return 'npy';
  if (head.length >= 2 && ((head[0] === 0 && head[1] === 0) || (head[0] === 0x1f && head[1] === 0x8b))) return 'idx';
  throw new DataFileError(
    'file',
    path,
    `sample file ${path} is neither a .npy array nor an IDX file (by its name and its first bytes), nor a folder of PNG images`,
  );
}

const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** Labels for `n` samples of `samplesFile`: a 1-D .npy of integers or a 1-D IDX file (by name, else by its first bytes). */
export async function readLabelsFile(path: string, n: number, samplesFile: string): Promise<Int32Array> {
  if (formatOf(path) === 'npy') {
    const l = readNpy(path);
    return checkLabels({ shape: l.shape, data: l.data, integer: isIntegerDtype(l.dtype), typeName: `'${l.dtype}'` }, n, path, samplesFile);
  }
  const arr = await readIdx(path);
  const float = arr.data instanceof Float32Array || arr.data instanceof Float64Array;
  return checkLabels(
    { shape: arr.shape, data: arr.data, integer: !float, typeName: IDX_TYPE_NAMES.get(arr.data.constructor)! },
    n,
    path,
    samplesFile,
  );
}

const IDX_TYPE_NAMES = new Map<unknown, string>([
  [Uint8Array, 'unsigned byte (0x08)'],
  [Int8Array, 'signed byte (0x09)'],
  [Int16Array, 'int16 (0x0B)'],
  [Int32Array, 'int32 (0x0C)'],
  [Float32Array, 'float32 (0x0D)'],
  [Float64Array, 'float64 (0x0E)'],
]);

/** How an array file is named in messages and how its shape is written (NumPy's tuple, IDX's list). */
interface ArrayFile {
  what: 'npy file' | 'IDX file';
  path: string;
  shapeText: (shape: number[]) => string;
}

const npyFile = (path: string): ArrayFile => ({ what: 'npy file', path, shapeText: (s) => `(${s.join(', ')})` });
const idxFile = (path: string): ArrayFile => ({ what: 'IDX file', path, shapeText: (s) => `[${s.join(', ')}]` });

/**
 * What an array's header says of its samples, checked before its data is read: 2 to 4 dimensions, samples, the
 * float32 samples within the memory limit, `imageShape` matching; and whether its rows are images.
 */
function planArray(
  file: ArrayFile,
  shape: number[],
  typeName: string,
  imageShape: [number, number, number] | undefined,
): { n: number; dim: number; image: [number, number, number] | undefined } {
  const { what, path } = file;
  if (shape.length < 2 || shape.length > 4) {
    throw new DataFileError(
      'shape',
      path,
      `${what} ${path} has shape ${file.shapeText(shape)}; expected (n, d) vectors, (n, h, w) or (n, h, w, c) images` +
        (shape.length === 1 ? ' (one value per sample: reshape it to (n, 1))' : ''),
    );
  }
  const n = shape[0];
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new DataFileError('shape', path, `${what} ${path} holds no samples (shape ${file.shapeText(shape)})`);
  checkFitsInMemory(file, shape, typeName, n * dim * Float32Array.BYTES_PER_ELEMENT);
  if (imageShape && dimOf(imageShape) !== dim) {
    throw new DataFileError(
      'shape',
      path,
      `${what} ${path} has ${dim} values per sample (shape ${file.shapeText(shape)}) but dataset.imageShape ` +
        `[${imageShape.join(', ')}] needs ${dimOf(imageShape)}`,
    );
  }
  return { n, dim, image: imageShapeOfArray(shape, imageShape) };
}

/** The image shape of an array file's rows (h, w, c): `imageShape` when given, else (n, h, w[, c]); none for vectors. */
export function imageShapeOfArray(shape: readonly number[], imageShape?: [number, number, number]): [number, number, number] | undefined {
  return imageShape ?? (shape.length >= 3 ? [shape[1], shape[2], shape.length === 4 ? shape[3] : 1] : undefined);
}

/** Refuse, before they are allocated, samples of `bytes` that would exceed the memory limit. */
function checkFitsInMemory(file: ArrayFile, shape: number[], typeName: string, bytes: number): void {
  const max = Math.min(memoryLimitBytes(), buffer.constants.MAX_LENGTH);
  if (bytes > max) {
    throw new DataFileError(
      'size',
      file.path,
      `${file.what} ${file.path} declares shape ${file.shapeText(shape)} of ${typeName}, ${formatBytes(bytes)} in memory as samples, ` +
        `more than the ${formatBytes(max)} they may take (${memoryLimitSource()})`,
    );
  }
}

/** Pixel values of a non-byte image array outside [0, 1]: refused when `imageShape` asked for images, else the rows are vectors. */
function outsideUnit(file: ArrayFile, dtype: string, value: number, at: number, imageShape: unknown): void {
  if (!imageShape) return;
  throw new DataFileError(
    'value',
    file.path,
    `${file.what} ${file.path} (dtype '${dtype}') has value ${value} at element ${at}, but dataset.imageShape asks ` +
      `for images, whose values must lie in [0, 1] (or be uint8 in 0..255)`,
  );
}

function readNpySamples(path: string, imageShape?: [number, number, number]): SampleFile {
  const file = npyFile(path);
  const header = readNpyHeader(path); // shape and dtype checked before the data is read
  const plan = planArray(file, header.shape, `'${header.dtype}'`, imageShape);
  const arr = readNpy(path);
  const x = toFloat32(arr.data);
  checkFinite(x, plan.dim, file, arr.data);
  let image = plan.image;
  if (image && arr.dtype === '|u1') {
    const k = 1 / 255;
    for (let i = 0; i < x.length; i++) x[i] *= k;
  } else if (image) {
    const bad = firstOutsideUnit(x);
    if (bad >= 0) {
      outsideUnit(file, arr.dtype, x[bad], bad, imageShape);
      image = undefined;
    }
  }
  const values = arr.data instanceof Float64Array ? arr.data : x;
  return { samples: { x, n: plan.n, dim: plan.dim }, shape: image ?? [plan.dim], values };
}

function firstOutsideUnit(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0 && x[i] <= 1)) return i;
  return -1;
}

/** IDX samples, streamed: each chunk converted into the final float32 array (allocated once) as it comes. */
function readIdxSamples(path: string, imageShape?: [number, number, number]): Promise<SampleFile> {
  return streamIdx(path, (h) => idxSamplesSink(path, h, imageShape));
}

function idxSamplesSink(path: string, h: IdxHeader, imageShape?: [number, number, number]): IdxSink<SampleFile> {
  const file = idxFile(path);
  const plan = planArray(file, h.shape, h.type.name, imageShape);
  const x = new Float32Array(h.count);
  const bytes = h.type.code === 0x08;
  let firstBad = -1; // a non-byte image's first value outside [0, 1]
  const take = (data: IdxData, at: number): void => {
    const chunk = x.subarray(at, at + data.length);
    chunk.set(data);
    checkFinite(chunk, plan.dim, file, data, at);
    if (!plan.image) return;
    if (bytes) {
      const k = 1 / 255;
      for (let i = 0; i < chunk.length; i++) chunk[i] *= k;
    } else if (firstBad < 0) {
      const bad = firstOutsideUnit(chunk);
      if (bad >= 0) {
        firstBad = at + bad;
        outsideUnit(file, h.type.name, chunk[bad], firstBad, imageShape);
      }
    }
  };
  const result = (): SampleFile => {
    const shape: SampleShape = plan.image && firstBad < 0 ? plan.image : [plan.dim];
    return { samples: { x, n: plan.n, dim: plan.dim }, shape, values: x };
  };
  return { take, result };
}
