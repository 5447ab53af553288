import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { AdamArena } from '../../main/models/adam-simd';
import { VaeMlpShard, initParams, paramCount, type VaeMlpArch } from '../../main/models/vae-mlp-net';
import { VaeMlpSimdStep } from '../../main/models/vae-mlp-simd';
import { Rng } from '../../main/util/random';

/** main/models/vae-mlp-simd.ts: the VAE-MLP's loss and gradients in WebAssembly SIMD, without TensorFlow.js. */

const ref = JSON.parse(readFileSync(new URL('../fixtures/models/vae_mlp_reference.json', import.meta.url), 'utf8')) as {
  arch: VaeMlpArch;
  params: number[];
  x: number[];
  eps: number[];
  loss: number;
  grad: number[];
};

function open(arch: VaeMlpArch, maxBatch: number, params: ArrayLike<number>): { step: VaeMlpSimdStep; arena: AdamArena } {
  const arena = new AdamArena(paramCount(arch), 2, VaeMlpSimdStep.scratchBytes(arch, maxBatch));
  arena.params.set(params);
  const step = VaeMlpSimdStep.open(arch, maxBatch, arena);
  expect(step).not.toBeNull();
  return { step: step!, arena };
}

describe('VAE-MLP step in WebAssembly SIMD', () => {
  it('matches PyTorch float64 (loss and gradient), also as two shards', () => {
    const { step, arena } = open(ref.arch, 3, ref.params);
    const x = Float32Array.from(ref.x);
    const loss = step.lossAndGrads(x, [0, 1, 2], Float32Array.from(ref.eps), 3);
    expect(loss).toBeCloseTo(ref.loss, 5);
    for (let i = 0; i < ref.grad.length; i++) expect(Math.abs(arena.grads[0][i] - ref.grad[i])).toBeLessThan(1e-6);
    const l0 = step.lossAndGrads(x, [0], Float32Array.from(ref.eps.slice(0, 2)), 3);
    const g0 = Float32Array.from(arena.grads[0]);
    const l1 = step.lossAndGrads(x, [1, 2], Float32Array.from(ref.eps.slice(2)), 3);
    expect(l0 + l1).toBeCloseTo(ref.loss, 5);
    for (let i = 0; i < ref.grad.length; i++) expect(Math.abs(g0[i] + arena.grads[0][i] - ref.grad[i])).toBeLessThan(1e-6);
  });

  it('agrees with the tfjs wasm path on an odd batch of a wider net, and gives the same bits twice', async () => {
    await initBackend('wasm');
    const arch = { dim: 50, hidden: [36, 20], latent: 3 };
    const rng = new Rng(5);
    const n = 40;
    const data = Float32Array.from({ length: n * arch.dim }, () => rng.uniform());
    const params = initParams(arch, new Rng(6));
    const rows = Int32Array.from({ length: 29 }, (_, i) => (i * 11) % n);
    const eps = rng.fillNormal(new Float32Array(rows.length * arch.latent)) as Float32Array;
    const { step, arena } = open(arch, 32, params);
    const loss = step.lossAndGrads(data, rows, eps, 29);
    const grad = Float32Array.from(arena.grads[0]);
    const shard = new VaeMlpShard(arch);
    shard.setParams(params);
    const tfGrad = new Float32Array(grad.length);
    const tfLoss = shard.lossAndGrads(data, rows, eps, 29, tfGrad);
    shard.dispose();
    expect(Math.abs(loss - tfLoss)).toBeLessThan(1e-4 * Math.abs(tfLoss));
    let scale = 0;
    for (const g of tfGrad) scale = Math.max(scale, Math.abs(g));
    for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] - tfGrad[i])).toBeLessThan(1e-5 * scale);
    expect(step.lossAndGrads(data, rows, eps, 29)).toBe(loss);
    expect(Buffer.from(arena.grads[0].buffer, arena.grads[0].byteOffset, arena.grads[0].byteLength).equals(Buffer.from(grad.buffer))).toBe(
      true,
    );
  });

  it('gives the same bits with a helper thread taking half of every kernel', async () => {
    const arch = { dim: 60, hidden: [44], latent: 5 };
    const rng = new Rng(7);
    const data = Float32Array.from({ length: 30 * arch.dim }, () => rng.uniform());
    const params = initParams(arch, new Rng(8));
    const rows = Int32Array.from({ length: 27 }, (_, i) => i);
    const eps = rng.fillNormal(new Float32Array(rows.length * arch.latent)) as Float32Array;
    const one = open(arch, 28, params);
    const arena = new AdamArena(paramCount(arch), 2, VaeMlpSimdStep.scratchBytes(arch, 28));
    arena.params.set(params);
    const two = VaeMlpSimdStep.open(arch, 28, arena, 2)!;
    try {
      for (let t = 0; t < 100 && !(two as unknown as { helper: { ready: boolean } }).helper.ready; t++)
        await new Promise((r) => setTimeout(r, 20));
      expect((two as unknown as { helper: { ready: boolean } }).helper.ready).toBe(true);
      expect(two.lossAndGrads(data, rows, eps, 27)).toBe(one.step.lossAndGrads(data, rows, eps, 27));
      const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
      expect(bytes(arena.grads[0]).equals(bytes(one.arena.grads[0]))).toBe(true);
    } finally {
      two.close();
    }
  });

  it('refuses a batch larger than it was made for', () => {
    const { step } = open(ref.arch, 2, ref.params);
    expect(() => step.lossAndGrads(Float32Array.from(ref.x), [0, 1, 2], Float32Array.from(ref.eps), 3)).toThrow(/batch of 3 \(max 2\)/);
  });
});
