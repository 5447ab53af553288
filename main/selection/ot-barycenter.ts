import { moments } from '../islands/island-agent';
import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap, OtSettings } from '../islands/protocol';
import { asFloat64 } from '../ot/gemm';
import { calibratedGradient, calibratedSelfPotential } from '../ot/calibrated-gradient';
import { rngFor } from '../util/random';
import { argsortAscending } from './per-island';
import { featureKey, otSettings, participants, rmsRadiusCache } from './ot-common';
import { checkKeep, schemeParams } from './params';
import { islandMoments, poolMoments } from './reference-moments';
import type { SelectionScheme } from './scheme';
import { cholesky } from './whitening';

const RAW: IslandFeatureMap = { kind: 'raw' };

/**
 * Scheme II. A free-support Wasserstein barycenter of the islands, computed federatedly once per run (it depends only
 * on real data) and kept in this scheme instance: the server broadcasts a support ξ of S points, each island returns
 * (1−t)·ξ + t·T_k(ξ) (T_k the barycentric map of the entropic plan from ξ to its data), the server averages with equal
 * weights; R rounds. With t = 1 and exact OT this is the fixed point of POT's free_support_barycenter. Candidates are
 * then scored against ξ by the calibrated OT gradient (debiased) and the lowest are kept.
 *
 * The start: S draws of a Gaussian with the islands' pooled moments, seeded by the run's seed (`init: 'moments'`, so
 * the barycenter is a function of the real data and the seed only, and a resumed run recomputes the same one), or S
 * candidates of the first generation that asks (`init: 'candidates'`, the public code's start).
 */
export function otBarycenterScheme(): SelectionScheme {
  const rmsRadius = rmsRadiusCache();
  const barycenters = new Map<
    string,
    { support: Float32Array; S: number; rounds: number; displacement: number[]; seconds: number; trace: number }
  >();
  return {
    name: 'ot-barycenter',
    async select({ candidates, keep, islands, verifier, features, params, seed, runSeed, signal }) {
      const p = schemeParams('ot-barycenter', params);
      checkKeep(keep, candidates.n);
      const t0 = performance.now();
      const space = features ?? RAW;
      const who = participants(islands, p.islands, verifier);
      const fkey = featureKey(space);
      const radius = await rmsRadius(islands, space);
      const ot = otSettings(p, radius);
      const { n, dim } = candidates;

      const bkey = JSON.stringify([fkey, who.map((c) => c.id), p.support, p.rounds, p.t, p.init, ot]);
      let bary = barycenters.get(bkey);
      const cached = bary !== undefined;
      if (!bary) {
        const tb = performance.now();
        const S = p.init === 'candidates' ? Math.min(p.support, n) : p.support;
        const init =
          p.init === 'candidates'
            ? subsample(candidates.x, n, dim, S, rngFor(runSeed ?? seed, 'barycenter-init'))
            : await gaussianStart(who, space, S, runSeed ?? seed);
        const r = await federatedBarycenter(who, space, init, S, dim, { t: p.t, rounds: p.rounds, ot, signal });
        bary = {
          support: r.support,
          S,
          rounds: p.rounds,
          displacement: r.displacement,
          seconds: (performance.now() - tb) / 1000,
          trace: moments(r.support, S, dim, false).trace,
        };
        barycenters.set(bkey, bary);
      }

      // score against ξ and keep the lowest; with pruneRounds > 1, prune in rounds (the survivors rescored each time)
      const x = asFloat64(candidates.x);
      const xi = asFloat64(bary.support);
      let alive = Int32Array.from({ length: n }, (_, i) => i);
      let scores: Float64Array = new Float64Array(0);
      let iterations = 0;
      for (let r = 1; r <= p.pruneRounds; r++) {
        const m = alive.length;
        const target = r === p.pruneRounds ? keep : Math.max(keep, Math.round(n * Math.pow(keep / n, r / p.pruneRounds)));
        const xa = new Float64Array(m * dim);
        for (let q = 0; q < m; q++) xa.set(x.subarray(alive[q] * dim, alive[q] * dim + dim), q * dim);
        const grad = calibratedGradient(xa, m, xi, bary.S, dim, ot);
        iterations += grad.iterations;
        const self = p.debias ? calibratedSelfPotential(xa, m, dim, ot) : null;
        const sc = self ? grad.scores.map((v, i) => v - self.scores[i]) : grad.scores;
        const order = argsortAscending(sc).slice(0, target);
        scores = Float64Array.from(order, (q) => sc[q]);
        alive = Int32Array.from(order, (q) => alive[q]);
      }
      const selected = alive;
      let kept = 0;
      for (const v of scores) kept += v;
      return {
        selected,
        diagnostics: {
          islands: who.map((c) => c.id),
          barycenterCached: cached ? 1 : 0,
          barycenterSupport: bary.S,
          barycenterRounds: bary.rounds,
          barycenterDisplacement: bary.displacement,
          barycenterSeconds: bary.seconds,
          barycenterVarianceTrace: bary.trace,
          epsilon: ot.epsilon,
          rmsRadius: radius,
          sinkhornIterations: iterations,
          meanKeptScore: kept / keep,
          seconds: (performance.now() - t0) / 1000,
        },
      };
    },
  };
}

