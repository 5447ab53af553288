import { afterAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../main/data/load-dataset';
import { takeRows } from '../../main/data/samples';
import { networkFeatures, moments } from '../../main/islands/island-agent';
import { startIslands } from '../../main/islands/start-islands';
import { selectionFeatures } from '../../main/selection/feature-space';
import { getScheme } from '../../main/selection/registry';

/** Reference-classifier features: each island (in its worker) runs the shipped MNIST classifier on its own data. */
const dataset = await loadDataset({ kind: 'mnist', subset: 300, testSubset: 100 }, 1);
const halves = [0, 1].map((k) =>
  takeRows(
    dataset.train,
    Array.from({ length: 150 }, (_, i) => 2 * i + k),
  ),
);
const fleet = startIslands(halves, dataset.numClasses, { mode: 'workers', workers: 2 });
afterAll(() => fleet.close());

describe('selection features: reference classifier', () => {
  it('the islands compute the same 128-d features as the selector, and schemes run on them', async () => {
    const features = selectionFeatures('reference', fleet.channels, { scheme: 'center', datasetName: 'mnist' });
    const view = await features.view(dataset.test);
    expect(view.candidates.dim).toBe(128);
    expect(view.features.kind).toBe('classifier');
    const answers = await Promise.all(fleet.channels.map((c) => c.request({ type: 'moments', features: view.features })));
    for (const [k, a] of answers.entries()) {
      const local = await networkFeatures(halves[k], view.features);
      const m = moments(local.x, local.n, local.dim);
      for (let j = 0; j < 128; j++) expect(a.mean[j]).toBeCloseTo(m.mean[j], 3);
    }
    const r = await getScheme('center').select({
      ...view,
      keep: 20,
      islands: fleet.channels,
      reference: 'pooled',
      verifier: 0,
      seed: 0,
      params: {},
    });
    expect(new Set(r.selected).size).toBe(20);
  });
});
