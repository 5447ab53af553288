// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import type { MetricsLine } from '../../main/contract/run-record';
import { setClient } from '../../renderer/src/api/client';
import { useRunViewStore } from '../../renderer/src/stores/run-view';
import { classHistogram, epochLosses, humanize, metricSeries } from '../../renderer/src/stores/metric-series';
import { findPreset } from '../../main/presets';
import { compareRuns } from '../../renderer/src/compare/aggregate';
import { tableColumns } from '../../main/shared/study-table';
import { fakeClient, smokeConfig, type FakeClient } from './fake-client';

let client: FakeClient;
let generations: number;

function detail(): RunDetailDto {
  const metrics: MetricsLine[] = Array.from({ length: generations }, (_, g) => ({
    generation: g,
    trainLoss: 100 - g,
    varianceTrace: 50 / (g + 1),
    epochLosses: [120 - g, 100 - g],
    classHistogram: [g, 10 - g],
    selection: { features: 'raw', kept: 10, note: 'x' },
    seconds: 2,
  }));
  return {
    id: 'r',
    name: 'smoke',
    state: 'running',
    lastGeneration: generations - 1,
    generations: 5,
    startedAt: '',
    updatedAt: '',
    dataset: 'mnist',
    model: 'vae-mlp',
    scheme: 'random',
    active: true,
    dir: '/ws/r',
    config: smokeConfig(),
    environment: null,
    islands: { split: 'iid', numClasses: 2, classNames: ['a', 'b'], islands: [{ size: 4, classCounts: [2, 2] }] },
    metrics,
    files: {
      generations: metrics.map((m) => ({
        generation: m.generation,
        samples: `gen-00${m.generation}/samples.png`,
        rejected: m.generation === 0 ? null : `gen-00${m.generation}/rejected.png`,
      })),
      islands: ['islands/island-00.png', 'islands/island-01.png'],
    },
  };
}

beforeEach(() => {
  generations = 3;
  client = fakeClient({ 'runs.get': () => detail() });
  setClient(client);
  setActivePinia(createPinia());
});

describe('the names of raw-data metrics follow the dataset', () => {
  const line = (g: number): MetricsLine => ({ generation: g, tracePixels: 10 - g, tracePixelsTest: 12, varianceTrace: 9 - g });
  const lines = [line(0), line(1)];
  const gaussian = () => JSON.parse(JSON.stringify(findPreset('gaussian-collapse').config));

  it('a run on MNIST offers Tr(Σ) pixels; a run on the Gaussian toy offers Tr(Σ) data, never pixels', async () => {
    const v = useRunViewStore();
    await v.open('r');
    client.handlers['runs.get'] = () => ({ ...detail(), metrics: lines });
    await v.reload();
    expect(v.detail?.config.dataset.kind).toBe('mnist');
    expect(v.series.map((s) => s.label)).toEqual(['Tr(Σ) of the kept samples', 'Tr(Σ) pixels', 'Tr(Σ) pixels, test']);

    client.handlers['runs.get'] = () => ({ ...detail(), metrics: lines, config: gaussian() });
    await v.reload();
    expect(v.detail?.config.dataset.kind).toBe('gaussian');
    expect(v.series.map((s) => s.label)).toEqual(['Tr(Σ) of the kept samples', 'Tr(Σ) data', 'Tr(Σ) data, test']);
    expect(v.series.some((s) => /pixel/i.test(s.label))).toBe(false);
  });

  it('a comparison names them by its runs: pixels for MNIST runs, data for Gaussian runs or a mix', () => {
    const label = (configs: Record<string, unknown>[]) => {
      const { aggregate } = compareRuns(configs.map((config, i) => ({ id: `r${i}`, config: { ...config, seed: i }, metrics: lines })));
      return tableColumns(aggregate, ['tracePixels']).map((c) => c.label);
    };
    expect(label([smokeConfig(), smokeConfig()])).toEqual(['Tr(Σ) pixels']);
    expect(label([gaussian(), gaussian()])).toEqual(['Tr(Σ) data']);
    expect(label([smokeConfig(), gaussian()])).toEqual(['Tr(Σ) data']);
  });
});

