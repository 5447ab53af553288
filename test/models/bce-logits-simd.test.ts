import { describe, expect, it } from 'vitest';
import { bceLogitsKernel } from '../../main/models/bce-logits-simd';
import { Rng } from '../../main/util/random';

/** main/models/bce-logits-simd.ts: the reconstruction term's loss and gradient in one SIMD pass, against float64. */

describe('BCE from logits in WebAssembly SIMD', () => {
  it('gives softplus(l) − x·l summed and (σ(l) − x) / divisor within float32 rounding, from −100 to 100', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    const bce = bceLogitsKernel(memory);
    expect(bce).not.toBeNull();
    const [rows, cols, ld] = [7, 24, 28]; // a padded row stride: the 4 columns past `cols` are left alone
    const [L, X, D, consts] = [64, 64 + 4 * rows * ld, 64 + 8 * rows * ld, 32];
    const f = new Float32Array(memory.buffer);
    const rng = new Rng(3);
    const logits: number[] = [-100, -87.5, -60, -20, -1e-3, 0, 1e-3, 20, 60, 100];
    while (logits.length < rows * cols) logits.push(16 * (rng.uniform() - 0.5));
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < ld; j++) {
        f[L / 4 + i * ld + j] = j < cols ? logits[i * cols + j] : 0;
        f[X / 4 + i * ld + j] = j < cols ? rng.uniform() : 0;
        f[D / 4 + i * ld + j] = -7;
      }
    const divisor = 13;
    f[consts / 4] = divisor;
    const sum = new Float64Array(memory.buffer, consts + 16, 2);
    sum.fill(0);
    bce!(L, X, D, rows, cols, 4 * ld, consts);
    let want = 0;
    let worstGrad = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < ld; j++) {
        const d = f[D / 4 + i * ld + j];
        if (j >= cols) {
          expect(d).toBe(-7);
          continue;
        }
        const l = f[L / 4 + i * ld + j];
        const x = f[X / 4 + i * ld + j];
        want += Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l))) - x * l;
        const sigma = 1 / (1 + Math.exp(-l));
        worstGrad = Math.max(worstGrad, Math.abs(d - (sigma - x) / divisor));
      }
    expect(worstGrad).toBeLessThan(2e-7 / divisor);
    expect(Math.abs(sum[0] + sum[1] - want)).toBeLessThan(1e-6 * Math.abs(want));
  });
});
