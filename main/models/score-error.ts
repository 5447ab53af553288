import type { z } from 'zod';
import type { scoreErrorSpec } from '../contract/models/catalog';

export type ScoreErrorSpec = z.output<typeof scoreErrorSpec>;

/**
 * A configurable error of the exact score (issue: score-error geometry, the second abstract of seed 001). The
 * sampler uses ŝ = ∇log p_t + e_t with e_t = g·∇φ + s·J∇log p_t:
 *   - the gradient part g·∇φ, for φ(x) = ½‖x − c‖² (quadratic: ∇φ = x − c, a push away from c that widens the
 *     samples) or φ(x) = w²·exp(−‖x − c‖²/2w²) (bump: ∇φ = −(x − c)·exp(…), a local push towards c);
 *   - the solenoidal part s·J∇log p_t with J antisymmetric (a rotation in each pair of coordinates). For ANY density
 *     ∇·(p J∇log p) = ∇·(J∇p) = Σ_ab J_ab ∂_a∂_b p = 0, since the Hessian is symmetric and J antisymmetric: the field
 *     is divergence-free with respect to p_t, so it leaves the Fokker–Planck equation, hence the sampled marginal,
 *     unchanged however large s is. For an isotropic Gaussian it is the rotation field A·(x − m) of the paper.
 * Both are evaluated from the exact score at the same point, so the error costs nothing extra in the sampler.
 */
export class ScoreError {
  private readonly center: Float64Array;

  /** Per coordinate, the sign of the gradient part's g (a generation's draw under gradient.randomSign; all 1 otherwise). */
  readonly signs: Float64Array;

  constructor(
    readonly spec: ScoreErrorSpec,
    readonly d: number,
    signs?: Float64Array,
  ) {
    if (spec.solenoidal.magnitude > 0 && d < 2) {
      throw new RangeError(
        'model.params.scoreError.solenoidal: a solenoidal field needs at least 2 dimensions (in 1-D, ∇·(p r) = 0 forces r = c/p)',
      );
    }
    const c = spec.gradient.center;
    if (c && c.length !== d) throw new RangeError(`model.params.scoreError.gradient.center: ${c.length} entries for ${d} dimensions`);
    this.center = c ? Float64Array.from(c) : new Float64Array(d);
    if (signs && signs.length !== d) throw new RangeError(`score error: ${signs.length} signs for ${d} dimensions`);
    this.signs = signs ?? new Float64Array(d).fill(1);
  }

  get active(): boolean {
    return this.spec.gradient.magnitude > 0 || this.spec.solenoidal.magnitude > 0;
  }

  /** out[outOff..] = the gradient part g·∇φ(x). */
  gradientPart(x: ArrayLike<number>, xOff: number, out: Float64Array, outOff: number): void {
    const { magnitude: g, potential, width } = this.spec.gradient;
    const d = this.d;
    const sg = this.signs;
    if (potential === 'quadratic') {
      for (let i = 0; i < d; i++) out[outOff + i] = sg[i] * g * (x[xOff + i] - this.center[i]);
      return;
    }
    let q = 0;
    for (let i = 0; i < d; i++) q += (x[xOff + i] - this.center[i]) ** 2;
    const e = Math.exp(-q / (2 * width * width));
    for (let i = 0; i < d; i++) out[outOff + i] = -sg[i] * g * (x[xOff + i] - this.center[i]) * e;
  }

  /** out[outOff..] = the solenoidal part s·J·score, for the exact score at the point. */
  solenoidalPart(score: ArrayLike<number>, scoreOff: number, out: Float64Array, outOff: number): void {
    const s = this.spec.solenoidal.magnitude;
    const d = this.d;
    for (let i = 0; i + 1 < d; i += 2) {
      out[outOff + i] = -s * score[scoreOff + i + 1];
      out[outOff + i + 1] = s * score[scoreOff + i];
    }
    if (d % 2 === 1) out[outOff + d - 1] = 0;
  }

  /** e_t(x) into out, given the exact score at x; `work` has length 2d. */
  error(x: ArrayLike<number>, xOff: number, score: ArrayLike<number>, scoreOff: number, out: Float64Array, work: Float64Array): void {
    const d = this.d;
    this.gradientPart(x, xOff, work, 0);
    this.solenoidalPart(score, scoreOff, work, d);
    for (let i = 0; i < d; i++) out[i] = work[i] + work[d + i];
  }

  /** Perturb the exact score in place: score += e(x). */
  perturb(x: ArrayLike<number>, xOff: number, score: Float64Array, scoreOff: number, work: Float64Array): void {
    const d = this.d;
    this.gradientPart(x, xOff, work, 0);
    this.solenoidalPart(score, scoreOff, work, d);
    for (let i = 0; i < d; i++) score[scoreOff + i] += work[i] + work[d + i];
  }
}
