import { gemmABt } from './gemm';

/**
 * Entropic OT with ε-scaling (annealing), for the selection schemes: potentials f, g of
 *   min ⟨P, C⟩ + ε·KL(P | a⊗b)  s.t.  P1 = a, Pᵀ1 = b,
 * in POT's convention P_ij = exp((f_i + g_j − C_ij)/ε) (so f, g are POT's reg·log u, reg·log v at the same C and
 * reg = ε), and the barycentric map of the plan.
 *
 * Why a second Sinkhorn beside sinkhorn-log.ts: the schemes need ε far below the cost's scale (blur 0.05 on unit-scale
 * features, i.e. ε/max C ≈ 1e-3), where plain Sinkhorn from zero potentials takes thousands of iterations. As geomloss
 * does, ε starts at max C and shrinks by `ratio` per stage, the potentials of one stage warm-starting the next; at the
 * target ε it iterates until the column marginal error ‖Pᵀ1 − b‖₁ < tol. A warm start (`initG`, e.g. the last round's
 * potential in the barycenter loop) skips the annealing. At each stage the kernel K = exp((f ⊕ g − C)/ε) is built once
 * (the only exponentials) and the iterations are scaling updates u ← a / (K v), v ← b / (Kᵀu), two passes over K;
 * scalings past e^±30 are folded back into f, g and the kernel rebuilt; a row or column whose kernel sum underflows is
 * redone exactly in the log domain. Converged potentials equal POT's (up to the constant shift f + c, g − c).
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
  /** Warm start: a column potential from a nearby problem; the annealing is skipped. */
  initG?: Float64Array;
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
  /**
   * The barycentric map of the plan applied to the columns' points: T(x_i) = Σ_j P_ij y_j / Σ_j P_ij, for y the
   * column points, row-major [m, d]. Returns row-major [n, d].
   */
  barycentricMap(y: Float64Array, d: number): Float64Array;
  /** The plan's ⟨P, C⟩. */
  transportCost(): number;
}

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
  const logA = a.map(Math.log);
  const logB = b.map(Math.log);

  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const K = new Float64Array(n * m);
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(m).fill(1);
  const col = new Float64Array(m);

  let eps: number;
  const schedule: number[] = [];
  if (opts.initG) {
    if (opts.initG.length !== m) throw new RangeError(`sinkhornAnnealed: initG has ${opts.initG.length} values, expected ${m}`);
    g.set(opts.initG);
    eps = epsilon;
    softminRows(C, n, m, g, logA, eps, f); // f from g: the row marginals are exact from the start
  } else {
    let cmax = 0;
    for (let k = 0; k < C.length; k++) if (C[k] > cmax) cmax = C[k];
    for (let e = Math.max(cmax, epsilon); e > epsilon; e *= ratio) schedule.push(e);
    eps = schedule.length ? schedule[0] : epsilon;
  }
  schedule.push(epsilon);

  let iterations = 0;
  let err = Infinity;
  let converged = false;

  const build = () => {
    const inv = 1 / eps;
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const fi = f[i];
      for (let j = 0; j < m; j++) K[o + j] = Math.exp((fi + g[j] - C[o + j]) * inv);
    }
    u.fill(1);
    v.fill(1);
  };
  const absorb = () => {
    for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
    for (let j = 0; j < m; j++) g[j] += eps * Math.log(v[j]);
  };

  /**
   * One iteration in one pass over K: for each row, u_i ← a_i / (K v)_i, then that row's share of Kᵀu is added while
   * the row is still in cache; then the column error ‖v ⊙ Kᵀu − b‖₁ and v ← b / Kᵀu. Returns false when the kernel
   * needs a rebuild (a scaling left e^±30, or a sum underflowed and was redone in the log domain).
   */
  const iterate = (): boolean => {
    col.fill(0);
    let big = false;
    for (let i = 0; i < n; i++) {
      const o = i * m;
      let s = 0;
      for (let j = 0; j < m; j++) s += K[o + j] * v[j];
      if (!(s > 1e-290)) {
        // a row sum underflowed: fold v in, redo f exactly in the log domain, rebuild
        for (let j = 0; j < m; j++) g[j] += eps * Math.log(v[j]);
        softminRows(C, n, m, g, logA, eps, f);
        return false;
      }
      const ui = a[i] / s;
      u[i] = ui;
      if (ui > 1e13 || ui < 1e-13) big = true; // |log u| > 30: fold into f below
      for (let j = 0; j < m; j++) col[j] += K[o + j] * ui;
    }
    let e = 0;
    let bad = false;
    for (let j = 0; j < m; j++) {
      const c = col[j];
      e += Math.abs(v[j] * c - b[j]);
      if (!(c > 1e-290)) bad = true;
      const vj = b[j] / c;
      v[j] = vj;
      if (vj > 1e13 || vj < 1e-13) big = true;
    }
    err = e;
    if (bad) {
      // a column sum underflowed: fold u in, redo g exactly in the log domain, rebuild
      for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
      softminCols(C, n, m, f, logB, eps, g);
      return false;
    }
    if (big) {
      absorb();
      return false;
    }
    return true;
  };

  let stages = 0;
  for (let s = 0; s < schedule.length; s++) {
    eps = schedule[s];
    stages++;
    build();
    const last = s === schedule.length - 1;
    const limit = last ? maxIter : perStage;
    for (let it = 0; it < limit; it++) {
      if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('aborted');
      iterations++;
      if (!iterate()) {
        build();
        continue;
      }
      if (last && err < tol) {
        converged = true;
        break;
      }
    }
    if (!last) {
      absorb();
    }
  }

  // final potentials: f + ε log u, g + ε log v (the kernel and scalings stay for the map)
  const fOut = new Float64Array(n);
  const gOut = new Float64Array(m);
  for (let i = 0; i < n; i++) fOut[i] = f[i] + eps * Math.log(u[i]);
  for (let j = 0; j < m; j++) gOut[j] = g[j] + eps * Math.log(v[j]);

  return {
    f: fOut,
    g: gOut,
    iterations,
    stages,
    marginalError: err,
    converged,
    barycentricMap(y: Float64Array, d: number): Float64Array {
      if (y.length !== m * d) throw new RangeError(`barycentricMap: y holds ${y.length} values, expected ${m} × ${d}`);
      // W = (K·diag(v))·Y, computed as A·Bᵀ with A = K·diag(v) [n, m] and B = Yᵀ [d, m]
      const Yt = new Float64Array(d * m);
      for (let j = 0; j < m; j++) for (let k = 0; k < d; k++) Yt[k * m + j] = y[j * d + k];
      const A = new Float64Array(n * m);
      const rows = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const o = i * m;
        let s = 0;
        for (let j = 0; j < m; j++) {
          const p = K[o + j] * v[j];
          A[o + j] = p;
          s += p;
        }
        rows[i] = s;
      }
      const W = gemmABt(A, Yt, n, d, m);
      for (let i = 0; i < n; i++) {
        const inv = 1 / rows[i];
        for (let k = 0; k < d; k++) W[i * d + k] *= inv;
      }
      return W;
    },
    transportCost(): number {
      let c = 0;
      for (let i = 0; i < n; i++) {
        const o = i * m;
        const ui = u[i];
        for (let j = 0; j < m; j++) c += ui * K[o + j] * v[j] * C[o + j];
      }
      return c;
    },
  };
}

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

