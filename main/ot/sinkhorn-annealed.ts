import { softminCols, softminRows } from './softmin';
import { TruncatedKernel } from './truncated-kernel';

export { releaseSinkhornScratch } from './truncated-kernel';

/**
 * Entropic OT with ε-scaling (annealing) and a truncated kernel, for the selection schemes: potentials f, g of
 *   min ⟨P, C⟩ + ε·KL(P | a⊗b)  s.t.  P1 = a, Pᵀ1 = b,
 * in POT's convention P_ij = exp((f_i + g_j − C_ij)/ε) (so f, g are POT's reg·log u, reg·log v at the same C and
 * reg = ε), and the barycentric map of the plan.
 *
 * Why a second Sinkhorn beside sinkhorn-log.ts: the schemes need ε far below the cost's scale (blur 0.05 on unit-scale
 * features, i.e. ε/max C ≈ 1e-3), where plain Sinkhorn from zero potentials takes thousands of iterations, on
 * problems of 4,000 × 1,000 to 8,000 × 8,000 points. As geomloss does, ε starts at max C and shrinks by `ratio` per
 * stage, the potentials of one stage warm-starting the next; at the target ε it iterates until the column marginal
 * error ‖Pᵀ1 − b‖₁ < tol. A warm start (`initG`, e.g. the last round's potential in the barycenter loop) shortens the
 * annealing to a few stages. At each stage the kernel K_ij = exp((f_i + g_j − C_ij)/ε) is built once (the only exponentials), keeping
 * only the entries within e^−θ of their row's or their column's largest (Schmitzer's truncated kernel, θ = 50 by
 * default, so a dropped entry weighs below 2e-22 of what its row or column carries); at small ε most entries drop, and
 * an iteration — u ← a / (K v), v ← b / (Kᵀu), fused in one pass over the kept entries — costs their number. Scalings
 * past e^±30 are folded back into f, g and the kept entries; the kernel is rebuilt and re-truncated at each stage and
 * every 50 iterations; a row or column whose sum underflows is redone exactly
 * in the log domain. Converged potentials equal POT's (up to the constant shift f + c, g − c).
 */
export interface AnnealedSinkhornOptions {
  /** Weights of the rows (uniform when absent). */
  a?: Float64Array | null;
  /** Weights of the columns (uniform when absent). */
  b?: Float64Array | null;
  /** ε shrinks by this factor per stage (geomloss's scaling², default 0.25, i.e. scaling = 0.5). */
  ratio?: number;
  /** Scaling iterations at each intermediate ε (default 5). */
  itersPerStage?: number;
  /** Iteration limit at the target ε (default 1000). */
  maxIter?: number;
  /** Stop when ‖Pᵀ1 − b‖₁ < tol at the target ε (default 1e-6; the total mass is 1). */
  tol?: number;
  /** Keep kernel entries within e^−θ of their row's or column's largest (default 50; Infinity keeps all). */
  truncation?: number;
  /** The first ε of the annealing, as a fraction of max C (default 1, geomloss's diameter²-like start). */
  startFraction?: number;
  /** Warm start: a column potential from a nearby problem; the annealing then starts at 4·ε at most. */
  initG?: Float64Array;
  /**
   * Keep the kernel in this thread's scratch arrays, reused by every scratch solve: fresh memory costs more to touch
   * than the iterations themselves here (about 3 ms per MB). The result's barycentricMap and transportCost are then
   * valid only until the next scratch solve on the same thread.
   */
  scratch?: boolean;
  signal?: AbortSignal;
}

export interface AnnealedSinkhornResult {
  f: Float64Array;
  g: Float64Array;
  /** Scaling iterations in total (all stages). */
  iterations: number;
  stages: number;
  /** ‖Pᵀ1 − b‖₁ at the last iteration. */
  marginalError: number;
  converged: boolean;
  /** Share of the kernel's entries kept at the last build. */
  density: number;
  /**
   * The barycentric map of the plan applied to the columns' points: T(x_i) = Σ_j P_ij y_j / Σ_j P_ij, for y the
   * column points, row-major [m, d]. Returns row-major [n, d].
   */
  barycentricMap(y: Float64Array, d: number): Float64Array;
  /** The plan's ⟨P, C⟩. */
  transportCost(): number;
}

/**
 * The annealed solve: ε from the schedule's start down to the target, a few scaling iterations per stage, then
 * iterations at the target ε until the column marginal error is below tol.
 */
