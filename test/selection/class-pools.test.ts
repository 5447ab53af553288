import { describe, expect, it } from 'vitest';
import { selectionConfig } from '../../main/contract/config';
import type { Samples } from '../../main/data/samples';
import { startIslands } from '../../main/islands/start-islands';
import { gaussianStats } from '../../main/metrics/covariance';
import { subspaceCovarianceGap } from '../../main/metrics/class-covariance-gap';
import { shareOfKeep } from '../../main/selection/class-pools';
import { selectCandidates } from '../../main/selection/select-candidates';
import { Rng } from '../../main/util/random';

/**
 * Class-conditional pools (config model.perClass): each class keeps its share from its own pool, against the islands'
 * real rows of that class only.
 */

const d = 3;
const rng = new Rng(5);
/** n rows around `centre` with spread `sd`, all of class `label`. */
const cloud = (n: number, centre: number, sd: number, label: number): Samples => ({
  x: Float32Array.from({ length: n * d }, () => centre + sd * rng.normal()),
  n,
  dim: d,
  labels: new Int32Array(n).fill(label),
});
const concat = (parts: Samples[]): Samples => ({
  x: Float32Array.from(parts.flatMap((p) => Array.from(p.x))),
  n: parts.reduce((a, p) => a + p.n, 0),
  dim: d,
  labels: Int32Array.from(parts.flatMap((p) => Array.from(p.labels!))),
});

// island 0 holds class 0 around 0; island 1 holds class 1 around 10 and a few rows of class 0 around 0
const islands = [cloud(40, 0, 1, 0), concat([cloud(40, 10, 1, 1), cloud(10, 0, 1, 0)])];
// class 0's pool lies around 10 (where class 1's real data are), class 1's around 0: an unconditional selection against
// each island's data would take the other class's candidates
const pool = concat([cloud(30, 10, 1, 0), cloud(30, 0, 1, 1)]);

async function select(scheme: string, reference: string, keep: number, classes: Int32Array | undefined, verifier = 0) {
  const fleet = startIslands(islands, 2, { mode: 'in-process' });
  try {
    return await selectCandidates(pool, {
      selection: selectionConfig.parse({ scheme, reference, verifier, features: 'raw' }),
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'raw',
      runSeed: 1,
      keep,
      seed: 3,
      classes,
    });
  } finally {
    await fleet.close();
  }
}

describe('selection from class-conditional pools', () => {
  it('keeps each class’s share from its own pool only, where the shared pool would give the other class’s', async () => {
    const shared = await select('center', 'local', 20, undefined);
    // without classes, island 0 (around 0) takes class 1's candidates (rows 30…59) only
    expect(Array.from(shared.selected).filter((i) => i >= 30).length).toBe(20);

    for (const scheme of ['center', 'covmatch', 'random']) {
      const got = await select(scheme, 'per-island', 20, pool.labels);
      const rows = Array.from(got.selected);
      expect(new Set(rows).size).toBe(20);
      expect(rows.filter((i) => i < 30).length).toBe(10); // class 0's share, from class 0's pool
      expect(rows.filter((i) => i >= 30).length).toBe(10);
      if (scheme !== 'random') expect(got.diagnostics.classPools).toBe(2);
    }
  });

  it('matches each class against the islands’ rows of that class only', async () => {
    // class 0's reference pools island 0's and island 1's class-0 rows (around 0), never island 1's class 1 (around 10):
    // centre matching then keeps class 0's candidates nearest 0, i.e. the lowest of its pool around 10
    const got = await select('center', 'pooled', 10, pool.labels);
    const class0 = Array.from(got.selected).filter((i) => i < 30);
    const dist = (i: number) => Array.from(pool.x.subarray(i * d, i * d + d)).reduce((s, v) => s + v * v, 0);
    const nearest = Array.from({ length: 30 }, (_, i) => i)
      .sort((a, b) => dist(a) - dist(b))
      .slice(0, 5);
    expect(class0.sort((a, b) => a - b)).toEqual(nearest.sort((a, b) => a - b));
  });

  it('measures each class’s selected covariance against all its real rows, averaged over the classes, for every scheme', async () => {
    const realOf = (c: number) => {
      const rows = islands.flatMap((isl) =>
        Array.from({ length: isl.n }, (_, i) => i)
          .filter((i) => isl.labels![i] === c)
          .map((i) => isl.x.subarray(i * d, i * d + d)),
      );
      return gaussianStats(Float32Array.from(rows.flatMap((r) => Array.from(r))), rows.length, d).cov;
    };
    for (const scheme of ['center', 'covmatch', 'random']) {
      const got = await select(scheme, 'per-island', 20, pool.labels);
      const gaps = [0, 1].map((c) => {
        const rows = Array.from(got.selected).filter((i) => pool.labels![i] === c);
        const x = Float32Array.from(rows.flatMap((i) => Array.from(pool.x.subarray(i * d, i * d + d))));
        return subspaceCovarianceGap(x, rows.length, d, realOf(c));
      });
      expect(got.classCovarianceGap, scheme).toBeCloseTo((gaps[0] + gaps[1]) / 2, 9);
    }
    expect((await select('center', 'local', 20, undefined)).classCovarianceGap).toBeUndefined();
  });

  it('refuses a class that no island holds, and a local verifier without rows of a class, naming the class', async () => {
    const labels = Int32Array.from(pool.labels!, (l) => (l === 1 ? 7 : 0));
    await expect(select('covmatch', 'per-island', 10, labels)).rejects.toThrow(/no island holds real rows of class 7/);
    await expect(select('center', 'local', 10, pool.labels, 0)).rejects.toThrow(/verifier island 0 holds no real rows of class 1/);
  });

  it('splits n over the pools in proportion to their sizes, each at most its size', () => {
    expect(shareOfKeep(8000, Array(10).fill(3200))).toEqual(Array(10).fill(800));
    expect(shareOfKeep(8, [3, 3, 3])).toEqual([3, 3, 2]);
    expect(shareOfKeep(5, [1, 9])).toEqual([1, 4]);
    expect(shareOfKeep(6, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(() => shareOfKeep(7, [1, 2, 3])).toThrow(/cannot keep 7 of 6/);
  });
});
