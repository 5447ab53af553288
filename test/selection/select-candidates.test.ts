import { describe, expect, it } from 'vitest';
import { selectionConfig } from '../../main/contract/config';
import type { Samples } from '../../main/data/samples';
import { startIslands } from '../../main/islands/start-islands';
import { selectionFeatures } from '../../main/selection/feature-space';
import { getScheme } from '../../main/selection/registry';
import { candidateSelector, selectCandidates } from '../../main/selection/select-candidates';
import { Rng } from '../../main/util/random';

/** The one selection sequence (features → view → scheme) that the loop and `collapse-lab select` both call. */

const d = 5;
const rng = new Rng(17);
const islandData: Samples[] = [0, 1, 2].map((k) => ({
  x: Float32Array.from({ length: 60 * d }, (_, q) => rng.normal() * (1 + (q % d) / 4) + (q % d === k ? 2.5 : 0)),
  n: 60,
  dim: d,
}));
const candidates: Samples = { x: Float32Array.from({ length: 120 * d }, () => rng.normal() * 2), n: 120, dim: d };
const block = (input: Record<string, unknown>) => selectionConfig.parse(input);

describe('selectCandidates', () => {
  it('equals the scheme called on the candidates in the run’s feature space, and reports its space, time and bytes', async () => {
    const selection = block({ scheme: 'covmatch', reference: 'per-island', verifier: 0, features: 'pca:3' });
    const fleet = startIslands(islandData, 0, { mode: 'in-process' });
    const got = await selectCandidates(candidates, {
      selection,
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'raw',
      runSeed: 9,
      keep: 30,
      seed: 4,
    });

    const direct = startIslands(islandData, 0, { mode: 'in-process' });
    const view = await selectionFeatures('pca:3', direct.channels, { scheme: 'covmatch', datasetName: 'toy' }).view(candidates);
    const expected = await getScheme('covmatch').select({
      ...view,
      keep: 30,
      islands: direct.channels,
      reference: 'per-island',
      verifier: 0,
      seed: 4,
      runSeed: 9,
      params: selection.params,
    });
    expect(Array.from(got.selected)).toEqual(Array.from(expected.selected));
    expect(got.diagnostics).toEqual({ features: 'pca:3', ...expected.diagnostics });
    expect(got.islandBytesSent).toEqual(direct.channels.map((c) => c.bytesSent));
    expect(Math.min(...got.islandBytesSent)).toBeGreaterThan(0);
    expect(got.seconds).toBeGreaterThan(0);
  });

  it('uses the default feature space when the block names none', async () => {
    const fleet = startIslands(islandData, 0, { mode: 'in-process' });
    const selection = block({ scheme: 'center', reference: 'pooled' });
    const got = await selectCandidates(candidates, {
      selection,
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'pca:2',
      runSeed: 0,
      keep: 10,
      seed: 0,
    });
    expect(got.diagnostics.features).toBe('pca:2');
    const raw = await selectCandidates(candidates, {
      selection: { ...selection, features: 'raw' },
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'pca:2',
      runSeed: 0,
      keep: 10,
      seed: 0,
    });
    expect(raw.diagnostics.features).toBe('raw');
  });

  it('a selector counts each selection’s bytes afresh and keeps its per-run state between selections', async () => {
    const fleet = startIslands(islandData, 0, { mode: 'in-process' });
    const selector = candidateSelector({
      selection: block({ scheme: 'ot-barycenter', reference: 'local', verifier: 1, params: { support: 20, rounds: 2 } }),
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'raw',
      runSeed: 3,
    });
    expect(selector.features).toBe('raw');
    const first = await selector.select(candidates, { keep: 25, seed: 1 });
    const second = await selector.select(candidates, { keep: 25, seed: 2 });
    expect(first.diagnostics.barycenterCached).toBe(0);
    expect(second.diagnostics.barycenterCached).toBe(1); // the same scheme instance: Scheme II's barycenter is reused
    expect(Math.min(...first.islandBytesSent)).toBeGreaterThan(0);
    expect(second.islandBytesSent).toEqual([0, 0, 0]); // not the first selection's bytes again
  });

  it('refuses a keep outside 1 … candidates, naming it', async () => {
    const fleet = startIslands(islandData, 0, { mode: 'in-process' });
    const opts = {
      selection: block({ scheme: 'random' }),
      islands: fleet.channels,
      datasetName: 'toy',
      defaultFeatures: 'raw' as const,
      runSeed: 0,
      seed: 0,
    };
    await expect(selectCandidates(candidates, { ...opts, keep: 121 })).rejects.toThrow(/keep 121/);
    await expect(selectCandidates(candidates, { ...opts, keep: 0 })).rejects.toThrow(/keep 0/);
  });
});
