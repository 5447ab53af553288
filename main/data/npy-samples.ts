import { dimOf, checkFinite, type Samples, type SampleShape } from './samples';
import { readNpy, toFloat32 } from './npy';

/**
 * An npy array as samples: [n, d] vectors; [n, h, w] grey images; [n, h, w, c] images; `imageShape` reinterprets the
 * rows as images of that shape. uint8 images are scaled by 1/255; other images must already lie in [0, 1] (a 3-D or
 * 4-D array outside [0, 1] without `imageShape` is kept as vectors). Vectors keep their values.
 */
export function readNpySamples(path: string, imageShape?: [number, number, number]): { samples: Samples; shape: SampleShape } {
  const arr = readNpy(path);
  const s = arr.shape;
  if (s.length < 1 || s.length > 4) {
    throw new Error(`npy file ${path} has shape (${s.join(', ')}); expected (n, d) vectors, (n, h, w) or (n, h, w, c) images`);
  }
  const n = s[0];
  const dim = s.slice(1).reduce((a, b) => a * b, 1);
  if (n === 0 || dim === 0) throw new Error(`npy file ${path} holds no samples (shape (${s.join(', ')}))`);
  const x = toFloat32(arr.data);
  checkFinite(x, dim, `npy file ${path}`, arr.data);
  const bytes = arr.dtype === '|u1';
  let image: [number, number, number] | undefined;
  if (imageShape) {
    if (dimOf(imageShape) !== dim) {
      throw new Error(
        `npy file ${path} has ${dim} values per sample (shape (${s.join(', ')})) but dataset.imageShape ` +
          `[${imageShape.join(', ')}] needs ${dimOf(imageShape)}`,
      );
    }
    image = imageShape;
  } else if (s.length >= 3) {
    image = [s[1], s[2], s.length === 4 ? s[3] : 1];
  }
  if (image && bytes) {
    const k = 1 / 255;
    for (let i = 0; i < x.length; i++) x[i] *= k;
  } else if (image) {
    const bad = firstOutsideUnit(x);
    if (bad >= 0) {
      if (imageShape) {
        throw new Error(
          `npy file ${path} (dtype '${arr.dtype}') has value ${x[bad]} at element ${bad}, but dataset.imageShape asks ` +
            `for images, whose values must lie in [0, 1] (or be uint8 in 0..255)`,
        );
      }
      image = undefined; // not pixel values: keep the rows as vectors
    }
  }
  const shape: SampleShape = image ?? [dim];
  return { samples: { x, n, dim }, shape };
}

function firstOutsideUnit(x: Float32Array): number {
  for (let i = 0; i < x.length; i++) if (!(x[i] >= 0 && x[i] <= 1)) return i;
  return -1;
}
