import { describe, expect, it } from 'vitest';
import { parseParadigm } from '../../main/contract/paradigm';
import type { Samples } from '../../main/data/samples';
import { buildTrainingSet } from '../../main/loop/training-set';
import { Rng } from '../../main/util/random';

/** Samples whose single coordinate tags where they came from: real rows are 0..99, gen g rows are 1000·(g+1)+i. */
function tagged(n: number, base: number): Samples {
  return { x: Float32Array.from({ length: n }, (_, i) => base + i), n, dim: 1 };
}
const real = tagged(100, 0);
const kept = [tagged(30, 1000), tagged(30, 2000), tagged(30, 3000)];
const origin = (v: number) => (v < 1000 ? 'real' : `gen${Math.floor(v / 1000) - 1}`);
const counts = (s: Samples) => {
  const c: Record<string, number> = {};
  for (const v of s.x) c[origin(v)] = (c[origin(v)] ?? 0) + 1;
  return c;
};

describe('paradigm bookkeeping', () => {
  it('generation 0 trains on the real data for every paradigm', () => {
    for (const p of ['replace', 'accumulate', 'accumulate-subsample', 'mixed:0.3']) {
      const t = buildTrainingSet({ paradigm: parseParadigm(p), generation: 0, real, kept: [], rng: new Rng(0) });
      expect(t.data).toBe(real);
    }
  });

  it('replace trains on the previous kept samples only', () => {
    const t = buildTrainingSet({ paradigm: parseParadigm('replace'), generation: 3, real, kept, rng: new Rng(0) });
    expect(counts(t.data)).toEqual({ gen2: 30 });
    expect([t.realCount, t.syntheticCount]).toEqual([0, 30]);
  });

  it('accumulate keeps real data and every kept sample so far', () => {
    const t = buildTrainingSet({ paradigm: parseParadigm('accumulate'), generation: 2, real, kept, rng: new Rng(0) });
    expect(counts(t.data)).toEqual({ real: 100, gen0: 30, gen1: 30 });
    expect(t.syntheticCount).toBe(60);
  });

  it('accumulate-subsample draws a fixed-size set without replacement from the pool', () => {
    const t = buildTrainingSet({
      paradigm: parseParadigm('accumulate-subsample'),
      generation: 3,
      real,
      kept,
      rng: new Rng(1),
    });
    expect(t.data.n).toBe(100);
    expect(new Set(t.data.x).size).toBe(100);
    const c = counts(t.data);
    expect(t.realCount).toBe(c.real);
    expect(t.realCount + t.syntheticCount).toBe(100);
    // pool is 100 real + 90 synthetic: expect roughly 100·100/190 ≈ 53 real
    expect(c.real).toBeGreaterThan(35);
    expect(c.real).toBeLessThan(70);
    expect(c.gen0 && c.gen1 && c.gen2).toBeTruthy();
  });

  it('mixed:λ takes a λ fraction of real data and the rest from the previous generation', () => {
    const t = buildTrainingSet({
      paradigm: parseParadigm('mixed:0.25'),
      generation: 1,
      real,
      kept,
      trainSize: 40,
      rng: new Rng(2),
    });
    expect(counts(t.data)).toEqual({ real: 10, gen0: 30 });
    const t2 = buildTrainingSet({ paradigm: parseParadigm('mixed:0.5'), generation: 2, real, kept, rng: new Rng(2) });
    expect(counts(t2.data)).toEqual({ real: 50, gen1: 50 });
  });

  it('is seeded', () => {
    const a = buildTrainingSet({ paradigm: parseParadigm('accumulate-subsample'), generation: 2, real, kept, rng: new Rng(5) });
    const b = buildTrainingSet({ paradigm: parseParadigm('accumulate-subsample'), generation: 2, real, kept, rng: new Rng(5) });
    expect(Array.from(a.data.x)).toEqual(Array.from(b.data.x));
  });
});
