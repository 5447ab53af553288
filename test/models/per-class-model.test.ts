import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Samples } from '../../main/data/samples';
import { GaussianModel } from '../../main/models/gaussian';
import { PerClassModel } from '../../main/models/per-class-model';
import { createModel, loadModel } from '../../main/models/registry';
import { deriveSeed, Rng } from '../../main/util/random';

/** Two classes in 2-D, far apart: class 0 around (0, 0), class 1 around (10, −10), interleaved rows. */
function twoClasses(n: number, seed: number): Samples {
  const r = new Rng(seed);
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 3 === 0 ? 1 : 0;
    x[2 * i] = r.normal() + 10 * labels[i];
    x[2 * i + 1] = r.normal() - 10 * labels[i];
  }
  return { x, n, dim: 2, labels };
}

describe('per-class model (config model.perClass)', () => {
  it('fits one model of the kind per class on that class’s rows and draws equal shares in class blocks', async () => {
    const data = twoClasses(90, 3);
    const m = createModel({ kind: 'gaussian', params: {}, perClass: true }, [2]) as PerClassModel;
    await m.fit(data, { seed: 7 });
    expect(m.classes).toEqual([0, 1]);

    // each class's model is the kind's own fit on that class's rows, with its own seed
    for (const c of [0, 1]) {
      const rows = Array.from({ length: data.n }, (_, i) => i).filter((i) => data.labels![i] === c);
      const own = new GaussianModel({}, [2]);
      await own.fit({ x: Float32Array.from(rows.flatMap((i) => [data.x[2 * i], data.x[2 * i + 1]])), n: rows.length, dim: 2 }, { seed: 0 });
      const sample = await m.sample(5, 11);
      const block = c === 0 ? sample.subarray(0, 6) : sample.subarray(6, 10);
      expect(Array.from(block)).toEqual(Array.from(await own.sample(c === 0 ? 3 : 2, deriveSeed(11, 'class', c))));
    }
    expect(Array.from(m.sampleLabels(5))).toEqual([0, 0, 0, 1, 1]);
    const big = await m.sample(400, 1);
    const labels = m.sampleLabels(400);
    let wrongSide = 0;
    for (let i = 0; i < 400; i++) if (big[2 * i] > 5 !== (labels[i] === 1)) wrongSide++;
    expect(wrongSide).toBe(0);
  });

  it('saves and loads: the loaded model draws the same samples and keeps the base kind’s params', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'per-class-'));
    try {
      const m = createModel({ kind: 'gaussian', params: { ridge: 0.5 }, perClass: true }, [2]);
      await m.fit(twoClasses(60, 5), { seed: 2 });
      await m.save(dir);
      const back = (await loadModel(dir)) as PerClassModel;
      expect(back).toBeInstanceOf(PerClassModel);
      expect(back.baseParams).toEqual({ ridge: 0.5 });
      expect(Array.from(await back.sample(7, 4))).toEqual(Array.from(await m.sample(7, 4)));
      expect(Array.from(back.sampleLabels(7))).toEqual([0, 0, 0, 0, 1, 1, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a training set without class labels, naming the setting, and an unknown base kind at creation', async () => {
    const m = createModel({ kind: 'gaussian', params: {}, perClass: true }, [2]);
    const { x, n, dim } = twoClasses(30, 1);
    await expect(m.fit({ x, n, dim }, { seed: 1, generation: 2 })).rejects.toThrow(/model\.perClass.*generation 2 has no class labels/);
    await expect(m.sample(3, 1)).rejects.toThrow(/not been fitted/);
    expect(() => createModel({ kind: 'nope', perClass: true }, [2])).toThrow(/unknown model kind "nope"/);
  });
});