export function sinkhornAnnealed(
  C: Float64Array,
  n: number,
  m: number,
  epsilon: number,
  opts: AnnealedSinkhornOptions = {},
): AnnealedSinkhornResult {
  if (!(n > 0 && m > 0)) throw new RangeError(`sinkhornAnnealed: needs points on both sides (got ${n} × ${m})`);
  if (C.length !== n * m) throw new RangeError(`sinkhornAnnealed: cost holds ${C.length} values, expected ${n} × ${m}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`sinkhornAnnealed: ε must be > 0, got ${epsilon}`);
  const a = weights(opts.a, n, 'a');
  const b = weights(opts.b, m, 'b');
  const ratio = opts.ratio ?? 0.25;
  if (!(ratio > 0 && ratio < 1)) throw new RangeError(`sinkhornAnnealed: ratio must be in (0, 1), got ${ratio}`);
  const perStage = opts.itersPerStage ?? 5;
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-6;
  const theta = opts.truncation ?? 50;
  if (!(theta > 0)) throw new RangeError(`sinkhornAnnealed: truncation must be > 0, got ${theta}`);
  if (opts.initG && opts.initG.length !== m) {
    throw new RangeError(`sinkhornAnnealed: initG has ${opts.initG.length} values, expected ${m}`);
  }

  const state = new AnnealedScaling(C, n, m, a, b, theta, opts.scratch === true);
  const schedule = epsilonSchedule(C, epsilon, ratio, opts.startFraction ?? 1, opts.initG !== undefined);
  if (opts.initG) state.warmStart(opts.initG, schedule[0]);
  const truncated = Number.isFinite(theta);
  let iterations = 0;
  let converged = false;
  for (let s = 0; s < schedule.length; s++) {
    state.eps = schedule[s];
    state.build();
    const last = s === schedule.length - 1;
    const limit = last ? maxIter : perStage;
    for (let it = 0; it < limit; it++) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      iterations++;
      const status = state.iterate();
      if (status === 'rebuild') {
        state.build();
        continue;
      }
      if (status === 'rescale') state.rescale();
      if (truncated && it % 50 === 49) {
        // re-truncate now and then, so that the drift of the potentials cannot leave a needed entry out for good
        state.absorb();
        state.build();
      }
      if (last && state.err < tol) {
        converged = true;
        break;
      }
    }
    if (!last) state.absorb();
  }
  return state.result(iterations, schedule.length, converged);
}

/**
 * The ε of each stage: from max C · startFraction (at most 4·ε for a warm start: straight at ε, a start that is off
 * converges slowly) down by `ratio` per stage, ending at ε.
 */
function epsilonSchedule(C: Float64Array, epsilon: number, ratio: number, startFraction: number, warm: boolean): number[] {
  let cmax = 0;
  for (let k = 0; k < C.length; k++) if (C[k] > cmax) cmax = C[k];
  let start = Math.max(cmax * startFraction, epsilon);
  if (warm) start = Math.min(start, 4 * epsilon);
  const schedule: number[] = [];
  for (let e = start; e > epsilon; e *= ratio) schedule.push(e);
  schedule.push(epsilon);
  return schedule;
}

/**
 * Potentials f, g, scalings u, v and the truncated kernel at the current ε. Scalings are folded into the potentials
 * and the kept entries once they leave e^±L (L = 30: far from overflow).
 */
class AnnealedScaling {
  eps = 0;
  /** ‖Pᵀ1 − b‖₁ at the last iteration. */
  err = Infinity;
  private readonly f: Float64Array;
  private readonly g: Float64Array;
  private readonly K: TruncatedKernel;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly colSum: Float64Array;
  private readonly logA: Float64Array;
  private readonly logB: Float64Array;
  private readonly hi = Math.exp(SCALING_LOG_LIMIT);
  private readonly lo = 1 / Math.exp(SCALING_LOG_LIMIT);

  constructor(
    private readonly C: Float64Array,
    private readonly n: number,
    private readonly m: number,
    private readonly a: Float64Array,
    private readonly b: Float64Array,
    private readonly theta: number,
    scratch: boolean,
  ) {
    this.logA = a.map(Math.log);
    this.logB = b.map(Math.log);
    this.f = new Float64Array(n);
    this.g = new Float64Array(m);
    this.K = new TruncatedKernel(n, m, scratch);
    this.u = new Float64Array(n).fill(1);
    this.v = new Float64Array(m).fill(1);
    this.colSum = new Float64Array(m);
  }

  /** Start from a column potential of a nearby problem, with f from it so that the row marginals are exact. */
  warmStart(initG: Float64Array, startEps: number): void {
    this.g.set(initG);
    softminRows(this.C, this.n, this.m, this.g, this.logA, startEps, this.f, this.theta);
  }

  /** The kernel at the current ε and potentials, scalings reset. */
  build(): void {
    this.K.build(this.C, this.f, this.g, this.eps, this.theta);
    this.u.fill(1);
    this.v.fill(1);
  }

  /** Fold the scalings into the potentials. */
  absorb(): void {
    const { n, m, f, g, u, v, eps } = this;
    for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
    for (let j = 0; j < m; j++) g[j] += eps * Math.log(v[j]);
  }

  /** Fold the scalings into the potentials and the kept kernel entries (no exponentials, no re-truncation). */
  rescale(): void {
    this.absorb();
    const { n, u, v } = this;
    const { rowPtr, col, val } = this.K;
    for (let i = 0; i < n; i++) {
      const ui = u[i];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) val[p] *= ui * v[col[p]];
    }
    u.fill(1);
    v.fill(1);
  }

  /**
   * One iteration in one pass over the kept entries: for each row, u_i ← a_i / (K v)_i, then that row's share of Kᵀu
   * is added while the row is in cache; then the column error ‖v ⊙ Kᵀu − b‖₁ and v ← b / Kᵀu. Returns 'rescale' when
   * a scaling left e^±L, 'rebuild' when a sum underflowed and was redone in the log domain.
   */
  iterate(): 'ok' | 'rescale' | 'rebuild' {
    const { C, n, m, a, b, f, g, u, v, colSum, logA, logB, eps, hi, lo } = this;
    colSum.fill(0);
    const { rowPtr, col, val } = this.K;
    let big = false;
    for (let i = 0; i < n; i++) {
      const p0 = rowPtr[i];
      const p1 = rowPtr[i + 1];
      let s = 0;
      for (let p = p0; p < p1; p++) s += val[p] * v[col[p]];
      if (!(s > 1e-290)) {
        // a row sum underflowed: fold v in, redo f exactly in the log domain, rebuild
        for (let j = 0; j < m; j++) g[j] += eps * Math.log(v[j]);
        softminRows(C, n, m, g, logA, eps, f);
        return 'rebuild';
      }
      const ui = a[i] / s;
      u[i] = ui;
      if (ui > hi || ui < lo) big = true; // |log u| > L: fold into f below
      for (let p = p0; p < p1; p++) colSum[col[p]] += val[p] * ui;
    }
    let e = 0;
    let bad = false;
    for (let j = 0; j < m; j++) {
      const c = colSum[j];
      e += Math.abs(v[j] * c - b[j]);
      if (!(c > 1e-290)) bad = true;
      const vj = b[j] / c;
      v[j] = vj;
      if (vj > hi || vj < lo) big = true;
    }
    this.err = e;
    if (bad) {
      // a column sum underflowed: fold u in, redo g exactly in the log domain, rebuild
      for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
      softminCols(C, n, m, f, logB, eps, g);
      return 'rebuild';
    }
    return big ? 'rescale' : 'ok';
  }

  /** Final potentials f + ε log u, g + ε log v; the kernel and scalings stay for the map and the cost. */
  result(iterations: number, stages: number, converged: boolean): AnnealedSinkhornResult {
    const { C, n, m, f, g, u, v, eps, K } = this;
    const fOut = new Float64Array(n);
    const gOut = new Float64Array(m);
    for (let i = 0; i < n; i++) fOut[i] = f[i] + eps * Math.log(u[i]);
    for (let j = 0; j < m; j++) gOut[j] = g[j] + eps * Math.log(v[j]);
    return {
      f: fOut,
      g: gOut,
      iterations,
      stages,
      marginalError: this.err,
      converged,
      density: K.nnz / (n * m),
      barycentricMap(y: Float64Array, d: number): Float64Array {
        if (y.length !== m * d) throw new RangeError(`barycentricMap: y holds ${y.length} values, expected ${m} × ${d}`);
        const { rowPtr, col, val } = K;
        const W = new Float64Array(n * d);
        for (let i = 0; i < n; i++) {
          let w = 0;
          const o = i * d;
          for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
            const j = col[p];
            const k = val[p] * v[j];
            w += k;
            const oy = j * d;
            for (let q = 0; q < d; q++) W[o + q] += k * y[oy + q];
          }
          const inv = 1 / w;
          for (let q = 0; q < d; q++) W[o + q] *= inv;
        }
        return W;
      },
      transportCost(): number {
        const { rowPtr, col, val } = K;
        let c = 0;
        for (let i = 0; i < n; i++) {
          const ui = u[i];
          const o = i * m;
          for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) c += ui * val[p] * v[col[p]] * C[o + col[p]];
        }
        return c;
      },
    };
  }
}

/** L: scalings beyond e^±L are folded into the potentials. */
const SCALING_LOG_LIMIT = 30;

function weights(w: Float64Array | null | undefined, size: number, name: string): Float64Array {
  if (w == null) return new Float64Array(size).fill(1 / size);
  if (w.length !== size) throw new RangeError(`sinkhornAnnealed: ${name} has ${w.length} weights for ${size} points`);
  for (let i = 0; i < size; i++) {
    if (!(w[i] > 0) || !Number.isFinite(w[i])) {
      throw new RangeError(`sinkhornAnnealed: ${name}[${i}] = ${w[i]}; weights must be positive and finite`);
    }
  }
  return w;
}
