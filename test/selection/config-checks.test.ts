import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';

/** Selection settings that cannot work are refused when the config is validated, at their field, not mid-run. */
describe('config checks of the OT schemes', () => {
  it('the geodesic proxy with more candidates than an island can hold N × N is a config error at its field', () => {
    const base = { dataset: { kind: 'mnist' as const }, model: { kind: 'vae-mlp' as const } };
    expect(() =>
      validateConfig({ ...base, loop: { generations: 2, keep: 5000, ratio: 4 }, selection: { scheme: 'ot-proxy', params: { proxy: 'geodesic' } } }),
    ).toThrow(/selection\.params\.proxy.*N = 20000 candidates is over 16384/s);
    expect(() =>
      validateConfig({ ...base, loop: { generations: 2, keep: 4000, ratio: 4 }, selection: { scheme: 'ot-proxy', params: { proxy: 'geodesic' } } }),
    ).not.toThrow();
    expect(() => validateConfig({ ...base, loop: { generations: 2, keep: 5000, ratio: 4 }, selection: { scheme: 'ot-proxy' } })).not.toThrow();
  });
});
