import { describe, expect, it } from 'vitest';
import { describeLoad, isBusy, median, timeBlocks } from '../../main/bench/timed-blocks';

describe('timed blocks', () => {
  it('median of odd and even counts, and no values refused', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });

  it('busy means load above half the cores', () => {
    expect(isBusy(1.0, 2)).toBe(false);
    expect(isBusy(1.01, 2)).toBe(true);
    expect(describeLoad([{ rate: 1, loadBefore: 0.2, loadAfter: 0.4 }], 2)).toBe('load 0.2→0.4');
    expect(describeLoad([{ rate: 1, loadBefore: 0.2, loadAfter: 3 }], 2)).toBe('load 0.2→3.0 BUSY');
  });

  it('times the given number of blocks after the warm-up, rates from the calls made', async () => {
    let calls = 0;
    const r = await timeBlocks(
      () => {
        calls++;
        const t = performance.now();
        while (performance.now() - t < 2);
      },
      10,
      { blockSeconds: 0.02, blocks: 3, warmup: 2 },
    );
    expect(r.blocks).toHaveLength(3);
    // each call takes ≥ 2 ms and handles 10 items: at most 5,000 items/s
    for (const b of r.blocks) expect(b.rate).toBeLessThanOrEqual(5000);
    expect(r.median).toBeGreaterThan(0);
    expect(calls).toBeGreaterThanOrEqual(2 + 3);
    await expect(timeBlocks(() => undefined, 1, { blockSeconds: 0, blocks: 1 })).rejects.toThrow(/blockSeconds/);
    await expect(timeBlocks(() => undefined, 1, { blockSeconds: 1, blocks: 0 })).rejects.toThrow(/blocks/);
  });
});
