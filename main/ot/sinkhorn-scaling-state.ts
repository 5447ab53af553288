import { MAX_ARENA_BYTES, simdKernels, type SimdKernels } from './wasm-simd';

/** Beyond this |log| a scaling is folded into the kernel (e^200 keeps every product far from overflow). */
const ABSORB_LOG = 200;
/** Total upward drift (in log units) folded by multiplication before the kernel is recomputed from exp. */
const REBUILD_DRIFT = 300;

/**
 * The state of stabilised scaling Sinkhorn iterations (Schmitzer 2019; POT's `sinkhorn_stabilized`): the
 * log-potentials are split into absorbed parts F, G and scalings su, sv, with the kernel K = exp(−M/reg + F ⊕ G) kept
 * in memory, so that an iteration is two matrix–vector products (fused into one pass over K) instead of 2·n·m
 * exponentials. Scalings that grow past e^±200 are folded into K; a row or column whose sum underflows is redone
 * exactly in the log domain. The iterates equal the log-domain ones (sinkhorn-log.ts drives them).
 */
export class SinkhornScalingState {
  private readonly F: Float64Array; // absorbed log-potentials (units of reg)
  private readonly G: Float64Array;
  private readonly K: Float64Array;
  private readonly sv: Float64Array;
  /** Kᵀ su, computed at the end of each u-update. */
  private readonly t: Float64Array;
  /** The second half's share of Kᵀ su (SIMD path). */
  private readonly t2: Float64Array;
  private readonly aArr: Float64Array;
  private readonly su: Float64Array;
  private readonly logA: Float64Array;
  private readonly logB: Float64Array;
  private readonly invReg: number;
  /** Row stride of K (the SIMD pass reads 8 doubles at a time). */
  private readonly ks: number;
  private readonly simd: SimdKernels | null;
  private readonly offsets = { sv: 0, t: 0, t2: 0, a: 0, su: 0 };
  private drift = 0;

  constructor(
    private readonly wa: Float64Array,
    private readonly wb: Float64Array,
    private readonly M: Float64Array,
    private readonly n: number,
    private readonly m: number,
    private readonly reg: number,
  ) {
    this.invReg = 1 / reg;
    this.F = new Float64Array(n);
    this.G = new Float64Array(m);
    // K, the scalings and Kᵀ·su live in the SIMD arena when there is one (memory that stays mapped between calls:
    // first-touching a fresh n·m array costs ~3 ms per MB on this kind of VM), else in fresh arrays.
    const simd = simdKernels();
    const ks = simd ? Math.ceil(m / 8) * 8 : m;
    const kBytes = n * ks * 8;
    const arenaBytes = kBytes + (3 * ks + 2 * n) * 8;
    const useSimd = simd !== null && arenaBytes <= MAX_ARENA_BYTES;
    this.ks = ks;
    this.simd = useSimd ? simd : null;
    // arena layout: K | sv | t | t2 | a | su
    const o = this.offsets;
    o.sv = kBytes;
    o.t = o.sv + ks * 8;
    o.t2 = o.t + ks * 8;
    o.a = o.t2 + ks * 8;
    o.su = o.a + n * 8;
    if (useSimd) {
      simd.reserve(arenaBytes);
      this.K = simd.view(0, n * ks);
      this.sv = simd.view(o.sv, ks);
      this.t = simd.view(o.t, ks);
      this.t2 = simd.view(o.t2, ks);
      this.aArr = simd.view(o.a, n);
      this.su = simd.view(o.su, n);
      this.sv.fill(0);
      this.t.fill(0);
      this.aArr.set(wa);
      if (ks !== m) for (let i = 0; i < n; i++) this.K.fill(0, i * ks + m, i * ks + ks);
    } else {
      this.K = new Float64Array(n * m);
      this.sv = new Float64Array(m);
      this.t = new Float64Array(m);
      this.t2 = new Float64Array(0);
      this.aArr = wa;
      this.su = new Float64Array(n);
    }
    this.su.fill(1);
    this.sv.fill(1, 0, m);
    this.logA = wa.map(Math.log);
    this.logB = wb.map(Math.log);
  }

  /** Exact log-domain v-update from the current effective log u (F + log su); K is rebuilt. */
  exactColumnStep(): void {
    const { n, m, ks, F, G, K, M, su, sv, invReg, logB, wb } = this;
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
    this.drift = 0;
  }

  /** v ← b / Kᵀu from the column sums of the last u-update; a column whose sum underflowed is redone exactly. */
  updateV(): void {
    const { m, t, sv, wb } = this;
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
    if (bad) this.exactColumnStep();
  }

