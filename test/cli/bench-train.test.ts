import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from './cli-in-process';

/**
 * Issue 15, item 3: `bench train --model M --json` works for every neural model and prints each step's own rate, the
 * thread count and the backend, the FLOPs per image of each step, and the parameter count, which must equal the
 * PyTorch twin's (test/fixtures/bench/flops.json, from bench/reference/*_torch.py) for the same tiny architecture.
 * Tiny architectures and a few milliseconds per step keep this fast; the rates themselves are not checked.
 */
const ref = JSON.parse(readFileSync(new URL('../fixtures/bench/flops.json', import.meta.url), 'utf8'));
const base = ['bench', 'train', '--backend', 'cpu', '--seconds', '0.02', '--blocks', '1', '--batch', '2', '--samples', '2', '--json'];

const CASES: [string, Record<string, unknown>, string[], number][] = [
  ['vae-mlp', { hidden: [8], latent: 2 }, ['train', 'sample'], ref.vaeMlp.params],
  ['vae-conv', { channels: [2, 4], latent: 3 }, ['train', 'sample'], ref.vaeConv.params],
  ['wgan-gp', { width: 2, evalSize: 0 }, ['critic', 'generator', 'sample'], ref.wganGp.params],
  ['ddpm', { channels: [4, 8], timeEmbedding: 4, samplingSteps: 2 }, ['train', 'sample'], ref.ddpm.params],
];

describe('bench train --json', () => {
  it.each(CASES)(
    '%s: each step’s rate, threads, backend, FLOPs, the PyTorch twin’s parameter count',
    async (model, params, steps, torchParams) => {
      const r = await runCliInProcess([...base, '--model', model, '--params', JSON.stringify(params)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out).toMatchObject({ model, backend: 'cpu', threads: 1, batch: 2, samples: 2 });
      for (const s of steps) {
        expect(out[`${s}ImagesPerSecond`]).toBeGreaterThan(0);
        expect(out.flopsPerImage[s]).toBeGreaterThan(0);
      }
      expect(out.imagesPerSecond).toBeGreaterThan(0);
      expect(out.params).toBe(torchParams);
      expect(out.load).toMatch(/^load /);
    },
    60_000,
  );

  it('times a kind without refined steps through the model registry: a fit and a sampling call, no FLOP count', async () => {
    const r = await runCliInProcess([
      'bench',
      'train',
      '--backend',
      'cpu',
      '--seconds',
      '0.02',
      '--blocks',
      '1',
      '--batch',
      '50',
      '--samples',
      '20',
      '--json',
      '--model',
      'gmm',
      '--params',
      '{"k":2}',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ model: 'gmm', backend: 'cpu', batch: 50, samples: 20 });
    expect(out.trainImagesPerSecond).toBeGreaterThan(0);
    expect(out.sampleImagesPerSecond).toBeGreaterThan(0);
    expect(out.setting).toMatch(/fit on 50 vectors of 10 values/);
    expect(out.flopsPerImage).toBeUndefined();
  });

  it('refuses an unknown model and params that are not the model’s, naming them', async () => {
    const a = await runCliInProcess([...base, '--model', 'nope']);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/--model must be one of gaussian, vae-mlp, .*ddpm, got "nope"/);
    const b = await runCliInProcess([...base, '--model', 'ddpm', '--params', '{"width":3}']);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/--params for ddpm: .*width/);
    const c = await runCliInProcess([...base, '--model', 'ddpm', '--params', '[1]']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--params must be a JSON object/);
  });
});
