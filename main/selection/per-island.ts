/**
 * The `per-island` reference: each of K islands keeps n/K of the candidates against its own data. Quotas differ by at
 * most one (the first n mod K islands keep one more); islands pick in turns (0, 1, …, K−1, 0, …), each taking its best
 * candidate not yet taken, so no island gets all the contested candidates.
 */
export function quotas(keep: number, islands: number): number[] {
  const base = Math.floor(keep / islands);
  return Array.from({ length: islands }, (_, k) => base + (k < keep % islands ? 1 : 0));
}

/**
 * Take `keep` distinct indices by turns; `pick(k, taken)` returns island k's best index not yet taken (taken[i] = 1).
 * Returns the indices in the order they were taken.
 */
export function pickInTurns(n: number, keep: number, islands: number, pick: (island: number, taken: Uint8Array) => number): Int32Array {
  if (keep > n) throw new RangeError(`cannot keep ${keep} of ${n} candidates`);
  const q = quotas(keep, islands);
  const taken = new Uint8Array(n);
  const out = new Int32Array(keep);
  let c = 0;
  while (c < keep) {
    for (let k = 0; k < islands && c < keep; k++) {
      if (q[k] === 0) continue;
      const i = pick(k, taken);
      if (!(i >= 0 && i < n) || taken[i]) throw new Error(`per-island selection: island ${k} picked an invalid candidate ${i}`);
      taken[i] = 1;
      out[c++] = i;
      q[k]--;
    }
  }
  return out;
}

/** Island k's picker from a fixed preference order (best first): the first index not yet taken. */
export function pickerFromOrders(orders: Int32Array[]): (island: number, taken: Uint8Array) => number {
  const pos = new Int32Array(orders.length);
  return (k, taken) => {
    const o = orders[k];
    while (pos[k] < o.length && taken[o[pos[k]]]) pos[k]++;
    if (pos[k] >= o.length) return -1;
    return o[pos[k]++];
  };
}

/** Indices 0..n−1 sorted by ascending value (ties by index). */
export function argsortAscending(v: ArrayLike<number>): Int32Array {
  const idx = Int32Array.from({ length: v.length }, (_, i) => i);
  idx.sort((a, b) => v[a] - v[b] || a - b);
  return idx;
}
