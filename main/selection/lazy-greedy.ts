/**
 * Greedy maximisation of the coverage objective of Scheme I, F(S) = Σ_k log(1 + Σ_{i∈S} u_ik) with u ≥ 0, which is
 * monotone submodular (a concave function of a modular one, summed): the marginal gain of a candidate only shrinks as
 * S grows, so the lazy greedy (Minoux 1978) returns exactly the plain greedy's set while re-evaluating few gains. A
 * binary max-heap holds stale upper bounds; the top is re-evaluated and taken when it is still at least the next bound.
 * Ties go to the lower index.
 */
export function lazyGreedyLogCoverage(u: Float64Array[], n: number, keep: number): { selected: Int32Array; objective: number } {
  const K = u.length;
  for (const uk of u) if (uk.length !== n) throw new RangeError(`lazyGreedyLogCoverage: utilities of length ${uk.length}, expected ${n}`);
  if (keep > n) throw new RangeError(`cannot keep ${keep} of ${n} candidates`);
  const cover = new Float64Array(K);
  const gain = (i: number): number => {
    let g = 0;
    for (let k = 0; k < K; k++) {
      const v = u[k][i];
      if (v > 0) g += Math.log1p(v / (1 + cover[k]));
    }
    return g;
  };
  // heap of candidate indices keyed by bound (desc), index (asc)
  const bound = new Float64Array(n);
  const heap = new Int32Array(n);
  let size = n;
  for (let i = 0; i < n; i++) {
    bound[i] = gain(i);
    heap[i] = i;
  }
  const above = (a: number, b: number) => bound[a] > bound[b] || (bound[a] === bound[b] && a < b);
  const down = (pos: number) => {
    const x = heap[pos];
    for (;;) {
      const l = 2 * pos + 1;
      if (l >= size) break;
      const r = l + 1;
      const c = r < size && above(heap[r], heap[l]) ? r : l;
      if (!above(heap[c], x)) break;
      heap[pos] = heap[c];
      pos = c;
    }
    heap[pos] = x;
  };
  for (let p = (size >> 1) - 1; p >= 0; p--) down(p);

  const selected = new Int32Array(keep);
  let objective = 0;
  for (let c = 0; c < keep; c++) {
    for (;;) {
      const top = heap[0];
      const g = gain(top);
      bound[top] = g;
      // still the best once re-evaluated? (children hold upper bounds)
      const l = size > 1 ? heap[1] : -1;
      const r = size > 2 ? heap[2] : -1;
      const next = l < 0 ? -1 : r < 0 || above(l, r) ? l : r;
      if (next < 0 || above(top, next)) {
        selected[c] = top;
        objective += g;
        for (let k = 0; k < K; k++) cover[k] += u[k][top];
        heap[0] = heap[--size];
        down(0);
        break;
      }
      down(0);
    }
  }
  return { selected, objective };
}
