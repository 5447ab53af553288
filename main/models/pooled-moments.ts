import type { Samples } from '../data/samples';
import { mergeRowMoments, rowMoments, type RowMoments } from './dense-gaussian';

/**
 * The mean and scatter of a training set that concatenates parts (an accumulating paradigm's real data and every
 * generation's kept samples, `Samples.parts`), from each part's own moments merged in order (mergeRowMoments): each
 * part's moments are computed once, when a fit first sees it, and kept while its rows live, so that generation t of
 * accumulate costs one pass over its newest part instead of a pass over all t parts. Deterministic: the same parts in
 * the same order give the same bits, whichever generation (or resumed run) asks.
 */
const cache = new WeakMap<Float32Array, RowMoments>();

function partMoments(part: Samples): RowMoments {
  const known = cache.get(part.x);
  if (known && known.n === part.n && known.mean.length === part.dim) return known;
  const m = rowMoments(part.x, part.n, part.dim);
  cache.set(part.x, m);
  return m;
}

export function pooledMoments(parts: readonly Samples[], d: number): RowMoments {
  let acc: RowMoments = { n: 0, mean: new Float64Array(d), scatter: new Float64Array(d * d) };
  for (const p of parts) {
    if (p.dim !== d) throw new RangeError(`pooled moments: a part of dimension ${p.dim}, not ${d}`);
    if (p.n > 0) acc = mergeRowMoments(acc, partMoments(p));
  }
  return acc;
}
