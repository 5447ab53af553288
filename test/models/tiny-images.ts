import type { Samples } from '../../main/data/samples';
import { Rng } from '../../main/util/random';

/** n small h×w×c images of a bright square at a random place on a dark background, values in [0, 1]. */
export function tinyImages(n: number, seed: number, h = 28, w = 28, c = 1): Samples {
  const rng = new Rng(seed);
  const x = new Float32Array(n * h * w * c);
  const side = Math.max(2, Math.floor(Math.min(h, w) / 3));
  for (let i = 0; i < n; i++) {
    const top = rng.int(h - side);
    const left = rng.int(w - side);
    const level = 0.6 + 0.4 * rng.uniform();
    for (let r = top; r < top + side; r++)
      for (let q = left; q < left + side; q++) for (let k = 0; k < c; k++) x[((i * h + r) * w + q) * c + k] = level;
  }
  return { x, n, dim: h * w * c };
}
