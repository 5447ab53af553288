import { describe, expect, it } from 'vitest';
import { planRun } from '../../main/contract/run-plan';
import { validateConfig } from '../../main/contract/config';
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
    for (const p of ['replace', 'accumulate', 'accumulate-synthetic', 'accumulate-subsample', 'mixed:0.3']) {
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

  it('accumulate-synthetic keeps every kept sample so far and no real data', () => {
    for (const [generation, want] of [
      [1, { gen0: 30 }],
      [2, { gen0: 30, gen1: 30 }],
      [3, { gen0: 30, gen1: 30, gen2: 30 }],
    ] as const) {
      const t = buildTrainingSet({ paradigm: parseParadigm('accumulate-synthetic'), generation, real, kept, rng: new Rng(0) });
      expect(counts(t.data)).toEqual(want);
      expect([t.realCount, t.syntheticCount]).toEqual([0, 30 * generation]);
      // in generation order, each row once
      expect(Array.from(t.data.x)).toEqual(kept.slice(0, generation).flatMap((k) => Array.from(k.x)));
    }
    // only the generations before this one, even when later ones are at hand
    const early = buildTrainingSet({ paradigm: parseParadigm('accumulate-synthetic'), generation: 1, real, kept, rng: new Rng(0) });
    expect(early.data.n).toBe(30);
    expect(() =>
      buildTrainingSet({ paradigm: parseParadigm('accumulate-synthetic'), generation: 3, real, kept: kept.slice(0, 2), rng: new Rng(0) }),
    ).toThrow(/generation 3 needs the kept samples of 3 earlier generations, got 2/);
  });

  it('parses the paradigm names, and refuses others naming the choices', () => {
    expect(parseParadigm(' Accumulate-Synthetic ')).toEqual({ kind: 'accumulate-synthetic' });
    expect(parseParadigm('accumulate')).toEqual({ kind: 'accumulate' });
    expect(parseParadigm('mixed:0.25')).toEqual({ kind: 'mixed', realFraction: 0.25 });
    expect(() => parseParadigm('accumulate-synth')).toThrow(
      'paradigm "accumulate-synth": unknown kind; use replace, accumulate, accumulate-synthetic, accumulate-subsample or mixed:LAMBDA',
    );
    const base = { dataset: { kind: 'gaussian', dim: 2 }, model: { kind: 'gaussian' }, loop: { generations: 3, keep: 10 } };
    expect(validateConfig({ ...base, loop: { ...base.loop, paradigm: 'accumulate-synthetic' } }).loop.paradigm).toBe(
      'accumulate-synthetic',
    );
    expect(() => validateConfig({ ...base, loop: { ...base.loop, paradigm: 'synthetic' } })).toThrow(
      /loop\.paradigm: .*accumulate-synthetic/,
    );
  });

  it('the run plan sizes every generation’s training set, and its real and synthetic parts, as buildTrainingSet builds it', () => {
    const keptOf = (n: number) => Array.from({ length: 4 }, (_, g) => tagged(n, 1000 * (g + 1)));
    const cases: [string, number | undefined][] = [
      ['replace', undefined],
      ['accumulate', undefined],
      ['accumulate-synthetic', undefined],
      ['accumulate-subsample', undefined],
      ['mixed:0.3', undefined],
      ['mixed:1', 3],
      ['mixed:0.5', 0.5],
    ];
    for (const [p, syntheticPerReal] of cases) {
      const config = validateConfig({
        dataset: { kind: 'gaussian', dim: 1, trainSize: 100, testSize: 50 },
        model: { kind: 'gaussian' },
        loop: { generations: 5, keep: 30, paradigm: p, trainSize: 120, syntheticPerReal },
      });
      const built = Array.from({ length: 5 }, (_, generation) =>
        buildTrainingSet({
          paradigm: parseParadigm(p),
          generation,
          real,
          kept: keptOf(30),
          trainSize: 120,
          syntheticPerReal,
          rng: new Rng(4),
        }),
      );
      const plan = planRun(config.loop, 100).trainingSets;
      expect(
        plan.map((t) => t.size),
        p,
      ).toEqual(built.map((t) => t.data.n));
      plan.forEach((t, g) => {
        if (t.real !== null) expect([t.real, t.synthetic], `${p} generation ${g}`).toEqual([built[g].realCount, built[g].syntheticCount]);
      });
    }
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

  it('syntheticPerReal: mixed:1 keeps all the real data and adds s times as much from the previous generation', () => {
    const big = [tagged(500, 1000), tagged(500, 2000)];
    for (const [s, want] of [
      [0, { real: 100 }],
      [0.5, { real: 100, gen1: 50 }],
      [2, { real: 100, gen1: 200 }],
      [5, { real: 100, gen1: 500 }],
    ] as const) {
      const t = buildTrainingSet({
        paradigm: parseParadigm('mixed:1'),
        generation: 2,
        real,
        kept: big,
        syntheticPerReal: s,
        rng: new Rng(3),
      });
      expect(counts(t.data)).toEqual(want);
      expect([t.realCount, t.syntheticCount]).toEqual([100, want.gen1 ?? 0]);
      // all real rows, and the synthetic rows distinct (drawn without replacement while the generation has enough)
      expect(new Set(t.data.x).size).toBe(t.data.n);
    }
    // beyond the kept samples: with replacement
    const over = buildTrainingSet({ paradigm: parseParadigm('mixed:1'), generation: 1, real, kept, syntheticPerReal: 1, rng: new Rng(3) });
    expect(counts(over.data)).toEqual({ real: 100, gen0: 100 });
    // with λ < 1 the real part is mixed's, the synthetic part s times it
    const half = buildTrainingSet({
      paradigm: parseParadigm('mixed:0.5'),
      generation: 1,
      real,
      kept: big,
      trainSize: 80,
      syntheticPerReal: 3,
      rng: new Rng(3),
    });
    expect(counts(half.data)).toEqual({ real: 40, gen0: 120 });
  });

  it('syntheticPerReal absent: mixed is bit-identical to before', () => {
    const before = buildTrainingSet({ paradigm: parseParadigm('mixed:0.3'), generation: 2, real, kept, rng: new Rng(9) });
    const after = buildTrainingSet({
      paradigm: parseParadigm('mixed:0.3'),
      generation: 2,
      real,
      kept,
      syntheticPerReal: undefined,
      rng: new Rng(9),
    });
    expect(Array.from(after.data.x)).toEqual(Array.from(before.data.x));
    expect(counts(before.data)).toEqual({ real: 30, gen1: 70 });
    expect(() =>
      buildTrainingSet({ paradigm: parseParadigm('mixed:0'), generation: 1, real, kept, syntheticPerReal: 2, rng: new Rng(0) }),
    ).toThrow(/no training data/);
  });

  it("the config accepts loop.syntheticPerReal only with paradigm mixed (the run plan's rule)", () => {
    const base = { dataset: { kind: 'gaussian', dim: 2 }, model: { kind: 'gaussian' }, loop: { generations: 3, keep: 10 } };
    const ok = validateConfig({ ...base, loop: { ...base.loop, paradigm: 'mixed:1', syntheticPerReal: 4 } });
    expect(ok.loop.syntheticPerReal).toBe(4);
    expect(validateConfig(base).loop.syntheticPerReal).toBeUndefined();
    for (const paradigm of ['replace', 'accumulate', 'accumulate-synthetic', 'accumulate-subsample']) {
      expect(() => validateConfig({ ...base, loop: { ...base.loop, paradigm, syntheticPerReal: 4 } })).toThrow(
        /loop\.syntheticPerReal: .*mixed/,
      );
    }
    expect(() => validateConfig({ ...base, loop: { ...base.loop, paradigm: 'mixed:1', syntheticPerReal: -1 } })).toThrow(
      /loop\.syntheticPerReal/,
    );
  });

  it('is seeded', () => {
    const a = buildTrainingSet({ paradigm: parseParadigm('accumulate-subsample'), generation: 2, real, kept, rng: new Rng(5) });
    const b = buildTrainingSet({ paradigm: parseParadigm('accumulate-subsample'), generation: 2, real, kept, rng: new Rng(5) });
    expect(Array.from(a.data.x)).toEqual(Array.from(b.data.x));
  });
});
