import { weightsOrUniform } from './emd';
import { MAX_ARENA_BYTES, simdKernels } from './wasm-simd';

export interface SinkhornOptions {
  /** Iteration limit (POT's numItermax; default 1000). */
  maxIter?: number;
  /** Stop when ‖Pᵀ1 − b‖₂ < tol, checked every 10th iteration as POT does (POT's stopThr; default 1e-9). */
  tol?: number;
  /** Return the dense plan P ([n, m], row-major). Default false. */
  plan?: boolean;
}

export interface SinkhornResult {
  /** ⟨P, M⟩, the transport cost of the entropic plan without the entropy term (POT's `sinkhorn2`). */
  cost: number;
  /** Dual potentials f = reg·log u and g = reg·log v (POT's log_u, log_v times reg). −∞ where a weight is 0. */
  f: Float64Array;
  g: Float64Array;
  /** Iterations performed (POT's log['niter'] + 1). */
  iterations: number;
  /** ‖Pᵀ1 − b‖₂ at the last check. */
  marginalError: number;
  converged: boolean;
  plan?: Float64Array;
}

/** Beyond this |log| a scaling is folded into the kernel (e^200 keeps every product far from overflow). */
const ABSORB_LOG = 200;
/** Total upward drift (in log units) folded by multiplication before the kernel is recomputed from exp. */
const REBUILD_DRIFT = 300;

/**
 * Entropic optimal transport, the iterations of POT's `ot.bregman.sinkhorn_log` with `reg` in the units of the
 * cost: log v ← log b − LSE_i(−M/reg + log u), log u ← log a − LSE_j(−M/reg + log v), starting from log u = log v = 0,
 * error ‖Pᵀ1 − b‖ checked when iteration % 10 = 0.
 *
 * Computed as stabilised scaling iterations (Schmitzer 2019; POT's `sinkhorn_stabilized`), which produce the same
 * iterates as the log domain: the potentials are split into absorbed parts F, G and scalings su, sv, with the kernel
 * K = exp(−M/reg + F ⊕ G) kept in memory, so that an iteration is two matrix–vector products (fused into one pass
 * over K) instead of 2·n·m exponentials. Scalings that grow past e^±200 are folded into K; a row or column whose sum
 * underflows is redone exactly in the log domain. Hand-written: no npm package does entropic OT.
 */
