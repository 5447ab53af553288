import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { WganGpModel } from '../../main/models/wgan-gp';
import { Rng } from '../../main/util/random';
import { expectReproducibleSamples, expectSameFitForSameSeed } from './reproducibility';
import { tinyImages } from './tiny-images';

const shape: [number, number, number] = [28, 28, 1];

describe.each(['cpu', 'wasm'] as const)('wgan-gp on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('the gradient penalty alone pulls critic gradient norms toward 1', async () => {
    const m = new WganGpModel({ width: 4, learningRate: 2e-3 }, shape);
    m.initialise(3);
    const data = tinyImages(16, 1);
    const real = tf.tensor(data.x, [16, ...shape]) as tf.Tensor4D;
    const before = (await m.gradientNorms(real, new Rng(9))).meanDeviation;
    const opt = m.makeOptimizer();
    const rng = new Rng(4);
    for (let i = 0; i < 40; i++) await m.criticStep(opt, real, rng, true);
    const after = (await m.gradientNorms(real, new Rng(9))).meanDeviation;
    opt.dispose();
    real.dispose();
    m.dispose();
    expect(before).toBeGreaterThan(0.2);
    expect(after).toBeLessThan(before / 3);
  });

  it('critic steps widen the real–fake score gap; generator steps (critic fixed) raise the fake scores', async () => {
    const m = new WganGpModel({ width: 4, learningRate: 1e-3 }, shape);
    m.initialise(5);
    const data = tinyImages(16, 2);
    const real = tf.tensor(data.x, [16, ...shape]) as tf.Tensor4D;
    const gap = async () => (await m.criticDiagnostics(data, 1)).criticScoreGap;
    const g0 = await gap();
    const optC = m.makeOptimizer();
    const rng = new Rng(6);
    for (let i = 0; i < 15; i++) await m.criticStep(optC, real, rng);
    const g1 = await gap();
    expect(g1).toBeGreaterThan(g0 + 0.1);
    const optG = m.makeOptimizer();
    const l0 = await m.generatorStep(optG, 16, new Rng(7));
    for (let i = 0; i < 10; i++) await m.generatorStep(optG, 16, rng);
    const l1 = await m.generatorStep(optG, 16, new Rng(7));
    expect(l1).toBeLessThan(l0);
    tf.dispose([real]);
    optC.dispose();
    optG.dispose();
    m.dispose();
  });

  it('fits a tiny slice without leaking tensors, reports critic accuracy, cancels, and saves → loads', async () => {
    const m = new WganGpModel({ width: 4, batchSize: 8, epochs: 2, criticSteps: 2, evalSize: 16 }, shape);
    const data = tinyImages(16, 3);
    const evalData = tinyImages(16, 4);
    await m.fit(data, { seed: 1 }); // creates variables and warms up
    const tensors = tf.memory().numTensors;
    const progress: number[] = [];
    const res = await m.fit(data, { seed: 2, evalData, onProgress: (p) => progress.push(p.batch) });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(res.epochLosses).toHaveLength(2);
    expect(res.epochLosses.every(Number.isFinite)).toBe(true);
    expect(progress).toEqual([1, 2, 1, 2]);
    const acc = res.diagnostics!.criticAccuracy;
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
    await expectReproducibleSamples(m, await m.sample(5, 11), { n: 5, seed: 11, dim: 784 }, (dir) => WganGpModel.load(dir));
    const ac = new AbortController();
    ac.abort();
    await expect(m.fit(data, { seed: 3, signal: ac.signal })).rejects.toThrow('cancelled');
    m.dispose();
  });

  it("a sigmoid critic (the study's code) also reports the study's classification rate", async () => {
    const m = new WganGpModel({ width: 4, batchSize: 8, epochs: 1, criticSteps: 1, criticSigmoid: true, evalSize: 8 }, shape);
    const res = await m.fit(tinyImages(8, 6), { seed: 1, evalData: tinyImages(8, 7) });
    const rate = res.diagnostics!.criticAccuracySigmoid;
    expect(rate).toBeGreaterThanOrEqual(0);
    expect(rate).toBeLessThanOrEqual(1);
    const s = await m.criticDiagnostics(tinyImages(8, 7), 1);
    expect(s.criticScoreGap).toBeGreaterThan(-1);
    expect(s.criticScoreGap).toBeLessThan(1);
    m.dispose();
  });

  it('the same seed gives the same fit', async () => {
    const make = () => new WganGpModel({ width: 4, batchSize: 8, epochs: 1, criticSteps: 1 }, shape);
    await expectSameFitForSameSeed(make, tinyImages(8, 5), 42, 3);
  });
});
