import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Samples } from '../../main/data/samples';
import type { GenerativeModel } from '../../main/models/generative-model';

/** Reproducibility checks of the seeded image models: same seed, same fit and samples; save → load, same samples. */

/** Two fresh models fitted to `data` with the same seed have the same first-epoch loss and draw the same n samples. */
export async function expectSameFitForSameSeed(make: () => GenerativeModel, data: Samples, seed: number, n: number): Promise<void> {
  const run = async () => {
    const m = make();
    const res = await m.fit(data, { seed });
    const s = await m.sample(n, 1);
    m.dispose();
    return { loss: res.epochLosses[0], s };
  };
  const a = await run();
  const b = await run();
  expect(b.loss).toBe(a.loss);
  expect(b.s).toEqual(a.s);
}

/**
 * Checks samples `s` that image model `m` drew with (n, seed): n·dim values in [0, 1], the same again for the same
 * seed, and the same from a copy saved to a temporary folder and loaded back with `load`.
 */
export async function expectReproducibleSamples(
  m: GenerativeModel,
  s: Float32Array,
  draw: { n: number; seed: number; dim: number },
  load: (dir: string) => Promise<GenerativeModel>,
): Promise<void> {
  const { n, seed, dim } = draw;
  expect(s).toHaveLength(n * dim);
  expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...s)).toBeLessThanOrEqual(1);
  expect(await m.sample(n, seed)).toEqual(s);
  const dir = mkdtempSync(join(tmpdir(), 'model-reload-'));
  try {
    await m.save(dir);
    const l = await load(dir);
    expect(await l.sample(n, seed)).toEqual(s);
    l.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