export function sinkhornLog(
  a: Float64Array | null,
  b: Float64Array | null,
  M: Float64Array,
  n: number,
  m: number,
  reg: number,
  opts: SinkhornOptions = {},
): SinkhornResult {
  if (!(n > 0 && m > 0)) throw new RangeError(`sinkhorn: needs at least one point on each side (got ${n} × ${m})`);
  if (M.length !== n * m) throw new RangeError(`sinkhorn: cost matrix holds ${M.length} values, expected ${n} × ${m}`);
  if (!(reg > 0) || !Number.isFinite(reg)) throw new RangeError(`sinkhorn: reg must be a positive number, got ${reg}`);
  const maxIter = opts.maxIter ?? 1000;
  const tol = opts.tol ?? 1e-9;
  if (!Number.isInteger(maxIter) || maxIter < 1) throw new RangeError(`sinkhorn: maxIter must be an integer ≥ 1, got ${maxIter}`);
  if (!(tol >= 0)) throw new RangeError(`sinkhorn: tol must be ≥ 0, got ${tol}`);
  const wa = weightsOrUniform(a, n, 'sinkhorn a');
  const wb = weightsOrUniform(b, m, 'sinkhorn b');
  for (let k = 0; k < M.length; k++) {
    if (!Number.isFinite(M[k])) throw new RangeError(`sinkhorn: cost matrix entry ${k} is ${M[k]}`);
  }
  const invReg = 1 / reg;

  const F = new Float64Array(n); // absorbed log-potentials (units of reg)
  const G = new Float64Array(m);
  // K, the scalings and Kᵀ·su live in the SIMD arena when there is one (memory that stays mapped between calls:
  // first-touching a fresh n·m array costs ~3 ms per MB on this kind of VM), else in fresh arrays.
  const simd = simdKernels();
  const ks = simd ? Math.ceil(m / 8) * 8 : m; // row stride of K (the SIMD pass reads 8 doubles at a time)
  const kBytes = n * ks * 8;
  const arenaBytes = kBytes + (3 * ks + 2 * n) * 8;
  const useSimd = simd !== null && arenaBytes <= MAX_ARENA_BYTES;
  let K: Float64Array;
  let sv: Float64Array;
  let t: Float64Array; // Kᵀ su
  let t2: Float64Array = new Float64Array(0); // the second half's share of Kᵀ su (SIMD path)
  let aArr: Float64Array;
  let su: Float64Array;
  // arena layout: K | sv | t | t2 | a | su
  const svOff = kBytes;
  const tOff = svOff + ks * 8;
  const t2Off = tOff + ks * 8;
  const aOff = t2Off + ks * 8;
  const suOff = aOff + n * 8;
  if (useSimd) {
    simd.reserve(arenaBytes);
    K = simd.view(0, n * ks);
    sv = simd.view(svOff, ks);
    t = simd.view(tOff, ks);
    t2 = simd.view(t2Off, ks);
    aArr = simd.view(aOff, n);
    su = simd.view(suOff, n);
    sv.fill(0);
    t.fill(0);
    aArr.set(wa);
    if (ks !== m) for (let i = 0; i < n; i++) K.fill(0, i * ks + m, i * ks + ks);
  } else {
    K = new Float64Array(n * m);
    sv = new Float64Array(m);
    t = new Float64Array(m);
    aArr = wa;
    su = new Float64Array(n);
  }
  su.fill(1);
  sv.fill(1, 0, m);
  const logA = wa.map(Math.log);
  const logB = wb.map(Math.log);
  let drift = 0;

  /** K = exp(−M/reg + F ⊕ G) from scratch. */
  const rebuild = () => {
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const ok = i * ks;
      const fi = F[i];
      for (let j = 0; j < m; j++) K[ok + j] = Math.exp(fi + G[j] - M[o + j] * invReg);
    }
    drift = 0;
  };

  /** Fold the scalings into F, G (and K by multiplication, or a rebuild after much drift). */
  const absorb = () => {
    let up = 0;
    let maxU = -Infinity;
    let maxV = -Infinity;
    for (let i = 0; i < n; i++) if (su[i] > 0) maxU = Math.max(maxU, Math.log(su[i]));
    for (let j = 0; j < m; j++) if (sv[j] > 0) maxV = Math.max(maxV, Math.log(sv[j]));
    up = Math.max(0, maxU) + Math.max(0, maxV);
    for (let i = 0; i < n; i++) F[i] += Math.log(su[i]);
    for (let j = 0; j < m; j++) G[j] += Math.log(sv[j]);
    if (drift + up > REBUILD_DRIFT) {
      su.fill(1);
      sv.fill(1, 0, m);
      rebuild();
      return;
    }
    drift += up;
    for (let i = 0; i < n; i++) {
      const o = i * ks;
      const ui = su[i];
      for (let j = 0; j < m; j++) K[o + j] *= ui * sv[j];
    }
    su.fill(1);
    sv.fill(1, 0, m);
  };

  /** Exact log-domain v-update from the current effective log u (F + log su); then K is rebuilt. */
  const exactColumnStep = () => {
    for (let i = 0; i < n; i++) {
      F[i] += Math.log(su[i]);
      su[i] = 1;
    }
    const colMax = new Float64Array(m).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const fi = F[i];
      for (let j = 0; j < m; j++) {
        const z = fi - M[o + j] * invReg;
        if (z > colMax[j]) colMax[j] = z;
      }
    }
    const acc = new Float64Array(m);
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const ok = i * ks;
      const fi = F[i];
      for (let j = 0; j < m; j++) {
        const e = Math.exp(fi - M[o + j] * invReg - colMax[j]);
        K[ok + j] = e;
        acc[j] += e;
      }
    }
    // G = log b − LSE; K_ij = exp(z_ij − colMax_j) · b_j / acc_j = exp(z_ij + G_j)
    const scale = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      G[j] = colMax[j] === -Infinity ? -Infinity : logB[j] - colMax[j] - Math.log(acc[j]);
      scale[j] = colMax[j] === -Infinity ? 0 : wb[j] / acc[j];
      sv[j] = 1;
    }
    for (let i = 0; i < n; i++) {
      const o = i * ks;
      for (let j = 0; j < m; j++) K[o + j] *= scale[j];
    }
    drift = 0;
  };

  /** Exact log-domain update of row i's potential given the current effective log v; row i of K recomputed. */
  const exactRow = (i: number) => {
    const o = i * m;
    let mx = -Infinity;
    for (let j = 0; j < m; j++) {
      const z = G[j] + Math.log(sv[j]) - M[o + j] * invReg;
      if (z > mx) mx = z;
    }
    let s = 0;
    for (let j = 0; j < m; j++) s += Math.exp(G[j] + Math.log(sv[j]) - M[o + j] * invReg - mx);
    F[i] = mx === -Infinity ? -Infinity : logA[i] - mx - Math.log(s);
    su[i] = 1;
    const fi = F[i];
    const ok = i * ks;
    for (let j = 0; j < m; j++) K[ok + j] = Math.exp(fi + G[j] - M[o + j] * invReg);
  };

  // Iteration 0's v-update is done exactly in the log domain; it also builds K.
  exactColumnStep();
  let iterations = 0;
  let err = Infinity;
  let converged = false;
  for (let it = 0; it < maxIter; it++) {
    if (it > 0) {
      // v-update from t = Kᵀ su (computed at the end of the previous iteration)
      let bad = false;
      for (let j = 0; j < m; j++) {
        const tj = t[j];
        if (!(tj > 0) || tj === Infinity) {
          if (wb[j] > 0) bad = true;
          sv[j] = 0;
        } else {
          sv[j] = wb[j] / tj;
        }
      }
      if (bad) exactColumnStep();
    }
    // u-update fused with the next Kᵀ su: row i of K is read twice while it is in cache
    t.fill(0);
    if (useSimd) {
      // two fixed halves (the second on the helper thread when it is up), then t = t1 + t2: same sums either way
      t2.fill(0);
      simd.sinkhornHalves(0, svOff, tOff, t2Off, aOff, suOff, n, ks);
      for (let j = 0; j < m; j++) t[j] += t2[j];
      for (let i = 0; i < n; i++) {
        if (su[i] !== -1) continue;
        if (wa[i] > 0) {
          exactRow(i); // sets su[i] = 1 and recomputes row i of K
          const o = i * ks;
          for (let k = 0; k < m; k++) t[k] += K[o + k];
        } else {
          su[i] = 0;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const o = i * ks;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let j = 0;
        for (; j + 4 <= m; j += 4) {
          s0 += K[o + j] * sv[j];
          s1 += K[o + j + 1] * sv[j + 1];
          s2 += K[o + j + 2] * sv[j + 2];
          s3 += K[o + j + 3] * sv[j + 3];
        }
        for (; j < m; j++) s0 += K[o + j] * sv[j];
        const s = s0 + s1 + s2 + s3;
        let ui: number;
        if (s > 0 && s < Infinity) {
          ui = aArr[i] / s;
        } else if (wa[i] > 0) {
          exactRow(i);
          ui = 1;
        } else {
          ui = 0;
        }
        su[i] = ui;
        if (ui !== 0) for (let k = 0; k < m; k++) t[k] += K[o + k] * ui;
      }
    }
    iterations = it + 1;
    if (it % 10 === 0) {
      // column marginal of P = diag(su) K diag(sv): sv ⊙ (Kᵀ su)
      let e2 = 0;
      for (let j = 0; j < m; j++) {
        const r = sv[j] * t[j] - wb[j];
        e2 += r * r;
      }
      err = Math.sqrt(e2);
      if (err < tol) {
        converged = true;
        break;
      }
    }
    // fold scalings that drifted far (t stays valid: sv ⊙ Kᵀsu is unchanged by absorption... recomputed below)
    let far = false;
    for (let i = 0; i < n && !far; i++) if (su[i] > 0 && Math.abs(Math.log(su[i])) > ABSORB_LOG) far = true;
    for (let j = 0; j < m && !far; j++) if (sv[j] > 0 && Math.abs(Math.log(sv[j])) > ABSORB_LOG) far = true;
    if (far) {
      absorb();
      t.fill(0);
      for (let i = 0; i < n; i++) {
        const o = i * ks;
        for (let k = 0; k < m; k++) t[k] += K[o + k];
      }
    }
  }

  const f = new Float64Array(n);
  const g = new Float64Array(m);
  for (let i = 0; i < n; i++) f[i] = reg * (F[i] + Math.log(su[i]));
  for (let j = 0; j < m; j++) g[j] = reg * (G[j] + Math.log(sv[j]));
  let cost = 0;
  const P = opts.plan ? new Float64Array(n * m) : undefined;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    const ok = i * ks;
    const ui = su[i];
    let c = 0;
    for (let j = 0; j < m; j++) {
      const p = ui * K[ok + j] * sv[j];
      c += p * M[o + j];
      if (P) P[o + j] = p;
    }
    cost += c;
  }
  const res: SinkhornResult = { cost, f, g, iterations, marginalError: err, converged };
  if (P) res.plan = P;
  return res;
}
