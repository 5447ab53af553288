import { describe, expect, it } from 'vitest';
import { fasterOf, type TorchModelResult } from '../../bench/compare-model';

/** The reference measured before and after ours: each rate is the faster of the two, and both runs' blocks count. */
describe('fasterOf', () => {
  it('takes the faster rate per step and keeps the blocks of both runs', () => {
    const block = (rate: number) => ({ rate, loadBefore: 1, loadAfter: 1 });
    const before: TorchModelResult = {
      params: 10,
      torch: '1.13',
      threads: 1,
      imagesPerSecond: 100,
      trainImagesPerSecond: 100,
      sampleImagesPerSecond: 900,
      blocks: { train: [block(100)], sample: [block(900)] },
    };
    const after: TorchModelResult = {
      params: 10,
      torch: '1.13',
      threads: 1,
      imagesPerSecond: 140,
      trainImagesPerSecond: 140,
      sampleImagesPerSecond: 700,
      blocks: { train: [block(140)], sample: [block(700)] },
    };
    const merged = fasterOf(before, after);
    expect(merged.trainImagesPerSecond).toBe(140);
    expect(merged.imagesPerSecond).toBe(140);
    expect(merged.sampleImagesPerSecond).toBe(900);
    expect(merged.blocks.train).toHaveLength(2);
    expect(merged.blocks.sample.map((b) => b.rate)).toEqual([900, 700]);
    expect(after.blocks.train).toHaveLength(1); // the inputs are not changed
  });
});
