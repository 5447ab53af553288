import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readNpyAsFloat32 } from '../../main/data/npy';
import { takeRows, type Samples } from '../../main/data/samples';
import { startIslands } from '../../main/islands/start-islands';
import { selectionFeatures } from '../../main/selection/feature-space';
import { getScheme } from '../../main/selection/registry';
import { resolveSchemeParams } from '../../main/contract/selection/catalog';

/**
 * Selection in an ONNX network's space (issue 27): each island, in its own worker thread, runs the same ONNX file on
 * its own images; the moments they send are PyTorch's features' (make_onnx_features.py), and the OT schemes read them.
 */
const DIR = join(import.meta.dirname, '../fixtures/metrics/onnx');
const MODEL = join(DIR, 'tiny-features.onnx');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { featuresA: number[][]; featuresB: number[][] };
const load = (name: string): Samples => {
  const a = readNpyAsFloat32(join(DIR, name));
  return { x: a.data, n: a.shape[0], dim: a.shape[1] };
};
const a = load('images-a.npy');
const candidates = load('images-b.npy');
const rows = [0, 1].map((k) => Array.from({ length: 20 }, (_, i) => 2 * i + k));
const halves = rows.map((r) => takeRows(a, r));
const fleet = startIslands(halves, 0, { mode: 'workers', workers: 2 });
afterAll(() => fleet.close());

describe('selection features: onnx:PATH', () => {
  it("the islands' features are PyTorch's, and Scheme I selects on them", async () => {
    const features = selectionFeatures(`onnx:${MODEL}`, fleet.channels, { scheme: 'ot-proxy', datasetName: 'fixture', shape: [12, 12, 3] });
    const view = await features.view(candidates);
    expect(view.features).toMatchObject({ kind: 'onnx', onnx: MODEL, shape: [12, 12, 3] });
    expect(view.candidates.dim).toBe(12);
    for (let i = 0; i < candidates.n; i++) {
      for (let j = 0; j < 12; j++) expect(Math.abs(view.candidates.x[i * 12 + j] - expected.featuresB[i][j])).toBeLessThan(1e-5);
    }
    const answers = await Promise.all(fleet.channels.map((c) => c.request({ type: 'moments', features: view.features })));
    answers.forEach((m, k) => {
      for (let j = 0; j < 12; j++) {
        const mean = rows[k].reduce((s, r) => s + expected.featuresA[r][j], 0) / rows[k].length;
        expect(Math.abs(m.mean[j] - mean)).toBeLessThan(1e-5);
      }
    });
    const r = await getScheme('ot-proxy').select({
      ...view,
      keep: 10,
      islands: fleet.channels,
      reference: 'per-island',
      verifier: 0,
      seed: 0,
      params: resolveSchemeParams('ot-proxy', {}),
    });
    expect(new Set(r.selected).size).toBe(10);
  });

  it('refuses vectors, and names a missing network before any island works', async () => {
    const vectors = selectionFeatures(`onnx:${MODEL}`, fleet.channels, { scheme: 'center', datasetName: 'toy', shape: [432] });
    await expect(vectors.view(candidates)).rejects.toThrow(/needs images; dataset "toy" has vectors/);
    const missing = selectionFeatures(`onnx:${join(DIR, 'absent.onnx')}`, fleet.channels, {
      scheme: 'center',
      datasetName: 'x',
      shape: [12, 12, 3],
    });
    await expect(missing.view(candidates)).rejects.toThrow(/absent\.onnx does not exist/);
  });
});
