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

/** The kept kernel entries, by rows (CSR). */
class TruncatedKernel {
  rowPtr: Int32Array;
  col = new Int32Array(0);
  val = new Float64Array(0);
  nnz = 0;
  readonly #rowMax: Float64Array;
  readonly #colMax: Float64Array;

  constructor(
    readonly n: number,
    readonly m: number,
    private readonly scratch: boolean,
  ) {
    if (scratch) {
      this.col = kernelScratch.col;
      this.val = kernelScratch.val;
    }
    this.rowPtr = new Int32Array(n + 1);
    this.#rowMax = new Float64Array(n);
    this.#colMax = new Float64Array(m);
  }

  /** K_ij = exp((f_i + g_j − C_ij)/ε) for the entries within e^−θ of their row's or column's largest. */
  build(C: Float64Array, f: Float64Array, g: Float64Array, eps: number, theta: number): void {
    const { n, m } = this;
    const rowMax = this.#rowMax.fill(-Infinity);
    const colMax = this.#colMax.fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const fi = f[i];
      let rm = -Infinity;
      for (let j = 0; j < m; j++) {
        const t = fi + g[j] - C[o + j];
        if (t > rm) rm = t;
        if (t > colMax[j]) colMax[j] = t;
      }
      rowMax[i] = rm;
    }
    const cut = theta * eps;
    const inv = 1 / eps;
    const all = !Number.isFinite(cut);
    // arrays are reused across builds and grown (rarely: the first build is the densest) when a row would not fit
    if (this.col.length < Math.min(n * m, 4 * (n + m))) this.#grow(Math.min(n * m, 4 * (n + m)), 0);
    let col = this.col;
    let val = this.val;
    let p = 0;
    for (let i = 0; i < n; i++) {
      this.rowPtr[i] = p;
      if (p + m > col.length) {
        this.#grow(Math.min(n * m, Math.max(p + m, Math.ceil(((p + m) * n) / (i + 1)))), p);
        col = this.col;
        val = this.val;
      }
      const o = i * m;
      const fi = f[i];
      const rlim = rowMax[i] - cut;
      for (let j = 0; j < m; j++) {
        const t = fi + g[j] - C[o + j];
        if (all || t > rlim || t > colMax[j] - cut) {
          col[p] = j;
          val[p] = Math.exp(t * inv);
          p++;
        }
      }
    }
    this.rowPtr[n] = p;
    this.nnz = p;
  }

  /** Room for `size` entries, keeping the first `keep`. */
  #grow(size: number, keep: number): void {
    const col = new Int32Array(size);
    const val = new Float64Array(size);
    col.set(this.col.subarray(0, keep));
    val.set(this.val.subarray(0, keep));
    this.col = col;
    this.val = val;
    if (this.scratch) {
      kernelScratch.col = col;
      kernelScratch.val = val;
    }
  }
}

/** This thread's scratch kernel arrays (see AnnealedSinkhornOptions.scratch). */
const kernelScratch = { col: new Int32Array(0), val: new Float64Array(0) };

/** Let go of this thread's scratch arrays (they keep the largest kernel seen alive). */
export function releaseSinkhornScratch(): void {
  kernelScratch.col = new Int32Array(0);
  kernelScratch.val = new Float64Array(0);
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
  const theta = opts.truncation ?? 50;
  if (!(theta > 0)) throw new RangeError(`sinkhornAnnealed: truncation must be > 0, got ${theta}`);
  const logA = a.map(Math.log);
  const logB = b.map(Math.log);
  // scalings are folded into the potentials and the kept entries once they leave e^±L (L = 30: far from overflow); the
  // kernel is rebuilt and re-truncated at each stage and every 50 iterations
  const L = 30;
  const truncated = Number.isFinite(theta);
  const hi = Math.exp(L);
  const lo = 1 / hi;

  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const K = new TruncatedKernel(n, m, opts.scratch === true);
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(m).fill(1);
  const colSum = new Float64Array(m);

  let eps: number;
  const schedule: number[] = [];
  let cmax = 0;
  for (let k = 0; k < C.length; k++) if (C[k] > cmax) cmax = C[k];
  let start = Math.max(cmax * (opts.startFraction ?? 1), epsilon);
  if (opts.initG) {
    if (opts.initG.length !== m) throw new RangeError(`sinkhornAnnealed: initG has ${opts.initG.length} values, expected ${m}`);
    // a warm start anneals briefly, from 4·ε (straight at ε, a start that is off converges slowly), with f from g
    // so that the row marginals are exact from the start
    start = Math.min(start, 4 * epsilon);
    g.set(opts.initG);
    softminRows(C, n, m, g, logA, start, f, theta);
  }
  for (let e = start; e > epsilon; e *= ratio) schedule.push(e);
  eps = schedule.length ? schedule[0] : epsilon;
  schedule.push(epsilon);

  let iterations = 0;
  let err = Infinity;
  let converged = false;

  const build = () => {
    K.build(C, f, g, eps, theta);
    u.fill(1);
    v.fill(1);
  };
  const absorb = () => {
    for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
    for (let j = 0; j < m; j++) g[j] += eps * Math.log(v[j]);
  };
  /** Fold the scalings into the potentials and the kept kernel entries (no exponentials, no re-truncation). */
  const rescale = () => {
    absorb();
    const { rowPtr, col, val } = K;
    for (let i = 0; i < n; i++) {
      const ui = u[i];
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) val[p] *= ui * v[col[p]];
    }
    u.fill(1);
    v.fill(1);
  };

  /**
   * One iteration in one pass over the kept entries: for each row, u_i ← a_i / (K v)_i, then that row's share of Kᵀu
   * is added while the row is in cache; then the column error ‖v ⊙ Kᵀu − b‖₁ and v ← b / Kᵀu. Returns 'rescale' when
   * a scaling left e^±L, 'rebuild' when a sum underflowed and was redone in the log domain.
   */
  const iterate = (): 'ok' | 'rescale' | 'rebuild' => {
    colSum.fill(0);
    const { rowPtr, col, val } = K;
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
    err = e;
    if (bad) {
      // a column sum underflowed: fold u in, redo g exactly in the log domain, rebuild
      for (let i = 0; i < n; i++) f[i] += eps * Math.log(u[i]);
      softminCols(C, n, m, f, logB, eps, g);
      return 'rebuild';
    }
    return big ? 'rescale' : 'ok';
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
      const status = iterate();
      if (status === 'rebuild') {
        build();
        continue;
      }
      if (status === 'rescale') rescale();
      if (truncated && it % 50 === 49) {
        // re-truncate now and then, so that the drift of the potentials cannot leave a needed entry out for good
        absorb();
        build();
      }
      if (last && err < tol) {
        converged = true;
        break;
      }
    }
    if (!last) absorb();
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

/**
 * f_i = ε log a_i − ε·LSE_j((g_j − C_ij)/ε), exactly, or (finite θ) leaving out the terms below e^−θ of the row's
 * largest, whose share of the sum is below m·e^−θ.
 */
function softminRows(
  C: Float64Array,
  n: number,
  m: number,
  g: Float64Array,
  logA: Float64Array,
  eps: number,
  f: Float64Array,
  theta = Infinity,
): void {
  const inv = 1 / eps;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const t = (g[j] - C[o + j]) * inv;
      if (t > mx) mx = t;
    }
    const lim = mx - theta;
    let s = 0;
    for (let j = 0; j < m; j++) {
      const t = (g[j] - C[o + j]) * inv;
      if (t > lim) s += Math.exp(t - mx);
    }
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
