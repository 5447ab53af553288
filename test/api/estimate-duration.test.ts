import { describe, expect, it } from 'vitest';
import { estimateDuration } from '../../main/api/estimate-duration';
import { selectionSeconds } from '../../main/runs/stage-work';
import { validateConfig } from '../../main/contract/config';
import { findPreset } from '../../main/presets';

/** The wizard's estimate counts the selection's own work, which at N = 20,000 can rival the training. */
describe('duration estimate', () => {
  const base = findPreset('mnist-islands').config;
  const with_ = (selection: Record<string, unknown>, loop: Record<string, unknown> = {}) =>
    validateConfig({ ...base, loop: { ...base.loop, ...loop }, selection });

  it('adds the selection per generation and names it in the basis', () => {
    const random = estimateDuration(with_({ scheme: 'random' }));
    const kmeans = estimateDuration(with_({ scheme: 'kmeans' }));
    expect(random.basis).not.toMatch(/per generation/);
    expect(kmeans.basis).toMatch(/kmeans about \d+ s per generation/);
    expect(kmeans.seconds - random.seconds).toBeCloseTo(
      base.loop.generations * selectionSeconds(with_({ scheme: 'kmeans' }), 20_000, 10_000, 784),
      6,
    );
  });

  it('grows with the candidates: kmeans like N·n, ot-proxy like N, in the feature dimension of the run', () => {
    const sel = (scheme: string, keep: number, features?: string) =>
      selectionSeconds(with_({ scheme, ...(features ? { features } : {}) }, { keep }), 4 * keep, 10_000, 784);
    expect(sel('kmeans', 2000) / sel('kmeans', 1000)).toBeCloseTo(4, 6);
    expect(sel('ot-proxy', 2000) / sel('ot-proxy', 1000)).toBeCloseTo(2, 6);
    expect(sel('ot-proxy', 1000, 'raw')).toBeGreaterThan(sel('ot-proxy', 1000)); // 784 raw values vs 128 features
    expect(sel('random', 5000)).toBe(0);
  });

  it('asks the model kind for its cost, on resolved params: {} and the defaults written out are the same estimate', () => {
    const model = (params: Record<string, unknown>) => validateConfig({ ...base, model: { kind: 'vae-mlp', params } });
    const defaults = estimateDuration(model({}));
    expect(estimateDuration(model({ epochs: 10, hidden: [400, 400] }))).toEqual(defaults);
    // 10 epochs of each generation's training set at 1,200 samples/s (784-400-400)
    expect(defaults.basis).toMatch(/^vae-mlp at about 1200 training samples\/s/);
    const twice = estimateDuration(model({ epochs: 20 }));
    expect(twice.trainingSamples).toEqual(defaults.trainingSamples.map((n) => 2 * n));
    // twice the first layer and an 800 × 400 second one: 947,200 MACs against 473,600, half the speed
    expect(estimateDuration(model({ hidden: [800, 400] })).basis).toMatch(/^vae-mlp at about 600 training samples\/s/);
  });

  it('asks the scheme for its cost, on resolved params', () => {
    const at = (params: Record<string, unknown>) => selectionSeconds(with_({ scheme: 'ot-barycenter', params }), 20_000, 10_000, 784);
    // 1,000 support points × 20,000 candidates × (40 + 128 reference features) × 1.2e-9 s, scored and debiased
    expect(at({})).toBeCloseTo(1000 * 20_000 * 168 * 1.2e-9 * 2, 9);
    expect(at({ support: 1000 })).toBe(at({}));
    expect(at({ support: 500 })).toBeCloseTo(at({}) / 2, 9);
    expect(selectionSeconds(with_({ scheme: 'ot-proxy', params: { islands: 'verifier' } }), 20_000, 10_000, 784)).toBeCloseTo(
      selectionSeconds(with_({ scheme: 'ot-proxy' }), 20_000, 10_000, 784) / base.islands!.count!,
      9,
    );
  });
});
