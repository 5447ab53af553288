import { describe, expect, it } from 'vitest';
import { splitIslands } from '../../main/islands/split-islands';
import { Rng } from '../../main/util/random';

function labelsOf(n: number, numClasses: number, seed = 0): Int32Array {
  const r = new Rng(seed);
  return Int32Array.from({ length: n }, () => r.int(numClasses));
}

function expectPartition(indices: Int32Array[], n: number) {
  const seen = new Uint8Array(n);
  for (const idx of indices) for (const i of idx) seen[i]++;
  expect(seen.every((v) => v === 1)).toBe(true);
}

const labels = labelsOf(6000, 10);
const train = { n: labels.length, labels };

describe('island splits', () => {
  for (const split of ['iid', 'dirichlet:0.1', 'dirichlet:100', 'exdir:1,0.1', 'exdir:2,0.5', 'quantity:0.5']) {
    it(`${split} places every sample exactly once, seeded`, () => {
      const a = splitIslands(train, 10, 10, split, 3);
      expectPartition(a.indices, train.n);
      expect(a.summary.reduce((s, x) => s + x.size, 0)).toBe(train.n);
      expect(a.summary.every((x) => x.size >= 10)).toBe(true);
      const b = splitIslands(train, 10, 10, split, 3);
      expect(b.indices.map((x) => Array.from(x))).toEqual(a.indices.map((x) => Array.from(x)));
      const c = splitIslands(train, 10, 10, split, 4);
      if (split !== 'exdir:1,0.1') expect(c.indices.map((x) => Array.from(x))).not.toEqual(a.indices.map((x) => Array.from(x)));
    });
  }

  it('iid gives near-equal islands with every class', () => {
    const s = splitIslands(train, 10, 5, 'iid', 1);
    for (const isl of s.summary) {
      expect(Math.abs(isl.size - 1200)).toBeLessThanOrEqual(1);
      expect(isl.classCounts.every((c) => c > 60)).toBe(true);
    }
  });

  it('exdir:1 gives each island exactly one class, and every class an owner', () => {
    const s = splitIslands(train, 10, 10, 'exdir:1,0.1', 3);
    for (const isl of s.summary) expect(isl.classCounts.filter((c) => c > 0).length).toBe(1);
    const owned = new Set(s.summary.map((isl) => isl.classCounts.findIndex((c) => c > 0)));
    expect(owned.size).toBe(10);
  });

  it('exdir:2 gives each island at most two classes', () => {
    const s = splitIslands(train, 10, 10, 'exdir:2,0.5', 5);
    for (const isl of s.summary) expect(isl.classCounts.filter((c) => c > 0).length).toBeLessThanOrEqual(2);
  });

  it('small dirichlet alpha concentrates classes, large alpha spreads them', () => {
    const entropy = (counts: number[]) => {
      const t = counts.reduce((a, b) => a + b, 0);
      return -counts.filter((c) => c > 0).reduce((h, c) => h + (c / t) * Math.log(c / t), 0);
    };
    const mean = (split: string) => {
      const s = splitIslands(train, 10, 10, split, 7);
      return s.summary.reduce((h, isl) => h + entropy(isl.classCounts), 0) / 10;
    };
    expect(mean('dirichlet:0.1')).toBeLessThan(1.2);
    expect(mean('dirichlet:100')).toBeGreaterThan(2.1);
  });

  it('quantity skew varies sizes but keeps classes mixed', () => {
    const s = splitIslands(train, 10, 5, 'quantity:0.5', 2);
    const sizes = s.summary.map((x) => x.size);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeGreaterThan(1.5);
  });

  it('refuses impossible requests with a clear message instead of looping', () => {
    expect(() => splitIslands(train, 10, 5, 'exdir:1,0.1', 0)).toThrow(/impossible.*at least 10 islands/);
    expect(() => splitIslands(train, 10, 5, 'exdir:11,0.1', 0)).toThrow(/only 10 classes/);
    expect(() => splitIslands({ n: 100 }, 0, 2, 'dirichlet:0.5', 0)).toThrow(/needs class labels/);
    expect(() => splitIslands({ n: 5 }, 0, 10, 'iid', 0)).toThrow(/cannot make 10 islands/);
  });

  it('iid and quantity work without labels', () => {
    expectPartition(splitIslands({ n: 500 }, 0, 4, 'iid', 0).indices, 500);
    expectPartition(splitIslands({ n: 500 }, 0, 4, 'quantity:1', 0).indices, 500);
  });
});
