import { bceLogitsKernel, bceLogitsModule, type BceLogitsKernel } from './bce-logits-simd';
import { denseGemmKernels, denseGemmModule, padTo, type DenseGemmKernels } from './dense-gemm-simd';
import { KernelHelperThread } from './kernel-helper-thread';
import type { AdamArena } from './adam-simd';
import { layerDims, paramLayout, type VaeMlpArch } from './vae-mlp-net';

/**
 * The VAE-MLP's loss and gradients for one shard, in WebAssembly SIMD in the Adam arena's memory
 * (main/models/adam-simd.ts), without TensorFlow.js: the same function as `vaeLoss` (vae-mlp-net.ts) and the same
 * hand-written gradients as vae-mlp-backward.ts, with every matrix product in main/models/dense-gemm-simd.ts. What
 * tfjs's wasm path spent beyond the products is gone: XNNPACK packed every new weight tensor again on each product
 * (our two packs of W per step cost a fraction of that), the backward forms dY·Wᵀ and Xᵀ·dY needed transposed copies
 * (here they read packed panels), the bias and LeakyReLU (and its derivative) ride in each product's last pass, the
 * bias gradient is summed while dY is packed, and nothing is copied between tfjs tensors and the flat arrays.
 *
 * Activations live in buffers padded to a multiple of 4 rows and 8 columns; padded rows of every dY are zero (the
 * packing writes them so), so they add nothing to any gradient. The latent step and the loss's elementwise terms run
 * in JS (float64, stored as float32). One thread, a fixed order of every sum: the same inputs give the same bits.
 */

interface LayerBuffers {
  inDim: number;
  outDim: number;
  inP: number;
  outP: number;
  /** byte offsets: packed W, packed Wᵀ (−1 for layer 0: no input gradient), padded bias, the layer's input rows */
  wp: number;
  wtp: number;
  bias: number;
  input: number;
  /** element offsets of W and b in the flat parameters */
  wAt: number;
  bAt: number;
}

interface Plan {
  layers: LayerBuffers[];
  head: number;
  headP: number;
  logits: number;
  dA: number;
  dB: number;
  dYp: number;
  dW: number;
  dBias: number;
  /** per half of the rows: the divisor (float32) and the loss sum's two float64 lanes at + 16 */
  consts: [number, number];
  bytes: number;
}

function plan(arch: VaeMlpArch, maxBatch: number): Plan {
  const rowsP = padTo(maxBatch, 4);
  let at = 0;
  const take = (floats: number) => {
    const here = at;
    at += padTo(4 * floats, 16);
    return here;
  };
  const slots = paramLayout(arch);
  const dims = layerDims(arch);
  let maxP = 0;
  let maxW = 0;
  const layers = dims.map(([inDim, outDim], l) => {
    const inP = padTo(inDim, 8);
    const outP = padTo(outDim, 8);
    maxP = Math.max(maxP, inP, outP);
    maxW = Math.max(maxW, inP * outP);
    return {
      inDim,
      outDim,
      inP,
      outP,
      wp: take(inP * outP),
      wtp: l === 0 ? -1 : take(inP * outP),
      bias: take(outP),
      input: take(rowsP * inP),
      wAt: slots[2 * l].offset,
      bAt: slots[2 * l + 1].offset,
    };
  });
  const headP = padTo(2 * arch.latent, 8);
  return {
    layers,
    head: take(rowsP * headP),
    headP,
    logits: take(rowsP * padTo(arch.dim, 8)),
    dA: take(rowsP * maxP),
    dB: take(rowsP * maxP),
    dYp: take(rowsP * maxP),
    dW: take(maxW),
    dBias: take(maxP),
    consts: [take(8), take(8)],
    bytes: at,
  };
}

export class VaeMlpSimdStep {
  private readonly f: Float32Array;
  private readonly lossSums: [Float64Array, Float64Array];
  private helper: KernelHelperThread | null = null;
  private readonly std: Float64Array;
  private readonly base: number;

