import { TOY_2D_DEFAULT_NOISE, type TOY_2D_SHAPES } from '../contract/datasets/toy-2d';
import { rngFor, type Rng } from '../util/random';
import type { Dataset, Samples } from './samples';

export type Toy2dShape = (typeof TOY_2D_SHAPES)[number];

export interface Toy2dSpec {
  shape: Toy2dShape;
  noise?: number;
  trainSize: number;
  testSize: number;
}

/** make_blobs' centres here (fixed, so every seed draws the same distribution). */
export const BLOB_CENTERS = [
  [-4, -4],
  [0, 4],
  [4, -2],
] as const;

/**
 * n draws of a 2-D toy shape, as scikit-learn's generators define them, rows in random order:
 * - blobs: n/3 rows around each centre (the first n mod 3 centres one more), + N(0, noise²) per coordinate;
 * - moons: the outer half-circle (cos t, sin t) and the inner (1 − cos t, 1 − sin t − ½), t evenly over [0, π]
 *   (⌊n/2⌋ outer), + noise;
 * - circles: (cos t, sin t) and 0.5·(cos t, sin t), t evenly over [0, 2π) (⌊n/2⌋ outer), + noise;
 * - swiss roll: t = 1.5π(1 + 2u), (x, z) = (t cos t, t sin t), + noise (the roll's y, its height, is dropped).
 */
export function sampleToy2d(shape: Toy2dShape, noise: number, n: number, rng: Rng): Samples {
  const x = new Float32Array(n * 2);
  const put = (i: number, a: number, b: number) => {
    x[i * 2] = a + noise * rng.normal();
    x[i * 2 + 1] = b + noise * rng.normal();
  };
  if (shape === 'blobs') {
    const k = BLOB_CENTERS.length;
    let i = 0;
    for (let c = 0; c < k; c++) {
      const size = Math.floor(n / k) + (c < n % k ? 1 : 0);
      for (let j = 0; j < size; j++) put(i++, BLOB_CENTERS[c][0], BLOB_CENTERS[c][1]);
    }
  } else if (shape === 'moons' || shape === 'circles') {
    const outer = Math.floor(n / 2);
    const inner = n - outer;
    const even = (j: number, m: number) => (shape === 'moons' ? (m > 1 ? (Math.PI * j) / (m - 1) : 0) : (2 * Math.PI * j) / m);
    for (let j = 0; j < outer; j++) put(j, Math.cos(even(j, outer)), Math.sin(even(j, outer)));
    for (let j = 0; j < inner; j++) {
      const t = even(j, inner);
      if (shape === 'moons') put(outer + j, 1 - Math.cos(t), 1 - Math.sin(t) - 0.5);
      else put(outer + j, 0.5 * Math.cos(t), 0.5 * Math.sin(t));
    }
  } else {
    for (let j = 0; j < n; j++) {
      const t = 1.5 * Math.PI * (1 + 2 * rng.uniform());
      put(j, t * Math.cos(t), t * Math.sin(t));
    }
  }
  // shuffled, as the generators' shuffle = True: a prefix of the rows is a fair draw
  const perm = rng.permutation(n);
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = x[perm[i] * 2];
    out[i * 2 + 1] = x[perm[i] * 2 + 1];
  }
  return { x: out, n, dim: 2 };
}

/** The 2-D toy dataset: independent seeded train and test draws, no labels. */
export function makeToy2d(spec: Toy2dSpec, seed: number): Dataset {
  const noise = spec.noise ?? TOY_2D_DEFAULT_NOISE[spec.shape];
  return {
    name: `toy-2d:${spec.shape}`,
    shape: [2],
    numClasses: 0,
    train: sampleToy2d(spec.shape, noise, spec.trainSize, rngFor(seed, 'dataset', 'toy-2d', 'train')),
    test: sampleToy2d(spec.shape, noise, spec.testSize, rngFor(seed, 'dataset', 'toy-2d', 'test')),
  };
}
