import { MAX_REDRAWS, SplitError, minIslandSize, type SplitFunction } from './types';

/** Quantity skew (NIID-Bench "iid-diff-quantity"): island sizes ~ Dirichlet(beta), samples otherwise IID. */
export function quantitySplit(beta: number): SplitFunction {
  return ({ n, islands, rng }) => {
    const need = minIslandSize(n, islands);
    for (let attempt = 0; attempt < MAX_REDRAWS; attempt++) {
      const p = rng.dirichlet(new Array(islands).fill(beta));
      if (Math.min(...p) * n < need) continue;
      const perm = rng.permutation(n);
      const out: Int32Array[] = [];
      let acc = 0;
      let start = 0;
      for (let k = 0; k < islands; k++) {
        acc += p[k];
        const end = k === islands - 1 ? n : Math.floor(acc * n);
        out.push(perm.slice(start, end));
        start = end;
      }
      if (Math.min(...out.map((o) => o.length)) >= need) return out;
    }
    throw new SplitError(
      `quantity:${beta}: could not give each of ${islands} islands at least ${need} samples in ${MAX_REDRAWS} draws; use a larger BETA or fewer islands`,
    );
  };
}
