import { describe, expect, it } from 'vitest';
import { featureW2 } from '../../main/metrics/feature-w2';
import { frechetDistance } from '../../main/metrics/fid';
import { gaussianW2 } from '../../main/models/mixture-distances';
import { Rng } from '../../main/util/random';

/** A random SPD matrix A·Aᵀ + 0.1·I, row-major [d, d]. */
function spd(d: number, rng: Rng): Float64Array {
  const a = Float64Array.from({ length: d * d }, () => rng.normal());
  const c = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j ? 0.1 : 0;
      for (let k = 0; k < d; k++) s += a[i * d + k] * a[j * d + k];
      c[i * d + j] = s;
    }
  return c;
}

describe('featureW2: W₂ between Gaussians in feature space, and its covariance part', () => {
  it('w2 is the Gaussian W₂ (closed form through Σ2^½ Σ1 Σ2^½) and spread the same with the means equal', () => {
    const rng = new Rng(7);
    const d = 6;
    for (let trial = 0; trial < 3; trial++) {
      const m1 = Float64Array.from({ length: d }, () => rng.normal());
      const m2 = Float64Array.from({ length: d }, () => 2 * rng.normal());
      const c1 = spd(d, rng);
      const c2 = spd(d, rng);
      const r = featureW2(frechetDistance({ mean: m1, cov: c1 }, { mean: m2, cov: c2 }, d), m1, m2, d);
      expect(r.w2).toBeCloseTo(gaussianW2(m1, c1, m2, c2), 8);
      expect(r.spread).toBeCloseTo(gaussianW2(m1, c1, m1, c2), 8);
      expect(r.spread).toBeLessThan(r.w2);
    }
  });

  it('commuting (diagonal) covariances: spread = ‖√a − √b‖ and w2² = ‖Δμ‖² + spread²', () => {
    const a = [1, 4, 9];
    const b = [4, 1, 16];
    const diag = (v: number[]) => Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? v[k / 4] : 0));
    const m1 = Float64Array.from([0, 0, 0]);
    const m2 = Float64Array.from([3, 0, 4]);
    const r = featureW2(frechetDistance({ mean: m1, cov: diag(a) }, { mean: m2, cov: diag(b) }, 3), m1, m2, 3);
    const spread = Math.sqrt((1 - 2) ** 2 + (2 - 1) ** 2 + (3 - 4) ** 2);
    expect(r.spread).toBeCloseTo(spread, 10);
    expect(r.w2).toBeCloseTo(Math.sqrt(25 + spread ** 2), 10);
  });

  it('names the problem with mismatched means or a non-finite distance', () => {
    expect(() => featureW2(1, [0, 0], [0], 2)).toThrow(/means must have length 2/);
    expect(() => featureW2(NaN, [0], [0], 1)).toThrow(/Fréchet distance is NaN/);
  });
});
