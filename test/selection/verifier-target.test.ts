import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig, type DatasetConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { IslandAgent } from '../../main/islands/island-agent';
import { InProcessIslandChannel } from '../../main/islands/island-channel';
import { topalphaScheme } from '../../main/selection/topalpha';
import { declaredRealMoments, shiftRealMoments, verifierTarget } from '../../main/selection/verifier-target';

/** Reference values from test/fixtures/selection/make_selection_bias_toy.py (numpy, the paper's description). */
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/selection/selection_bias_toy.json'), 'utf8'));

const gaussianDataset = validateConfig({
  dataset: { kind: 'gaussian', dim: 10 },
  model: { kind: 'gaussian' },
  loop: { generations: 2, keep: 10 },
}).dataset;

describe('topalpha with a given verifier target (u*, Σ_bias): the selection of the theory', () => {
  it('keeps the same candidates, in the same order, as the numpy reference', async () => {
    const v = fixture.verifier;
    const target = verifierTarget({ kind: 'given', mean: v.targetMean, cov: v.targetCov }, gaussianDataset, 0)!;
    expect(target.kind).toBe('given');
    const r = await topalphaScheme().select({
      candidates: { x: Float32Array.from(v.candidates as number[]), n: v.n, dim: v.dim },
      keep: v.keep,
      islands: [],
      reference: 'local',
      verifier: 0,
      seed: 1,
      params: {},
      target,
    });
    expect(v.margin).toBeGreaterThan(1e-3); // no near-tie at the cut in the reference
    expect(Array.from(r.selected)).toEqual(v.keptInOrder);
    expect(r.diagnostics.target).toBe('given');
    expect(r.diagnostics.keptMeanToTarget as number).toBeCloseTo(v.keptMeanToTarget, 9);
    expect(r.diagnostics.meanKeptScore as number).toBeCloseTo(v.meanKeptScore, 9);
  });

  it('never asks an island when the target is given, and names the field on a dimension mismatch', async () => {
    const target = verifierTarget({ kind: 'given', mean: [0, 0], cov: 1 }, gaussianDataset, 0)!;
    const x = Float32Array.from({ length: 30 }, (_, i) => i / 10);
    const run = () =>
      topalphaScheme().select({
        candidates: { x, n: 10, dim: 3 },
        keep: 2,
        islands: [],
        reference: 'local',
        verifier: 0,
        seed: 1,
        params: {},
        target,
      });
    await expect(run()).rejects.toThrow(/selection\.target\.mean has 2 entries but the selection features have 3/);
    const notPd = verifierTarget(
      {
        kind: 'given',
        mean: [0, 0],
        cov: [
          [1, 2],
          [2, 1],
        ],
      },
      gaussianDataset,
      0,
    )!;
    await expect(notPd.moments({ features: { kind: 'raw' }, dim: 2, islands: [] })).rejects.toThrow(
      /selection\.target\.cov is not positive definite/,
    );
  });
});

