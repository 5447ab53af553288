import type { Samples } from '../data/samples';
import { mergeRowMoments, rowMoments, type RowMoments } from './dense-gaussian';

/**
 * The mean and scatter of a training set that concatenates parts (an accumulating paradigm's real data and every
 * generation's kept samples, `Samples.parts`), from each part's own moments merged in order (mergeRowMoments): each
 * part's moments are computed once, when a fit first sees it, and kept while its rows live; and the merge of each
 * prefix of parts is kept too, so that generation t of accumulate (the parts of generation t − 1 and one more) costs
 * one pass over its newest part and one merge, instead of a pass or a merge per part. Deterministic: the merges are
 * the same left fold in the same order whether a prefix is found or folded afresh, so the same parts give the same
 * bits, whichever generation (or resumed run) asks.
 */
const cache = new WeakMap<Float32Array, RowMoments>();

/** The fold of a prefix of parts, by its last part's rows: the rows and counts of the parts it folded, and the result. */
interface Fold {
  xs: Float32Array[];
  ns: number[];
  acc: RowMoments;
}
const folds = new WeakMap<Float32Array, Fold>();

function partMoments(part: Samples): RowMoments {
  const known = cache.get(part.x);
  if (known && known.n === part.n && known.mean.length === part.dim) return known;
  const m = rowMoments(part.x, part.n, part.dim);
  cache.set(part.x, m);
  return m;
}

/** The fold kept for parts[0..k], if it folded exactly those parts. */
function foldOf(parts: readonly Samples[], k: number, d: number): Fold | null {
  const f = folds.get(parts[k].x);
  if (!f || f.xs.length !== k + 1 || f.acc.mean.length !== d) return null;
  for (let i = 0; i <= k; i++) if (f.xs[i] !== parts[i].x || f.ns[i] !== parts[i].n) return null;
  return f;
}

/** The moments of the parts together. The result is shared with later calls: read it, never write it. */
export function pooledMoments(parts: readonly Samples[], d: number): RowMoments {
  let acc: RowMoments = { n: 0, mean: new Float64Array(d), scatter: new Float64Array(d * d) };
  let start = 0;
  for (let k = parts.length - 1; k >= 0; k--) {
    const f = foldOf(parts, k, d);
    if (f) {
      acc = f.acc;
      start = k + 1;
      break;
    }
  }
  for (let i = start; i < parts.length; i++) {
    const p = parts[i];
    if (p.dim !== d) throw new RangeError(`pooled moments: a part of dimension ${p.dim}, not ${d}`);
    if (p.n > 0) acc = mergeRowMoments(acc, partMoments(p));
    folds.set(p.x, { xs: parts.slice(0, i + 1).map((q) => q.x), ns: parts.slice(0, i + 1).map((q) => q.n), acc });
  }
  return acc;
}