  private constructor(
    readonly arch: VaeMlpArch,
    readonly maxBatch: number,
    private readonly arena: AdamArena,
    private readonly k: DenseGemmKernels,
    private readonly bce: BceLogitsKernel,
    private readonly p: Plan,
  ) {
    this.f = new Float32Array(arena.memory!.buffer);
    this.base = arena.scratch;
    this.lossSums = [0, 1].map((h) => new Float64Array(arena.memory!.buffer, this.base + p.consts[h] + 16, 2)) as [
      Float64Array,
      Float64Array,
    ];
    this.std = new Float64Array(maxBatch * arch.latent);
  }

  /** Scratch bytes the step needs in its arena (pass to AdamArena). */
  static scratchBytes(arch: VaeMlpArch, maxBatch: number): number {
    return plan(arch, maxBatch).bytes;
  }

  /**
   * The step over `arena` (made with at least scratchBytes of scratch), or null where its kernels are unavailable.
   * With `threads` 2, a helper thread computes half of every product's column panels and half of the loss's rows
   * (the same sums either way: results do not depend on the thread count).
   */
  static open(arch: VaeMlpArch, maxBatch: number, arena: AdamArena, threads = 1): VaeMlpSimdStep | null {
    const p = plan(arch, maxBatch);
    if (!arena.memory || arena.memory.buffer.byteLength < arena.scratch + p.bytes) return null;
    const k = denseGemmKernels(arena.memory);
    const bce = bceLogitsKernel(arena.memory);
    if (!k || !bce) return null;
    const step = new VaeMlpSimdStep(arch, maxBatch, arena, k, bce, p);
    if (threads > 1)
      step.helper = new KernelHelperThread([denseGemmModule()!, bceLogitsModule()!], arena.memory, [
        'gemm',
        'gemmT',
        'pack',
        'packT',
        'bce',
      ]);
    return step;
  }

  /** Threads the kernels run on now (2 once the helper thread is up). */
  get threads(): 1 | 2 {
    return this.helper?.ready ? 2 : 1;
  }

  /** Stop the helper thread, if any. */
  close(): void {
    this.helper?.close();
    this.helper = null;
  }

  /** name(...args(lo, hi)) over parts [0, total): half on the helper when it is up, else all here. */
  private split<Name extends keyof DenseGemmKernels>(
    name: Name,
    total: number,
    args: (lo: number, hi: number) => Parameters<DenseGemmKernels[Name]>,
  ): void {
    const fn = this.k[name] as (...a: number[]) => void;
    const h = this.helper;
    if (!h?.ready || total < 2) {
      fn(...args(0, total));
      return;
    }
    const mid = Math.ceil(total / 2);
    h.post(name, args(mid, total));
    fn(...args(0, mid));
    if (!h.join()) {
      this.helper = null;
      fn(...args(mid, total));
    }
  }

  /** gemm or gemmT split by column panels. */
  private product(name: 'gemm' | 'gemmT', ...args: Parameters<DenseGemmKernels['gemm']>): void {
    const [A, lda, Bp, C, ldc, M, N, K, bias, leaky, mask] = args;
    this.split(name, N / 8, (lo, hi) => [
      A,
      lda,
      Bp + lo * K * 32,
      C + lo * 32,
      ldc,
      M,
      8 * (hi - lo),
      K,
      bias ? bias + lo * 32 : 0,
      leaky,
      mask ? mask + lo * 32 : 0,
    ]);
  }

  /** pack split by column panels. */
  private pack(...args: Parameters<DenseGemmKernels['pack']>): void {
    const [src, ld, rows, cols, dst, rowsPad, colsPad, sums] = args;
    this.split('pack', colsPad / 8, (lo, hi) => [
      src + lo * 32,
      ld,
      rows,
      Math.max(0, cols - 8 * lo),
      dst + lo * rowsPad * 32,
      rowsPad,
      8 * (hi - lo),
      sums ? sums + lo * 32 : 0,
    ]);
  }

  /** packT split by panels of its output (rows of src). */
  private packT(...args: Parameters<DenseGemmKernels['packT']>): void {
    const [src, ld, rows, cols, dst, kPad, nPad] = args;
    this.split('packT', nPad / 8, (lo, hi) => [
      src + lo * 8 * ld,
      ld,
      Math.max(0, rows - 8 * lo),
      cols,
      dst + lo * kPad * 32,
      kPad,
      8 * (hi - lo),
    ]);
  }

