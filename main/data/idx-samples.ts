import { checkFitsInMemory, readIdx, streamIdx, type IdxData, type IdxHeader, type IdxSink } from './idx';
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

/**
 * The sink that streams an IDX sample file into its final float32 samples (one allocation, checked against the memory
 * limit; each chunk converted as it comes): the shape and element type are checked from the header, before any data.
 */
function samplesSink(source: string, h: IdxHeader): IdxSink<{ samples: Samples; shape: SampleShape }> {
  const { shape } = h;
  if (shape.length < 2 || shape.length > 4) {
    throw new Error(`IDX file ${source} has shape [${shape.join(', ')}]; expected [n, d] vectors, [n, h, w] or [n, h, w, c] images`);
  }
  const n = shape[0];
  const dim = shape.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new Error(`IDX file ${source} holds no samples (shape [${shape.join(', ')}])`);
  const code = h.type.code;
  const image = shape.length > 2;
  if (image && code !== 0x08 && code !== 0x0d && code !== 0x0e) {
    throw new Error(`IDX image file ${source} has element type ${h.type.name}; images must be unsigned bytes or floats in [0, 1]`);
  }
  checkFitsInMemory(source, h, h.count * Float32Array.BYTES_PER_ELEMENT);
  const x = new Float32Array(h.count);
  const sampleShape: SampleShape = image ? [shape[1], shape[2], shape.length === 4 ? shape[3] : 1] : [dim];
  const take = (data: IdxData, at: number): void => {
    if (!image) {
      x.set(data, at);
      checkFinite(x.subarray(at, at + data.length), dim, `IDX file ${source}`, data, at);
    } else if (data instanceof Uint8Array) {
      const s = 1 / 255;
      for (let i = 0; i < data.length; i++) x[at + i] = data[i] * s;
    } else {
      for (let i = 0; i < data.length; i++) {
        const v = data[i];
        if (!(v >= 0 && v <= 1)) {
          throw new Error(`IDX image file ${source} has pixel value ${v} at element ${at + i}; float images must lie in [0, 1]`);
        }
        x[at + i] = v;
      }
    }
  };
  return { take, result: () => ({ samples: { x, n, dim }, shape: sampleShape }) };
}

/** Read an IDX labels file for `n` samples of `samplesFile`. */
export async function readIdxLabels(path: string, n: number, samplesFile: string): Promise<Int32Array> {
  const arr = await readIdx(path);
  return checkLabels({ shape: arr.shape, data: arr.data, integer: !isFloat(arr.data), typeName: typeName(arr.data) }, n, path, samplesFile);
}

/** Read IDX samples (streamed into their float32 array) and, when given, their labels. */
export async function readIdxSamples(images: string, labels?: string): Promise<{ samples: Samples; shape: SampleShape }> {
  const { samples, shape } = await streamIdx(images, (h) => samplesSink(images, h));
  if (labels) samples.labels = await readIdxLabels(labels, samples.n, images);
  return { samples, shape };
}

export interface IdxSplitFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

/** A labelled train/test pair of IDX image files (MNIST and its look-alikes). */
export async function readIdxSplit(files: IdxSplitFiles): Promise<{ train: Samples; test: Samples; shape: SampleShape }> {
  const train = await readIdxSamples(files.trainImages, files.trainLabels);
  const test = await readIdxSamples(files.testImages, files.testLabels);
  if (train.shape.join('x') !== test.shape.join('x')) {
    throw new Error(
      `test images ${files.testImages} have sample shape [${test.shape.join(', ')}] but training images ` +
        `${files.trainImages} have [${train.shape.join(', ')}]`,
    );
  }
  return { train: train.samples, test: test.samples, shape: train.shape };
}
