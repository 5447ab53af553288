import type { SelectionScheme } from './scheme';

/** No filter: the first n candidates, which are i.i.d. draws of the model, so the same as generating n. */
export const noneScheme: SelectionScheme = {
  name: 'none',
  async select({ candidates, keep }) {
    if (keep > candidates.n) throw new RangeError(`cannot keep ${keep} of ${candidates.n} candidates`);
    return { selected: Int32Array.from({ length: keep }, (_, i) => i), diagnostics: {} };
  },
};