  /**
   * Rows `rows` of `data` ([n, dim]) with noise `eps` ([rows.length, latent]), loss divided by `divisor`, with the
   * arena's parameters: writes ∂loss/∂params into the arena's first gradient shard and returns the loss.
   */
  lossAndGrads(data: Float32Array, rows: ArrayLike<number>, eps: Float32Array, divisor: number): number {
    const { arch, f } = this;
    const b = rows.length;
    if (b < 1 || b > this.maxBatch) throw new RangeError(`vae-mlp simd step: batch of ${b} (max ${this.maxBatch})`);
    const bp = padTo(b, 4);
    const at = (offset: number) => this.base + offset;
    const params = this.arena.params.byteOffset;
    const grad = this.arena.grads[0];
    const { layers } = this.p;
    const L = arch.hidden.length;
    const latent = arch.latent;
    const dim = arch.dim;

    // the input rows (padded columns stay zero; padded rows zeroed)
    const x0 = at(layers[0].input) / 4;
    const dimP = layers[0].inP;
    for (let i = 0; i < b; i++) f.set(data.subarray(rows[i] * dim, (rows[i] + 1) * dim), x0 + i * dimP);
    f.fill(0, x0 + b * dimP, x0 + bp * dimP);

    // the weights packed for this step's products
    for (let l = 0; l < layers.length; l++) {
      const q = layers[l];
      const w = params + 4 * q.wAt;
      this.pack(w, 4 * q.outDim, q.inDim, q.outDim, at(q.wp), q.inP, q.outP, 0);
      if (q.wtp >= 0) this.packT(w, 4 * q.outDim, q.inDim, q.outDim, at(q.wtp), q.outP, q.inP);
      f.set(this.arena.params.subarray(q.bAt, q.bAt + q.outDim), at(q.bias) / 4);
    }

    // forward
    const forward = (l: number, out: number, outStride: number, leaky: boolean) => {
      const q = layers[l];
      this.product('gemm', at(q.input), 4 * q.inP, at(q.wp), out, 4 * outStride, bp, q.outP, q.inP, at(q.bias), leaky ? 1 : 0, 0);
    };
    for (let l = 0; l < L; l++) forward(l, at(layers[l + 1].input), layers[l + 1].inP, true);
    const headP = this.p.headP;
    forward(L, at(this.p.head), headP, false);
    const head = at(this.p.head) / 4;
    const zL = layers[L + 1];
    const z = at(zL.input) / 4;
    let klSum = 0;
    for (let i = 0; i < b; i++) {
      for (let c = 0; c < latent; c++) {
        const mu = f[head + i * headP + c];
        const lv = f[head + i * headP + latent + c];
        const std = Math.fround(Math.exp(Math.fround(lv * 0.5)));
        this.std[i * latent + c] = std;
        f[z + i * zL.inP + c] = mu + std * eps[i * latent + c];
        klSum += 1 + lv - mu * mu - Math.exp(lv);
      }
    }
    f.fill(0, z + b * zL.inP, z + bp * zL.inP);
    for (let l = L + 1; l < layers.length - 1; l++) forward(l, at(layers[l + 1].input), layers[l + 1].inP, true);
    forward(layers.length - 1, at(this.p.logits), dimP, false);

    // the reconstruction term and its gradient (σ(l) − x) / divisor, in one pass (bce-logits-simd.ts); the last
    // dim % 4 columns in JS, padded columns zero
    const logits = at(this.p.logits) / 4;
    let d = this.p.dA;
    let other = this.p.dB;
    const dL = at(d) / 4;
    const dim4 = dim & ~3;
    // two halves of the rows, each with its own sum (on two threads or one: the same sums)
    const half = Math.ceil(b / 2);
    const ldB = 4 * dimP;
    const bceRows = (h: 0 | 1) => {
      const lo = h === 0 ? 0 : half;
      const c = at(this.p.consts[h]);
      f[c / 4] = divisor;
      this.lossSums[h].fill(0);
      return [at(this.p.logits) + lo * ldB, at(layers[0].input) + lo * ldB, at(d) + lo * ldB, (h === 0 ? half : b) - lo, dim4, ldB, c];
    };
    const upper = bceRows(1) as Parameters<BceLogitsKernel>;
    const lower = bceRows(0) as Parameters<BceLogitsKernel>;
    const h = this.helper?.ready ? this.helper : null;
    h?.post('bce', upper);
    this.bce(...lower);
    if (!h?.join()) {
      if (h) this.helper = null;
      this.lossSums[1].fill(0);
      this.bce(...upper);
    }
    let bce = this.lossSums[0][0] + this.lossSums[0][1] + (this.lossSums[1][0] + this.lossSums[1][1]);
    for (let i = 0; i < b; i++) {
      const r = i * dimP;
      for (let c = dim4; c < dim; c++) {
        const l = f[logits + r + c];
        const xv = f[x0 + r + c];
        const e = Math.exp(-Math.abs(l));
        bce += (l > 0 ? l : 0) + Math.log1p(e) - xv * l;
        f[dL + r + c] = ((l >= 0 ? 1 : e) / (1 + e) - xv) / divisor;
      }
      for (let c = dim; c < dimP; c++) f[dL + r + c] = 0;
    }
    const loss = (bce - 0.5 * klSum) / divisor;

    // backward, last layer first
    const weightGrads = (l: number, dy: number) => {
      const q = layers[l];
      this.pack(at(dy), 4 * q.outP, b, q.outDim, at(this.p.dYp), bp, q.outP, at(this.p.dBias));
      const direct = q.inDim % 4 === 0 && q.outDim % 8 === 0;
      if (direct) {
        this.product(
          'gemmT',
          at(q.input),
          4 * q.inP,
          at(this.p.dYp),
          grad.byteOffset + 4 * q.wAt,
          4 * q.outDim,
          q.inDim,
          q.outP,
          bp,
          0,
          0,
          0,
        );
      } else {
        this.product('gemmT', at(q.input), 4 * q.inP, at(this.p.dYp), at(this.p.dW), 4 * q.outP, q.inP, q.outP, bp, 0, 0, 0);
        const dw = at(this.p.dW) / 4;
        for (let i = 0; i < q.inDim; i++) grad.set(f.subarray(dw + i * q.outP, dw + i * q.outP + q.outDim), q.wAt + i * q.outDim);
      }
      const db = at(this.p.dBias) / 4;
      grad.set(f.subarray(db, db + q.outDim), q.bAt);
    };
    /** dY·Wᵀ into `other`, times LeakyReLU's derivative at the layer's input when the layer below has one. */
    const inputGrad = (l: number, dy: number, leakyBelow: boolean) => {
      const q = layers[l];
      const mask = leakyBelow ? at(q.input) : 0;
      this.product('gemm', at(dy), 4 * q.outP, at(q.wtp), at(other), 4 * q.inP, bp, q.inP, q.outP, 0, 0, mask);
      [d, other] = [other, d];
    };
    for (let l = layers.length - 1; l > L + 1; l--) {
      weightGrads(l, d);
      inputGrad(l, d, true);
    }
    weightGrads(L + 1, d);
    inputGrad(L + 1, d, false);
    // the latent: dz in d; the head's gradient [dμ, dlogσ²] (with the KL's closed form) into other
    const dz = at(d) / 4;
    const dh = at(other) / 4;
    for (let i = 0; i < b; i++) {
      for (let c = 0; c < latent; c++) {
        const g = f[dz + i * zL.inP + c];
        const mu = f[head + i * headP + c];
        const lv = f[head + i * headP + latent + c];
        const e = eps[i * latent + c];
        f[dh + i * headP + c] = g + mu / divisor;
        f[dh + i * headP + latent + c] = g * e * (this.std[i * latent + c] * 0.5) + (Math.exp(lv) - 1) / (2 * divisor);
      }
      for (let c = 2 * latent; c < headP; c++) f[dh + i * headP + c] = 0;
    }
    [d, other] = [other, d];
    for (let l = L; l >= 0; l--) {
      weightGrads(l, d);
      if (l > 0) inputGrad(l, d, true);
    }
    return loss;
  }
}
