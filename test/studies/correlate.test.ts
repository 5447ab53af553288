import { describe, expect, it } from 'vitest';
import { correlateRuns, pearson, ranks } from '../../main/studies/correlate';

describe('correlations across a study', () => {
  it('Pearson and Spearman by hand, ties sharing their mean rank', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 15);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 15);
    // x = 1,2,3,4; y = 1,3,2,4: r = 0.8 (Σdxdy = 4, Σdx² = Σdy² = 5)
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 15);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1, 2], [1, 2])).toBeNull();
    expect(ranks([10, 30, 20, 20])).toEqual([1, 4, 2.5, 2.5]);
  });

  it('pairs every run of every cell at the chosen generation; a monotone but non-linear relation has Spearman 1', () => {
    const run = (seed: number, a: number, b: number) => ({
      key: `k${seed}`,
      seed,
      lines: [
        { generation: 0, a: 0, b: 0 },
        { generation: 1, a, b },
      ],
    });
    const cells = [
      { cellKey: 'c1', fields: {}, runs: [run(0, 1, 1), run(1, 2, 8)] },
      { cellKey: 'c2', fields: {}, runs: [run(0, 3, 27), run(1, 4, 64), run(2, 5, 125)] },
    ];
    const [r] = correlateRuns(cells, ['a'], ['b']);
    expect(r).toMatchObject({ x: 'a', y: 'b', n: 5, spearman: 1 });
    expect(r.pearson!).toBeGreaterThan(0.9);
    expect(r.pearson!).toBeLessThan(1);
    expect(correlateRuns(cells, ['a'], ['b'], 0)[0].pearson).toBeNull(); // all zero at generation 0
    expect(() => correlateRuns(cells, ['nope'], ['b'])).toThrow(/unknown metric nope; the runs have: a, b/);
  });
});
