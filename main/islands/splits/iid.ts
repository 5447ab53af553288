import type { SplitFunction } from './types';
import { SplitError } from './types';

/** IID: a random permutation cut into near-equal parts. */
export const iidSplit: SplitFunction = ({ n, islands, rng }) => {
  if (islands > n) throw new SplitError(`cannot split ${n} samples into ${islands} non-empty islands`);
  const perm = rng.permutation(n);
  const out: Int32Array[] = [];
  for (let k = 0; k < islands; k++) {
    const lo = Math.floor((k * n) / islands);
    const hi = Math.floor(((k + 1) * n) / islands);
    out.push(perm.slice(lo, hi));
  }
  return out;
};
