import { describe, expect, it } from 'vitest';
import { islandPictureRows } from '../../main/islands/preview-split';
import { showcaseRows } from '../../main/api/previews';

/** Defect 9: an island's picture shows it as drawn (its classes in their proportions), not its classes in turn. */
describe('island pictures', () => {
  it('are a seeded sample of distinct rows, the same for the same seed and island', () => {
    const a = islandPictureRows(1000, 16, 7, 0);
    expect(a).toHaveLength(16);
    expect(new Set(a).size).toBe(16);
    expect(a.every((r) => r >= 0 && r < 1000)).toBe(true);
    expect(Array.from(islandPictureRows(1000, 16, 7, 0))).toEqual(Array.from(a));
    expect(Array.from(islandPictureRows(1000, 16, 7, 1))).not.toEqual(Array.from(a));
    expect(Array.from(islandPictureRows(1000, 16, 8, 0))).not.toEqual(Array.from(a));
    // a small island shows all its rows
    expect(Array.from(islandPictureRows(5, 16, 7, 0)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(islandPictureRows(0, 16, 7, 0)).toHaveLength(0);
  });

  it('a skewed island looks skewed: 90% of one class shows about 90% of that class, not half', () => {
    // an island of 900 rows of class 0 then 100 of class 1 (splits list rows grouped by class)
    const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1));
    const rows = islandPictureRows(1000, 100, 3, 2);
    const ones = Array.from(rows).filter((r) => labels[r] === 1).length;
    expect(ones).toBeGreaterThan(2);
    expect(ones).toBeLessThan(22);
    // what the preview used to show: the classes in turn, half and half
    const cycled = showcaseRows({ x: new Float32Array(1000), n: 1000, dim: 1, labels }, 100);
    expect(Array.from(cycled).filter((r) => labels[r] === 1).length).toBe(50);
  });
});