describe('run view store', () => {
  it('opens at the newest generation with its grid, the islands’ grids and the metric series', async () => {
    const v = useRunViewStore();
    await v.open('r');
    expect(v.maxGeneration).toBe(2);
    expect(v.generation).toBe(2);
    expect(v.currentSamples).toBe('/files/r/gen-002/samples.png');
    expect(v.islandPictures).toEqual(['/files/r/islands/island-00.png', '/files/r/islands/island-01.png']);
    expect(v.histogram).toEqual([2, 8]);
    // the catalog's order (diversity before training), unnamed keys after its measurements, its cost last
    expect(v.series.map((s) => s.key)).toEqual(['varianceTrace', 'trainLoss', 'selection.kept', 'seconds']);
    expect(v.series.map((s) => s.label)).toEqual(['Tr(Σ) of the kept samples', 'Training loss', 'Selection · Kept', 'Generation s']);
    expect(v.series[1].values).toEqual([100, 99, 98]);
    expect(v.losses).toHaveLength(3);
  });

  it('one generation for every panel: step, first, last, typed values clamp to what exists', async () => {
    const v = useRunViewStore();
    await v.open('r');
    v.step(-1);
    expect(v.generation).toBe(1);
    expect(v.currentSamples).toBe('/files/r/gen-001/samples.png');
    expect(v.histogram).toEqual([1, 9]);
    v.first();
    v.step(-1);
    expect(v.generation).toBe(0);
    v.last();
    v.step(1);
    expect(v.generation).toBe(2);
    v.setGeneration(99);
    expect(v.generation).toBe(2);
    v.setGeneration(-3);
    expect(v.generation).toBe(0);
    v.setGeneration(1.4);
    expect(v.generation).toBe(1);
    v.setGeneration(Number('abc'));
    expect(v.generation).toBe(1);
  });

  it('follows new generations while at the newest, and stays put once the user stepped back', async () => {
    const v = useRunViewStore();
    await v.open('r');
    generations = 4;
    await v.reload();
    expect(v.generation).toBe(3);
    v.setGeneration(1);
    generations = 5;
    await v.reload();
    expect(v.generation).toBe(1);
    v.last();
    expect(v.follow).toBe(true);
  });

  it('zooms between 1× and 8×', async () => {
    const v = useRunViewStore();
    v.setZoom(20);
    expect(v.zoom).toBe(8);
    v.setZoom(0);
    expect(v.zoom).toBe(1);
  });

  it('reports a failed load', async () => {
    client.handlers['runs.get'] = () => {
      throw new Error('no run "x"');
    };
    const v = useRunViewStore();
    await v.open('x');
    expect(v.error).toBe('no run "x"');
    expect(v.maxGeneration).toBe(-1);
  });
});

describe('metric series', () => {
  it('takes every numeric field (nested one level), leaves arrays and text; names, sections and order from the catalog', () => {
    const s = metricSeries([
      { generation: 0, kept: 50, seconds: 1, fid: 3, extra: 1, nested: { a: 2, b: 'x' }, list: [1], trainLoss: null },
      { generation: 1, fid: 2, trainLoss: 5, w1: 0.5, classesCovered: 7 },
    ]);
    // catalog keys in catalog order, then keys it does not name, then its cost and its bookkeeping
    expect(s.map((x) => x.key)).toEqual(['fid', 'w1', 'classesCovered', 'trainLoss', 'extra', 'nested.a', 'seconds', 'kept']);
    expect(s.map((x) => x.label)).toEqual([
      'FID',
      'W₁',
      'Classes covered',
      'Training loss',
      'Extra',
      'Nested · A',
      'Generation s',
      'Kept n',
    ]);
    expect(s.map((x) => x.section)).toEqual(['quality', 'quality', 'diversity', 'training', 'other', 'other', 'cost', 'bookkeeping']);
    expect(s.find((x) => x.key === 'trainLoss')?.values).toEqual([null, 5]);
    expect(s[0].generations).toEqual([0, 1]);
    expect(humanize('nested.meanDistanceToReal')).toBe('Nested · Mean Distance To Real');
    expect(epochLosses([{ generation: 0, epochLosses: [3, null, 2] }, { generation: 1 }])).toEqual([{ generation: 0, losses: [3, 2] }]);
    expect(classHistogram({ generation: 0, classHistogram: [0.5, 0.5] })).toEqual([0.5, 0.5]);
    expect(classHistogram({ generation: 0 })).toBeNull();
  });
});