  /** u ← a / K v, fused with the next t = Kᵀ u: row i of K is read twice while it is in cache. */
  updateUAndColumnSums(): void {
    const { n, m, ks, K, su, sv, t, t2, wa, aArr, simd, offsets } = this;
    t.fill(0);
    if (simd) {
      // two fixed halves (the second on the helper thread when it is up), then t = t1 + t2: same sums either way
      t2.fill(0);
      simd.sinkhornHalves(0, offsets.sv, offsets.t, offsets.t2, offsets.a, offsets.su, n, ks);
      for (let j = 0; j < m; j++) t[j] += t2[j];
      for (let i = 0; i < n; i++) {
        if (su[i] !== -1) continue;
        if (wa[i] > 0) {
          this.exactRow(i); // sets su[i] = 1 and recomputes row i of K
          const o = i * ks;
          for (let k = 0; k < m; k++) t[k] += K[o + k];
        } else {
          su[i] = 0;
        }
      }
      return;
    }
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
        this.exactRow(i);
        ui = 1;
      } else {
        ui = 0;
      }
      su[i] = ui;
      if (ui !== 0) for (let k = 0; k < m; k++) t[k] += K[o + k] * ui;
    }
  }

  /** ‖Pᵀ1 − b‖₂: the column marginal of P = diag(su) K diag(sv) is sv ⊙ (Kᵀ su). */
  marginalError(): number {
    const { m, sv, t, wb } = this;
    let e2 = 0;
    for (let j = 0; j < m; j++) {
      const r = sv[j] * t[j] - wb[j];
      e2 += r * r;
    }
    return Math.sqrt(e2);
  }

  /** Fold the scalings into the kernel when one drifted past e^±200, and recompute the column sums. */
  absorbIfFar(): void {
    const { n, m, ks, K, su, sv, t } = this;
    let far = false;
    for (let i = 0; i < n && !far; i++) if (su[i] > 0 && Math.abs(Math.log(su[i])) > ABSORB_LOG) far = true;
    for (let j = 0; j < m && !far; j++) if (sv[j] > 0 && Math.abs(Math.log(sv[j])) > ABSORB_LOG) far = true;
    if (!far) return;
    this.absorb();
    t.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * ks;
      for (let k = 0; k < m; k++) t[k] += K[o + k];
    }
  }

  /** The potentials f = reg·log u, g = reg·log v, the cost ⟨P, M⟩, and the plan when asked. */
  result(withPlan: boolean): { cost: number; f: Float64Array; g: Float64Array; plan?: Float64Array } {
    const { n, m, ks, F, G, K, M, su, sv, reg } = this;
    const f = new Float64Array(n);
    const g = new Float64Array(m);
    for (let i = 0; i < n; i++) f[i] = reg * (F[i] + Math.log(su[i]));
    for (let j = 0; j < m; j++) g[j] = reg * (G[j] + Math.log(sv[j]));
    let cost = 0;
    const P = withPlan ? new Float64Array(n * m) : undefined;
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
    return P ? { cost, f, g, plan: P } : { cost, f, g };
  }

  /** K = exp(−M/reg + F ⊕ G) from scratch. */
  private rebuild(): void {
    const { n, m, ks, F, G, K, M, invReg } = this;
    for (let i = 0; i < n; i++) {
      const o = i * m;
      const ok = i * ks;
      const fi = F[i];
      for (let j = 0; j < m; j++) K[ok + j] = Math.exp(fi + G[j] - M[o + j] * invReg);
    }
    this.drift = 0;
  }

  /** Fold the scalings into F, G (and K by multiplication, or a rebuild after much drift). */
  private absorb(): void {
    const { n, m, ks, F, G, K, su, sv } = this;
    let maxU = -Infinity;
    let maxV = -Infinity;
    for (let i = 0; i < n; i++) if (su[i] > 0) maxU = Math.max(maxU, Math.log(su[i]));
    for (let j = 0; j < m; j++) if (sv[j] > 0) maxV = Math.max(maxV, Math.log(sv[j]));
    const up = Math.max(0, maxU) + Math.max(0, maxV);
    for (let i = 0; i < n; i++) F[i] += Math.log(su[i]);
    for (let j = 0; j < m; j++) G[j] += Math.log(sv[j]);
    if (this.drift + up > REBUILD_DRIFT) {
      su.fill(1);
      sv.fill(1, 0, m);
      this.rebuild();
      return;
    }
    this.drift += up;
    for (let i = 0; i < n; i++) {
      const o = i * ks;
      const ui = su[i];
      for (let j = 0; j < m; j++) K[o + j] *= ui * sv[j];
    }
    su.fill(1);
    sv.fill(1, 0, m);
  }

  /** Exact log-domain update of row i's potential given the current effective log v; row i of K recomputed. */
  private exactRow(i: number): void {
    const { m, ks, F, G, K, M, su, sv, invReg, logA } = this;
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
  }
}
