import type { Rng } from '../util/random';

/**
 * Seeded choice of k rows out of n. With labels, each class gets its proportional share k·n_c/n, rounded by largest
 * remainder (ties to the lower class) so the shares add up to k exactly; rows within a class are drawn at random.
 * Returns row indices sorted ascending.
 */
export function stratifiedChoice(n: number, k: number, rng: Rng, labels?: Int32Array): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`cannot choose ${k} rows out of ${n}`);
  if (!labels) return rng.choose(n, k).sort();
  if (labels.length < n) throw new RangeError(`${labels.length} labels for ${n} rows`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    let rows = byClass.get(c);
    if (!rows) byClass.set(c, (rows = []));
    rows.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const exact = classes.map((c) => (k * byClass.get(c)!.length) / n);
  const quota = exact.map(Math.floor);
  let left = k - quota.reduce((a, b) => a + b, 0);
  const order = classes.map((_, j) => j).sort((a, b) => exact[b] - quota[b] - (exact[a] - quota[a]) || a - b);
  for (let t = 0; left > 0; t++, left--) quota[order[t]]++;
  const out = new Int32Array(k);
  let o = 0;
  classes.forEach((c, j) => {
    const rows = byClass.get(c)!;
    const pick = rng.choose(rows.length, quota[j]);
    for (let t = 0; t < pick.length; t++) out[o++] = rows[pick[t]];
  });
  return out.sort();
}

/** Rows of 0..n-1 not in `chosen` (which must be sorted ascending), ascending. */
export function complementRows(n: number, chosen: Int32Array): Int32Array {
  const out = new Int32Array(n - chosen.length);
  let o = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (c < chosen.length && chosen[c] === i) c++;
    else out[o++] = i;
  }
  return out;
}
