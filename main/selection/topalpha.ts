import type { IslandFeatureMap } from '../islands/protocol';
import { rngFor } from '../util/random';
import { argsortAscending, pickerFromOrders, pickInTurns } from './per-island';
import { checkKeep, schemeParams } from './params';
import { referenceMoments } from './reference-moments';
import type { SelectionScheme } from './scheme';
import { mahalanobisSquared } from './whitening';

const RAW: IslandFeatureMap = { kind: 'raw' };

/**
 * The top-α local verifier of the theory: score = −Mahalanobis distance to the reference (its mean and covariance, with
 * a small ridge); the verifier accepts the top ⌈α·N⌉ candidates and n of them are kept (all of the top n when α is
 * absent, i.e. α = n/N). per-island: each island's top candidates, in turns. With an explicit verifier target
 * (config.selection.target given or shifted-real: u* and Σ_bias, main/selection/verifier-target.ts) the one reference
 * is that target and `reference` / `verifier` are not used.
 */
export function topalphaScheme(): SelectionScheme {
  return {
    name: 'topalpha',
    async select({ candidates, keep, islands, reference, verifier, features, seed, params, target }) {
      const p = schemeParams('topalpha', params);
      checkKeep(keep, candidates.n);
      const { x, n, dim } = candidates;
      const accept = p.alpha === undefined ? keep : Math.ceil(p.alpha * n);
      if (accept < keep) {
        throw new RangeError(`topalpha: alpha = ${p.alpha} accepts ${accept} of ${n} candidates, fewer than keep = ${keep}`);
      }
      const refs: { dim: number; mean: Float64Array; covariance: Float64Array }[] = target
        ? [await target.moments({ features: features ?? RAW, dim, islands })]
        : await referenceMoments(islands, features ?? RAW, reference, verifier);
      const dist = refs.map((r) => {
        if (r.dim !== dim) throw new Error(`topalpha: reference has ${r.dim} features, candidates ${dim}`);
        return mahalanobisSquared(x, n, dim, r.mean, r.covariance, p.ridge);
      });
      const orders = dist.map(argsortAscending);
      // the accepted set: the top `accept` (in turns for per-island), then `keep` of them uniformly at random
      const accepted = pickInTurns(n, accept, refs.length, pickerFromOrders(orders));
      const selected = accept === keep ? accepted : Int32Array.from(rngFor(seed, 'topalpha').choose(accept, keep), (j) => accepted[j]);
      let meanScore = 0;
      for (const i of selected) {
        let best = Infinity;
        for (const d of dist) best = Math.min(best, d[i]);
        meanScore -= Math.sqrt(best);
      }
      const diagnostics: Record<string, number | string> = {
        references: refs.length,
        accepted: accept,
        meanKeptScore: meanScore / selected.length,
      };
      if (target) {
        // Theorem 1's ‖μ̄_t − u*‖: the Euclidean distance of the kept samples' mean to the target
        const u = refs[0].mean;
        let ss = 0;
        for (let j = 0; j < dim; j++) {
          let m = 0;
          for (const i of selected) m += x[i * dim + j];
          ss += (m / selected.length - u[j]) ** 2;
        }
        diagnostics.target = target.kind;
        diagnostics.keptMeanToTarget = Math.sqrt(ss);
      }
      return { selected, diagnostics };
    },
  };
}
