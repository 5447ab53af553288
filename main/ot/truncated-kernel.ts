/**
 * The truncated Gibbs kernel of the annealed Sinkhorn (sinkhorn-annealed.ts): K_ij = exp((f_i + g_j − C_ij)/ε), keeping
 * only the entries within e^−θ of their row's or column's largest (Schmitzer's truncation), stored by rows (CSR).
 */
/** The kept kernel entries, by rows (CSR). */
export class TruncatedKernel {
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