export interface FederatedBarycenterOptions {
  t: number;
  rounds: number;
  ot: OtSettings;
  /** Weights of the islands in the average (equal when absent). */
  weights?: number[];
  signal?: AbortSignal;
}

/**
 * R rounds of ξ ← Σ_k w_k·((1−t)·ξ + t·T_k(ξ)), each island computing its own term. Returns the support and the mean
 * squared displacement of each round.
 */
export async function federatedBarycenter(
  channels: IslandChannel[],
  features: IslandFeatureMap,
  init: Float32Array,
  S: number,
  dim: number,
  opts: FederatedBarycenterOptions,
): Promise<{ support: Float32Array; displacement: number[] }> {
  if (init.length !== S * dim) throw new RangeError(`barycenter: start holds ${init.length} values, expected ${S} × ${dim}`);
  const K = channels.length;
  const w = opts.weights ?? new Array(K).fill(1 / K);
  let xi = Float32Array.from(init);
  const displacement: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
    const answers = await Promise.all(
      channels.map((c) =>
        c.request({ type: 'ot-interpolate', features, support: xi, n: S, dim, ot: opts.ot, t: opts.t, warmStart: r > 0 }),
      ),
    );
    const next = new Float64Array(S * dim);
    answers.forEach((a, k) => {
      for (let q = 0; q < next.length; q++) next[q] += w[k] * a.points[q];
    });
    let moved = 0;
    for (let q = 0; q < next.length; q++) moved += (next[q] - xi[q]) ** 2;
    displacement.push(moved / S);
    xi = Float32Array.from(next);
  }
  return { support: xi, displacement };
}

function subsample(x: Float32Array, n: number, dim: number, S: number, rng: ReturnType<typeof rngFor>): Float32Array {
  const idx = rng.choose(n, S);
  const out = new Float32Array(S * dim);
  for (let s = 0; s < S; s++) out.set(x.subarray(idx[s] * dim, idx[s] * dim + dim), s * dim);
  return out;
}

/** S draws of N(μ, Σ) with the islands' pooled moments (a small ridge keeps Σ positive definite). */
async function gaussianStart(channels: IslandChannel[], features: IslandFeatureMap, S: number, seed: number): Promise<Float32Array> {
  const m = poolMoments(await islandMoments(channels, features));
  const d = m.dim;
  const L = cholesky(m.covariance, d, 1e-6);
  const rng = rngFor(seed, 'barycenter-init');
  const z = new Float64Array(d);
  const out = new Float32Array(S * d);
  for (let s = 0; s < S; s++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let i = 0; i < d; i++) {
      let v = m.mean[i];
      for (let k = 0; k <= i; k++) v += L[i * d + k] * z[k];
      out[s * d + i] = v;
    }
  }
  return out;
}
