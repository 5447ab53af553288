import type { IslandFeatureMap } from '../islands/protocol';
import { argsortAscending, pickerFromOrders, pickInTurns } from './per-island';
import { checkKeep } from './params';
import { referenceMoments } from './reference-moments';
import type { SelectionScheme } from './scheme';

const RAW: IslandFeatureMap = { kind: 'raw' };

/** Center matching: keep the candidates nearest the reference mean (per-island: each island's nearest, in turns). */
export function centerScheme(): SelectionScheme {
  return {
    name: 'center',
    async select({ candidates, keep, islands, reference, verifier, features }) {
      checkKeep(keep, candidates.n);
      const refs = await referenceMoments(islands, features ?? RAW, reference, verifier);
      const { x, n, dim } = candidates;
      const orders = refs.map((r) => {
        if (r.dim !== dim) throw new Error(`center: reference has ${r.dim} features, candidates ${dim}`);
        const dist = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < dim; j++) {
            const t = x[i * dim + j] - r.mean[j];
            s += t * t;
          }
          dist[i] = s;
        }
        return argsortAscending(dist);
      });
      const selected = pickInTurns(n, keep, refs.length, pickerFromOrders(orders));
      return { selected, diagnostics: { references: refs.length } };
    },
  };
}
