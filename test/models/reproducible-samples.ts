import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

interface SamplingModel {
  sample(n: number, seed: number): Promise<Float32Array>;
  save(dir: string): Promise<void>;
  dispose(): void;
}

/**
 * Checks samples `s` that image model `m` drew with (n, seed): n·dim values in [0, 1], the same again for the same
 * seed, and the same from a copy saved to a temporary folder and loaded back with `load`.
 */
export async function expectReproducibleSamples(
  m: SamplingModel,
  s: Float32Array,
  draw: { n: number; seed: number; dim: number },
  load: (dir: string) => Promise<SamplingModel>,
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
