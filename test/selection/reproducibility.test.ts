import { afterAll, describe, expect, it } from 'vitest';
import type { Samples } from '../../main/data/samples';
import { moments } from '../../main/islands/island-agent';
import { startIslands } from '../../main/islands/start-islands';
import { fitPca } from '../../main/metrics/pca';
import { schemeNames } from '../../main/contract/selection/catalog';
import { selectionFeatures } from '../../main/selection/feature-space';
import { getScheme } from '../../main/selection/registry';
import { Rng } from '../../main/util/random';

const d = 6;
const rng = new Rng(5);
const islandData: Samples[] = [0, 1].map((k) => ({
  x: Float32Array.from({ length: 80 * d }, (_, q) => rng.normal() * (1 + (q % d) / 3) + (q % d === k ? 3 : 0)),
  n: 80,
  dim: d,
}));
const candidates: Samples = { x: Float32Array.from({ length: 150 * d }, () => rng.normal() * 2), n: 150, dim: d };
const inWorkers = startIslands(islandData, 0, { mode: 'workers', workers: 2 });
const inProcess = startIslands(islandData, 0, { mode: 'in-process' });
afterAll(() => inWorkers.close());

const params = (name: string) => (name === 'ot-barycenter' ? { support: 40, rounds: 3 } : {});

describe('seeded and reproducible', () => {
  it('each scheme gives the same selection for the same seed, in worker threads and in process', async () => {
    for (const name of schemeNames) {
      const run = (channels: typeof inProcess.channels, seed: number) =>
        getScheme(name).select({
          candidates,
          keep: 40,
          islands: channels,
          reference: 'per-island',
          verifier: 0,
          seed,
          runSeed: 1,
          params: params(name),
        });
      const a = await run(inWorkers.channels, 3);
      const b = await run(inWorkers.channels, 3);
      const c = await run(inProcess.channels, 3);
      expect(Array.from(b.selected), name).toEqual(Array.from(a.selected));
      expect(Array.from(c.selected), name).toEqual(Array.from(a.selected));
      if (name === 'random' || name === 'kmeans') {
        const e = await run(inWorkers.channels, 4);
        expect(Array.from(e.selected), name).not.toEqual(Array.from(a.selected));
      }
    }
  });

  it('Scheme II computes its barycenter once per instance (per run) and reuses it', async () => {
    const scheme = getScheme('ot-barycenter');
    const input = {
      candidates,
      keep: 40,
      islands: inProcess.channels,
      reference: 'local' as const,
      verifier: 0,
      seed: 1,
      params: params('ot-barycenter'),
    };
    for (const c of inProcess.channels) c.resetCounters();
    const first = await scheme.select(input);
    const bytesFirst = inProcess.channels.map((c) => c.bytesSent);
    for (const c of inProcess.channels) c.resetCounters();
    const second = await scheme.select({ ...input, seed: 2 });
    expect(first.diagnostics.barycenterCached).toBe(0);
    expect(second.diagnostics.barycenterCached).toBe(1);
    expect(Array.from(second.selected)).toEqual(Array.from(first.selected));
    expect(Math.min(...bytesFirst)).toBeGreaterThan(3 * 40 * d * 4); // three rounds of S × d float32 points
    expect(inProcess.channels.map((c) => c.bytesSent)).toEqual([0, 0]); // the radius and the barycenter are cached too
  });
});

describe('selection feature space', () => {
  it('pca:K: the top axes of the pooled real data, fitted from the islands’ moments; islands project the same way', async () => {
    const view = await selectionFeatures('pca:3', inProcess.channels, { scheme: 'center', datasetName: 'x' }).view(candidates);
    expect(view.candidates.dim).toBe(3);
    const pooled: Samples = { x: Float32Array.from([...islandData[0].x, ...islandData[1].x]), n: 160, dim: d };
    const ref = fitPca(pooled.x, pooled.n, d, 3);
    // same subspace: the projection of each reference axis onto ours has unit norm
    const M = view.features.matrix!;
    for (let c = 0; c < 3; c++) {
      let norm2 = 0;
      for (let k = 0; k < 3; k++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += ref.components[c * d + j] * M[j * 3 + k];
        norm2 += dot * dot;
      }
      expect(norm2).toBeCloseTo(1, 6);
    }
    // the centre is the pooled mean
    const mean = moments(pooled.x, pooled.n, d).mean;
    for (let j = 0; j < d; j++) expect(view.features.centre![j]).toBeCloseTo(mean[j], 5);
  });
  it('none and random ask no island anything, whatever the features', async () => {
    for (const c of inProcess.channels) c.resetCounters();
    const view = await selectionFeatures('pca:3', inProcess.channels, { scheme: 'random', datasetName: 'x' }).view(candidates);
    expect(view.candidates).toBe(candidates);
    expect(inProcess.channels.map((c) => c.bytesSent)).toEqual([0, 0]);
  });
  it('reference features need a reference classifier for the dataset', async () => {
    const f = selectionFeatures('reference', inProcess.channels, { scheme: 'center', datasetName: 'my-data' });
    await expect(f.view(candidates)).rejects.toThrow(/needs a reference classifier for dataset "my-data"/);
  });
});
