import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readIdxSamples, readImageFolder, readNpy, readPng, type Samples, type SampleShape } from '../index';

/**
 * Samples for the metrics and OT commands from a path: a `.npy` array of float32 or float64 ([n, d] vectors, or
 * [n, h, w] / [n, h, w, c] images), an IDX file (optionally gzipped), or a folder of PNG images (flat, or one
 * sub-folder per class, which also gives labels).
 */
export async function readSamplesFile(path: string, what = 'input'): Promise<{ samples: Samples; shape: SampleShape }> {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new Error(`${what} ${path} does not exist`);
  }
  if (isDir) return readPngFolder(path, what);
  const lower = path.toLowerCase();
  if (lower.endsWith('.npy')) return readFloatNpy(path, what);
  if (/(idx\d?-ubyte|\.idx\d?)(\.gz)?$/.test(lower) || lower.endsWith('-ubyte.gz')) {
    return readIdxSamples(path);
  }
  throw new Error(`${what} ${path}: unsupported file type "${extname(path)}" (expected a .npy array, an IDX file, or a folder of PNGs)`);
}

/** A .npy of float32 or float64 as samples (float32, the engine's form); other dtypes are refused, naming the dtype. */
export function readFloatNpy(path: string, what = 'input'): { samples: Samples; shape: SampleShape } {
  const a = readFloatNpyArray(path, what);
  const x = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  return { samples: { x, n: a.n, dim: a.dim }, shape: a.shape };
}

/** A .npy of float32 or float64 as a row-major [n, dim] array in its own precision (for the OT commands). */
export function readFloatNpyArray(
  path: string,
  what = 'input',
): { data: Float32Array | Float64Array; n: number; dim: number; shape: SampleShape } {
  const arr = readNpy(path);
  if (arr.dtype !== '<f4' && arr.dtype !== '<f8') {
    throw new Error(
      `${what} ${path} has dtype '${arr.dtype}'; only float32 and float64 .npy arrays are read (convert with x.astype('float32'))`,
    );
  }
  const s = arr.shape;
  if (s.length < 2 || s.length > 4) {
    throw new Error(`${what} ${path} has shape (${s.join(', ')}); expected (n, d), (n, h, w) or (n, h, w, c)`);
  }
  const n = s[0];
  const dim = s.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new Error(`${what} ${path} holds no samples (shape (${s.join(', ')}))`);
  const data = arr.data as Float32Array | Float64Array;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new Error(`${what} ${path} has a non-finite value (${data[i]}) at element ${i}`);
  }
  const shape: SampleShape = s.length === 2 ? [dim] : [s[1], s[2], s.length === 4 ? s[3] : 1];
  return { data, n, dim, shape };
}

function readPngFolder(path: string, what: string): { samples: Samples; shape: SampleShape } {
  const pngs = readdirSync(path)
    .filter((f) => !f.startsWith('.') && f.toLowerCase().endsWith('.png'))
    .sort();
  if (pngs.length === 0) {
    const f = readImageFolder(path); // one sub-folder per class (its errors explain the expected layout)
    return { samples: f.samples, shape: f.shape };
  }
  const first = readPng(join(path, pngs[0]));
  const [h, w, c] = first.shape;
  const dim = h * w * c;
  const x = new Float32Array(pngs.length * dim);
  pngs.forEach((name, i) => {
    const img = i === 0 ? first : readPng(join(path, name));
    if (img.shape[0] !== h || img.shape[1] !== w || img.shape[2] !== c) {
      throw new Error(`${what} ${join(path, name)} is ${img.shape.join('×')} but ${pngs[0]} is ${h}×${w}×${c}; all images must match`);
    }
    x.set(img.data, i * dim);
  });
  return { samples: { x, n: pngs.length, dim }, shape: [h, w, c] };
}