describe('the shifted-real target (the public code: u* = μ* + N(0, 3²) on half the coordinates, Σ_bias = 0.3·Σ*)', () => {
  const mean = Float64Array.from({ length: 10 }, (_, i) => i);
  const cov = Float64Array.from({ length: 100 }, (_, k) => (k % 11 === 0 ? 2 : 0.1));

  it('shifts exactly the first round(fraction·d) coordinates, scales the covariance, and is seeded', () => {
    const spec = { shiftSd: 3, fraction: 0.5, covScale: 0.3 };
    const a = shiftRealMoments(mean, cov, spec, 7);
    for (let j = 0; j < 10; j++) {
      if (j < 5) expect(a.mean[j]).not.toBe(mean[j]);
      else expect(a.mean[j]).toBe(mean[j]);
    }
    a.covariance.forEach((v, k) => expect(v).toBeCloseTo(0.3 * cov[k], 15));
    expect(Array.from(shiftRealMoments(mean, cov, spec, 7).mean)).toEqual(Array.from(a.mean));
    expect(Array.from(shiftRealMoments(mean, cov, spec, 8).mean)).not.toEqual(Array.from(a.mean));
    expect(Array.from(shiftRealMoments(mean, cov, { ...spec, fraction: 0.3 }, 7).mean.slice(3))).toEqual(Array.from(mean.slice(3)));
  });

  it('draws shifts of standard deviation shiftSd (over 2,000 run seeds)', () => {
    let ss = 0;
    let s = 0;
    const m = 2000;
    for (let seed = 0; seed < m; seed++) {
      const v = shiftRealMoments(new Float64Array(2), new Float64Array(4), { shiftSd: 3, fraction: 0.5, covScale: 1 }, seed).mean[0];
      s += v;
      ss += v * v;
    }
    const sd = Math.sqrt(ss / m - (s / m) ** 2);
    expect(Math.abs(s / m)).toBeLessThan(0.25); // 3/√2000 ≈ 0.067
    expect(sd).toBeGreaterThan(2.8);
    expect(sd).toBeLessThan(3.2);
  });

  it('takes the Gaussian toy’s declared truth in raw features, without asking the islands', async () => {
    const dataset = validateConfig({
      dataset: { kind: 'gaussian', dim: 3, mean: [1, 2, 3], cov: [4, 5, 6] },
      model: { kind: 'gaussian' },
      loop: { generations: 2, keep: 10 },
    }).dataset;
    const t = verifierTarget({ kind: 'shifted-real', shiftSd: 3, fraction: 0.5, covScale: 0.3 }, dataset, 5)!;
    const m = await t.moments({ features: { kind: 'raw' }, dim: 3, islands: [] });
    expect(m.source).toBe('dataset-truth');
    const expected = shiftRealMoments(
      Float64Array.from([1, 2, 3]),
      Float64Array.from([4, 0, 0, 0, 5, 0, 0, 0, 6]),
      { shiftSd: 3, fraction: 0.5, covScale: 0.3 },
      5,
    );
    expect(Array.from(m.mean)).toEqual(Array.from(expected.mean));
    Array.from(m.covariance).forEach((v, k) => expect(v).toBeCloseTo(expected.covariance[k], 12));
    expect(m.mean[2]).toBe(3); // round(0.5·3) = 2 coordinates shifted
  });

  it('pools the islands’ moments for data without a declared truth', async () => {
    const dataset: DatasetConfig = { kind: 'npy', path: '/nowhere.npy', testFraction: 0.1 };
    const a = { x: Float32Array.from([0, 0, 2, 0, 0, 2]), n: 3, dim: 2 };
    const b = { x: Float32Array.from([4, 4, 6, 4]), n: 2, dim: 2 };
    const islands = [new InProcessIslandChannel(new IslandAgent(0, a, 0)), new InProcessIslandChannel(new IslandAgent(1, b, 0))];
    const t = verifierTarget({ kind: 'shifted-real', shiftSd: 0, fraction: 0.5, covScale: 1 }, dataset, 0)!;
    const m = await t.moments({ features: { kind: 'raw' }, dim: 2, islands });
    expect(m.source).toBe('pooled-islands');
    // the union's rows: (0,0) (2,0) (0,2) (4,4) (6,4): mean (2.4, 2), unbiased covariance
    const rows = [
      [0, 0],
      [2, 0],
      [0, 2],
      [4, 4],
      [6, 4],
    ];
    const mu = [2.4, 2];
    expect(m.mean[0]).toBeCloseTo(mu[0], 12);
    expect(m.mean[1]).toBeCloseTo(mu[1], 12);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++) {
        const c = rows.reduce((s, r) => s + (r[i] - mu[i]) * (r[j] - mu[j]), 0) / 4;
        expect(m.covariance[i * 2 + j]).toBeCloseTo(c, 12);
      }
    }
    // computed once per feature space: the islands are not asked again
    for (const c of islands) c.resetCounters();
    await t.moments({ features: { kind: 'raw' }, dim: 2, islands });
    expect(islands.map((c) => c.bytesSent)).toEqual([0, 0]);
  });

  it('gives the Gaussian mixture’s moments in closed form (numpy reference)', () => {
    const mm = fixture.mixtureMoments;
    const r = declaredRealMoments({
      kind: 'gaussian-mixture',
      dim: mm.dim,
      weights: mm.weights,
      means: mm.means,
      covs: mm.covs,
      trainSize: 10,
      testSize: 10,
    })!;
    (mm.mean as number[]).forEach((v, i) => expect(r.mean[i]).toBeCloseTo(v, 12));
    (mm.cov as number[][]).flat().forEach((v, k) => expect(r.covariance[k]).toBeCloseTo(v, 12));
    expect(declaredRealMoments({ kind: 'mnist' })).toBeNull();
  });
});

describe('selection.target in the config', () => {
  const base: ExperimentConfigInput = {
    dataset: { kind: 'gaussian', dim: 10 },
    model: { kind: 'gaussian' },
    loop: { generations: 2, keep: 10, ratio: 10 },
  };

  it('fills the shifted-real defaults of the paper (3, 0.5, 0.3) and leaves the field absent otherwise', () => {
    const c = validateConfig({ ...base, selection: { scheme: 'topalpha', target: { kind: 'shifted-real' } } });
    expect(c.selection.target).toEqual({ kind: 'shifted-real', shiftSd: 3, fraction: 0.5, covScale: 0.3 });
    expect(validateConfig(base).selection.target).toBeUndefined();
  });

  it('refuses a non-island target for another reference-based scheme, naming the field; schemes without a reference ignore it', () => {
    expect(() => validateConfig({ ...base, selection: { scheme: 'center', target: { kind: 'shifted-real' } } })).toThrow(
      /selection\.target: a shifted-real verifier target is used by scheme topalpha only/,
    );
    expect(validateConfig({ ...base, selection: { scheme: 'none', target: { kind: 'shifted-real' } } }).selection.target?.kind).toBe(
      'shifted-real',
    );
    expect(() => validateConfig({ ...base, selection: { scheme: 'topalpha', target: { kind: 'given', mean: [0], cov: -1 } } })).toThrow(
      /selection\.target\.cov/,
    );
    expect(validateConfig({ ...base, selection: { scheme: 'center', target: { kind: 'island' } } }).selection.target).toEqual({
      kind: 'island',
    });
  });
});
