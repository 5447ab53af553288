import type { IslandFeatureMap } from '../islands/protocol';
import { asFloat64 } from '../ot/gemm';
import { calibratedSelfPotential } from '../ot/calibrated-gradient';
import { lazyGreedyLogCoverage } from './lazy-greedy';
import { minMax, otSettings, participants, rmsRadiusCache } from './ot-common';
import { GEODESIC_MAX_CANDIDATES } from '../contract/selection/catalog';
import { checkKeep, schemeParams } from './params';
import type { SelectionScheme } from './scheme';

const RAW: IslandFeatureMap = { kind: 'raw' };

/**
 * Scheme I. Each island scores the N candidates by the calibrated OT gradient against its own data (or against its
 * geodesic proxy (1−t)·X + t·T(X)) and returns the N scores; the selector subtracts the candidates' calibrated
 * self-potential (debiasing, computed here while the islands work), min-max normalises each island's scores to S̃ in
 * [0, 1], takes utilities u_ik = max(0, 1 − S̃_ik) and keeps the set maximising Σ_k log(1 + Σ_{i∈S} u_ik) by lazy
 * greedy: low scores are kept, and a candidate that only one island likes still counts once that island is short.
 */
export function otProxyScheme(): SelectionScheme {
  const rmsRadius = rmsRadiusCache();
  return {
    name: 'ot-proxy',
    async select({ candidates, keep, islands, verifier, features, params, signal }) {
      const p = schemeParams('ot-proxy', params);
      checkKeep(keep, candidates.n);
      if (p.proxy === 'geodesic' && candidates.n > GEODESIC_MAX_CANDIDATES) {
        throw new Error(
          `ot-proxy with proxy "geodesic" solves an N × N problem on every island: N = ${candidates.n} candidates needs ` +
            `${((8 * candidates.n ** 2) / 2 ** 30).toFixed(1)} GiB per island (at most ${GEODESIC_MAX_CANDIDATES} candidates). ` +
            'Use proxy "data" (the same ranking in theory: the proxy\'s potential is t times the data\'s) or fewer candidates.',
        );
      }
      const t0 = performance.now();
      const space = features ?? RAW;
      const who = participants(islands, p.islands, verifier);
      const radius = await rmsRadius(islands, space);
      const ot = otSettings(p, radius);
      const { n, dim } = candidates;
      // the requests leave now; the debiasing term is computed on this thread while the islands work
      const pending = Promise.all(
        who.map((c) => c.request({ type: 'ot-scores', features: space, candidates: candidates.x, n, dim, ot, proxy: p.proxy, t: p.t })),
      );
      pending.catch(() => {}); // awaited below; keeps an early island failure from being reported as unhandled
      const self = p.debias ? calibratedSelfPotential(asFloat64(candidates.x), n, dim, ot) : null;
      const answers = await pending;
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');

      const utilities = answers.map((a) => {
        const s = self ? a.scores.map((v, i) => v - self.scores[i]) : a.scores;
        const { min, max } = minMax(s);
        const span = max - min;
        return s.map((v) => (span > 0 ? Math.max(0, 1 - (v - min) / span) : 1));
      });
      const { selected, objective } = lazyGreedyLogCoverage(utilities, n, keep);
      return {
        selected,
        diagnostics: {
          islands: who.map((c) => c.id),
          objective,
          epsilon: ot.epsilon,
          rmsRadius: radius,
          sinkhornIterations: answers.map((a) => a.iterations),
          marginalError: answers.map((a) => a.marginalError),
          ...(self ? { selfIterations: self.iterations } : {}),
          meanKeptUtility: utilities.map((u) => {
            let s = 0;
            for (const i of selected) s += u[i];
            return s / selected.length;
          }),
          seconds: (performance.now() - t0) / 1000,
        },
      };
    },
  };
}
