import type { IslandFeatureMap } from '../islands/protocol';
import { symmetricEigen } from '../metrics/symmetric-eigen';
import { pickInTurns } from './per-island';
import { checkKeep, schemeParams } from './params';
import { referenceMoments, type ReferenceMoments } from './reference-moments';
import type { SelectionScheme } from './scheme';

const RAW: IslandFeatureMap = { kind: 'raw' };

/**
 * Covariance matching: in the reference's top-p PCA subspace (p = 32 by default), start from the candidate nearest the
 * reference mean, then repeatedly add the candidate that minimises ‖Σ̂(kept ∪ {i}) − Σ_ref‖_F (Σ̂ the maximum-
 * likelihood covariance of the kept set, Σ_ref = diag of the reference's top eigenvalues). See CovarianceGreedy for the
 * running sums that make one step O(N·p). per-island: each island runs its own greedy, in turns.
 */
export function covmatchScheme(): SelectionScheme {
  return {
    name: 'covmatch',
    async select({ candidates, keep, islands, reference, verifier, features, params }) {
      const p = schemeParams('covmatch', params);
      checkKeep(keep, candidates.n);
      const refs = await referenceMoments(islands, features ?? RAW, reference, verifier);
      const greedy = refs.map((r) => CovarianceGreedy.forReference(candidates.x, candidates.n, candidates.dim, r, p.components));
      const selected = pickInTurns(candidates.n, keep, refs.length, (k, taken) => {
        const i = greedy[k].next(taken);
        greedy[k].add(i);
        return i;
      });
      const gaps = greedy.map((g) => g.frobeniusGap());
      return {
        selected,
        diagnostics: { references: refs.length, components: greedy[0].p, covarianceGap: gaps.length === 1 ? gaps[0] : gaps },
      };
    },
  };
}

/**
 * Greedy covariance matching with running sums. With S the kept set (m points z_j, sums s = Σ z_j, Q = Σ z_j z_jᵀ),
 * m' = m + 1, b = 1/m', c = b − b², a = b·s and B = b·Q − R − a·aᵀ, adding x gives
 *   ‖Σ̂ − R‖² = ‖B‖² + c²‖x‖⁴ + 2b²(‖a‖²‖x‖² + (aᵀx)²) + 2c·xᵀBx − 4b·(Ba)ᵀx − 4bc·(aᵀx)‖x‖²,
 * where aᵀx = b·t_x and xᵀBx = b·q_x − xᵀRx − (b·t_x)² with running t_x = Σ_j z_jᵀx and q_x = Σ_j (z_jᵀx)². A step
 * costs O(N·p + p²): the products z_jᵀx of the new point with all candidates, and Ba.
 */
export class CovarianceGreedy {
  readonly #z: Float64Array;
  readonly #n: number;
  readonly p: number;
  readonly #lambda: Float64Array;
  readonly #norm2: Float64Array;
  readonly #r: Float64Array;
  readonly #t: Float64Array;
  readonly #q: Float64Array;
  readonly #s: Float64Array;
  readonly #Q: Float64Array;
  #m = 0;
  readonly #kept: number[] = [];