/** f_i = log a_i·ε − ε·LSE_j((g_j − C_ij)/ε), exactly. */
function softminRows(C: Float64Array, n: number, m: number, g: Float64Array, logA: Float64Array, eps: number, f: Float64Array): void {
  const inv = 1 / eps;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const t = (g[j] - C[o + j]) * inv;
      if (t > mx) mx = t;
    }
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp((g[j] - C[o + j]) * inv - mx);
    f[i] = eps * (logA[i] - mx - Math.log(s));
  }
}

/** g_j = ε log b_j − ε·LSE_i((f_i − C_ij)/ε), exactly. */
function softminCols(C: Float64Array, n: number, m: number, f: Float64Array, logB: Float64Array, eps: number, g: Float64Array): void {
  const inv = 1 / eps;
  const mx = new Float64Array(m).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const fi = f[i];
    for (let j = 0; j < m; j++) {
      const t = (fi - C[o + j]) * inv;
      if (t > mx[j]) mx[j] = t;
    }
  }
  const s = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const fi = f[i];
    for (let j = 0; j < m; j++) s[j] += Math.exp((fi - C[o + j]) * inv - mx[j]);
  }
  for (let j = 0; j < m; j++) g[j] = eps * (logB[j] - mx[j] - Math.log(s[j]));
}
