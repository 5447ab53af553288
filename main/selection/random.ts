import { rngFor } from '../util/random';
import type { SelectionScheme } from './scheme';

/** A uniformly random subset of n candidates, seeded. */
export const randomScheme: SelectionScheme = {
  name: 'random',
  async select({ candidates, keep, seed }) {
    if (keep > candidates.n) throw new RangeError(`cannot keep ${keep} of ${candidates.n} candidates`);
    const selected = rngFor(seed, 'random-selection').choose(candidates.n, keep);
    return { selected, diagnostics: {} };
  },
};