  /** z: candidates in the subspace, centred at the reference mean, [n, p]; lambda: the reference's variances there. */
  constructor(z: Float64Array, n: number, p: number, lambda: Float64Array) {
    this.#z = z;
    this.#n = n;
    this.p = p;
    this.#lambda = lambda;
    this.#norm2 = new Float64Array(n);
    this.#r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s2 = 0;
      let r = 0;
      for (let k = 0; k < p; k++) {
        const v = z[i * p + k];
        s2 += v * v;
        r += lambda[k] * v * v;
      }
      this.#norm2[i] = s2;
      this.#r[i] = r;
    }
    this.#t = new Float64Array(n);
    this.#q = new Float64Array(n);
    this.#s = new Float64Array(p);
    this.#Q = new Float64Array(p * p);
  }

  /** Project the candidates on the reference's top-p principal axes. */
  static forReference(x: Float32Array, n: number, d: number, ref: ReferenceMoments, components: number): CovarianceGreedy {
    if (ref.dim !== d) throw new Error(`covmatch: reference has ${ref.dim} features, candidates ${d}`);
    const p = Math.min(components, d);
    const { values, vectors } = symmetricEigen(ref.covariance, d, true);
    const lambda = new Float64Array(p);
    const V = new Float64Array(p * d); // rows: the top axes
    for (let k = 0; k < p; k++) {
      const src = d - 1 - k;
      lambda[k] = Math.max(0, values[src]);
      V.set(vectors!.subarray(src * d, src * d + d), k * d);
    }
    const z = new Float64Array(n * p);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = x[i * d + j] - ref.mean[j];
      for (let k = 0; k < p; k++) {
        let s = 0;
        const o = k * d;
        for (let j = 0; j < d; j++) s += row[j] * V[o + j];
        z[i * p + k] = s;
      }
    }
    return new CovarianceGreedy(z, n, p, lambda);
  }

  /** The best candidate to add next among those not taken (taken[i] = 1). */
  next(taken: Uint8Array): number {
    const n = this.#n;
    if (this.#m === 0) {
      let best = -1;
      for (let i = 0; i < n; i++) if (!taken[i] && (best < 0 || this.#norm2[i] < this.#norm2[best])) best = i;
      return best;
    }
    const p = this.p;
    const b = 1 / (this.#m + 1);
    const c = b - b * b;
    const a = new Float64Array(p);
    let aa = 0;
    for (let k = 0; k < p; k++) {
      a[k] = b * this.#s[k];
      aa += a[k] * a[k];
    }
    // Ba = b·Q·a − λ⊙a − a·(aᵀa)
    const Ba = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let s = 0;
      for (let l = 0; l < p; l++) s += this.#Q[k * p + l] * a[l];
      Ba[k] = b * s - this.#lambda[k] * a[k] - a[k] * aa;
    }
    let best = -1;
    let bestF = Infinity;
    const z = this.#z;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const x2 = this.#norm2[i];
      const ax = b * this.#t[i];
      const xBx = b * this.#q[i] - this.#r[i] - ax * ax;
      let bax = 0;
      const o = i * p;
      for (let k = 0; k < p; k++) bax += Ba[k] * z[o + k];
      const F = c * c * x2 * x2 + 2 * b * b * (aa * x2 + ax * ax) + 2 * c * xBx - 4 * b * bax - 4 * b * c * ax * x2;
      if (F < bestF) {
        bestF = F;
        best = i;
      }
    }
    return best;
  }

  add(j: number): void {
    const n = this.#n;
    const p = this.p;
    const z = this.#z;
    const o = j * p;
    for (let i = 0; i < n; i++) {
      let dot = 0;
      const oi = i * p;
      for (let k = 0; k < p; k++) dot += z[o + k] * z[oi + k];
      this.#t[i] += dot;
      this.#q[i] += dot * dot;
    }
    for (let k = 0; k < p; k++) {
      this.#s[k] += z[o + k];
      for (let l = 0; l < p; l++) this.#Q[k * p + l] += z[o + k] * z[o + l];
    }
    this.#m++;
    this.#kept.push(j);
  }

  /** ‖Σ̂(kept) − Σ_ref‖_F, computed directly. */
  frobeniusGap(): number {
    const p = this.p;
    const m = this.#m;
    if (m === 0) return Math.hypot(...this.#lambda);
    let s = 0;
    for (let k = 0; k < p; k++) {
      for (let l = 0; l < p; l++) {
        const cov = this.#Q[k * p + l] / m - (this.#s[k] / m) * (this.#s[l] / m);
        const d = cov - (k === l ? this.#lambda[k] : 0);
        s += d * d;
      }
    }
    return Math.sqrt(s);
  }
}
