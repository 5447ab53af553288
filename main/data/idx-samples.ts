import { readIdx, type IdxArray, type IdxData } from './idx';
import { checkLabels } from './labels';
import { checkFinite, type Samples, type SampleShape } from './samples';

/**
 * IDX arrays as engine samples: [n, h, w] or [n, h, w, c] are images (unsigned bytes scaled by 1/255, or floats
 * already in [0, 1]); [n, d] are vectors (values kept as they are); a 1-D IDX file beside them holds the labels.
 */

const TYPE_NAMES = new Map<unknown, string>([
  [Uint8Array, 'unsigned byte (0x08)'],
  [Int8Array, 'signed byte (0x09)'],
  [Int16Array, 'int16 (0x0B)'],
  [Int32Array, 'int32 (0x0C)'],
  [Float32Array, 'float32 (0x0D)'],
  [Float64Array, 'float64 (0x0E)'],
]);

function typeName(data: IdxData): string {
  return TYPE_NAMES.get(data.constructor) ?? 'unknown';
}

function isFloat(data: IdxData): boolean {
  return data instanceof Float32Array || data instanceof Float64Array;
}

/** Convert a decoded IDX sample array to Samples (no labels) and its per-sample shape. */
export function idxToSamples(arr: IdxArray, source: string): { samples: Samples; shape: SampleShape } {
  const { shape, data } = arr;
  if (shape.length < 2 || shape.length > 4) {
    throw new Error(`IDX file ${source} has shape [${shape.join(', ')}]; expected [n, d] vectors, [n, h, w] or [n, h, w, c] images`);
  }
  const n = shape[0];
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new Error(`IDX file ${source} holds no samples (shape [${shape.join(', ')}])`);
  const x = new Float32Array(data.length);
  if (shape.length === 2) {
    x.set(data);
    checkFinite(x, dim, `IDX file ${source}`, data);
    return { samples: { x, n, dim }, shape: [dim] };
  }
  const sampleShape: [number, number, number] = [shape[1], shape[2], shape.length === 4 ? shape[3] : 1];
  if (data instanceof Uint8Array) {
    const s = 1 / 255;
    for (let i = 0; i < data.length; i++) x[i] = data[i] * s;
  } else if (isFloat(data)) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v >= 0 && v <= 1)) {
        throw new Error(`IDX image file ${source} has pixel value ${v} at element ${i}; float images must lie in [0, 1]`);
      }
      x[i] = v;
    }
  } else {
    throw new Error(`IDX image file ${source} has element type ${typeName(data)}; images must be unsigned bytes or floats in [0, 1]`);
  }
  return { samples: { x, n, dim }, shape: sampleShape };
}

/** Read an IDX labels file for `n` samples of `samplesFile`. */
export function readIdxLabels(path: string, n: number, samplesFile: string): Int32Array {
  const arr = readIdx(path);
  return checkLabels({ shape: arr.shape, data: arr.data, integer: !isFloat(arr.data), typeName: typeName(arr.data) }, n, path, samplesFile);
}

/** Read IDX samples and, when given, their labels. */
export function readIdxSamples(images: string, labels?: string): { samples: Samples; shape: SampleShape } {
  const { samples, shape } = idxToSamples(readIdx(images), images);
  if (labels) samples.labels = readIdxLabels(labels, samples.n, images);
  return { samples, shape };
}

export interface IdxSplitFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** A labelled train/test pair of IDX image files (MNIST and its look-alikes). */
export function readIdxSplit(files: IdxSplitFiles): { train: Samples; test: Samples; shape: SampleShape } {
  const train = readIdxSamples(files.trainImages, files.trainLabels);
  const test = readIdxSamples(files.testImages, files.testLabels);
  if (train.shape.join('x') !== test.shape.join('x')) {
    throw new Error(
      `test images ${files.testImages} have sample shape [${test.shape.join(', ')}] but training images ` +
        `${files.trainImages} have [${train.shape.join(', ')}]`,
    );
  }
  return { train: train.samples, test: test.samples, shape: train.shape };
}
