import type { Rng } from '../../util/random';
import { MAX_REDRAWS, SplitError, indicesByClass, minIslandSize } from './types';

/**
 * The second level shared by the label-Dirichlet and ExDir splits (NIID-Bench / PFLlib): for each class draw
 * proportions ~ Dirichlet(alpha·1_K), zero the islands that do not own the class or already hold N/K samples,
 * renormalise, and cut the class's shuffled indices accordingly; redraw until every island has its minimum size.
 * `owners[c]` lists the islands allowed to receive class c.
 */
export function allocateClassesByDirichlet(
  labels: Int32Array,
  numClasses: number,
  islands: number,
  alpha: number,
  owners: number[][],
  rng: Rng,
): Int32Array[] {
  const n = labels.length;
  const byClass = indicesByClass(labels, numClasses);
  const need = minIslandSize(n, islands);
  const cap = n / islands;
  for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
    const batches: number[][] = Array.from({ length: islands }, () => []);
    for (let c = 0; c < numClasses; c++) {
      const idx = byClass[c].slice();
      if (idx.length === 0) continue;
      rng.shuffle(idx);
      const p = rng.dirichlet(new Array(islands).fill(alpha));
      const owned = new Set(owners[c]);
      let w = p.map((v, j) => (owned.has(j) && batches[j].length < cap ? v : 0));
      let s = w.reduce((a, b) => a + b, 0);
      if (!(s > 0)) {
        // Every owner is at its fair share (or the draw underflowed): fall back to the owners, uncapped.
        w = p.map((v, j) => (owned.has(j) ? v : 0));
        s = w.reduce((a, b) => a + b, 0);
        if (!(s > 0)) {
          w = p.map((_, j) => (owned.has(j) ? 1 : 0));
          s = owners[c].length;
        }
      }
      // cut points = floor(cumsum(proportions) * len), as numpy's astype(int); the rounding remainder goes to the
      // last island with a non-zero weight (numpy gives it to the last island, even a non-owner)
      let last = islands - 1;
      while (w[last] === 0) last--;
      let acc = 0;
      let start = 0;
      for (let j = 0; j <= last; j++) {
        acc += w[j] / s;
        const end = j === last ? idx.length : Math.min(idx.length, Math.floor(acc * idx.length));
        for (let t = start; t < end; t++) batches[j].push(idx[t]);
        start = Math.max(start, end);
      }
    }
    if (Math.min(...batches.map((b) => b.length)) >= need) return batches.map((b) => Int32Array.from(b));
  }
  throw new SplitError(
    `could not give each of ${islands} islands at least ${need} samples in ${MAX_REDRAWS} draws; ` + `use fewer islands or a larger ALPHA`,
  );
}
