/**
 * Histogram of all values of x over [lo, hi] in `bins` equal bins, as fractions of the values (numpy's
 * `np.histogram(x, bins, range=(lo, hi))[0] / x.size`: the last bin is closed; values outside the range are not
 * counted, NaN never is).
 */
export function valueHistogram(x: ArrayLike<number>, bins = 200, lo = 0, hi = 1): number[] {
  if (!(bins >= 1) || !Number.isInteger(bins)) throw new RangeError(`histogram: bins must be an integer ≥ 1, got ${bins}`);
  if (!(hi > lo)) throw new RangeError(`histogram: empty range [${lo}, ${hi}]`);
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= lo && v <= hi)) continue;
    let b = Math.floor((v - lo) * scale);
    if (b >= bins) b = bins - 1;
    counts[b]++;
  }
  const n = x.length || 1;
  return Array.from(counts, (c) => c / n);
}

export interface ClassStats {
  /** Share of samples predicted as each class (sums to 1). */
  classHistogram: number[];
  /** Shannon entropy of the histogram, in nats (ln K for a uniform spread over K classes). */
  classEntropy: number;
  /** Classes holding at least a tenth of their uniform share (≥ 0.1 / K of the samples). */
  classesCovered: number;
}

/** Class histogram, its entropy and the number of classes covered, from predicted labels. */
export function classStats(pred: ArrayLike<number>, numClasses: number): ClassStats {
  if (!(numClasses >= 1)) throw new RangeError(`classStats: numClasses must be ≥ 1, got ${numClasses}`);
  const counts = new Float64Array(numClasses);
  for (let i = 0; i < pred.length; i++) {
    const c = pred[i];
    if (!(c >= 0 && c < numClasses)) throw new RangeError(`classStats: label ${c} at ${i} is outside [0, ${numClasses})`);
    counts[c]++;
  }
  return classStatsFromCounts(counts);
}

/**
 * Class histogram (shares), its entropy and the number of classes covered, from the count of samples per class (K =
 * counts.length). The one definition of `classesCovered`, whichever classifier predicted the classes: a class is
 * covered when it holds at least a tenth of its uniform share (≥ 0.1 / K of the samples).
 */
export function classStatsFromCounts(counts: ArrayLike<number>): ClassStats {
  const numClasses = counts.length;
  if (!(numClasses >= 1)) throw new RangeError('classStats: need the count of at least one class');
  let total = 0;
  for (let i = 0; i < numClasses; i++) {
    const c = counts[i];
    if (!(c >= 0)) throw new RangeError(`classStats: count ${c} of class ${i} is not a count`);
    total += c;
  }
  const n = total || 1;
  const classHistogram = Array.from(counts, (c) => c / n);
  let classEntropy = 0;
  let classesCovered = 0;
  for (const p of classHistogram) {
    if (p > 0) classEntropy -= p * Math.log(p);
    if (p >= 0.1 / numClasses) classesCovered++;
  }
  return { classHistogram, classEntropy, classesCovered };
}
