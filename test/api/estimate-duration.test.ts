import { describe, expect, it } from 'vitest';
import { estimateDuration, selectionSeconds } from '../../main/api/estimate-duration';
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
    expect(kmeans.seconds - random.seconds).toBeCloseTo(base.loop.generations * selectionSeconds(with_({ scheme: 'kmeans' }), 20_000, 10_000, 784), 6);
  });

  it('grows with the candidates: kmeans like N·n, ot-proxy like N, in the feature dimension of the run', () => {
    const sel = (scheme: string, keep: number, features?: string) =>
      selectionSeconds(with_({ scheme, ...(features ? { features } : {}) }, { keep }), 4 * keep, 10_000, 784);
    expect(sel('kmeans', 2000) / sel('kmeans', 1000)).toBeCloseTo(4, 6);
    expect(sel('ot-proxy', 2000) / sel('ot-proxy', 1000)).toBeCloseTo(2, 6);
    expect(sel('ot-proxy', 1000, 'raw')).toBeGreaterThan(sel('ot-proxy', 1000)); // 784 raw values vs 128 features
    expect(sel('random', 5000)).toBe(0);
  });
});
