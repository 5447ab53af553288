// @vitest-environment happy-dom
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiCallError, setClient } from '../../renderer/src/api/client';
import { useWizardStore } from '../../renderer/src/stores/wizard';
import { findPreset } from '../../main/presets';
import { fakeClient, flush, type FakeClient } from './fake-client';

let client: FakeClient;

async function ready() {
  const w = useWizardStore();
  await w.init();
  return w;
}

// the wizard keeps its draft in the browser's storage: every test starts without one
beforeEach(() => localStorage.clear());
beforeEach(() => {
  client = fakeClient();
  setClient(client);
  setActivePinia(createPinia());
});

describe('wizard store', () => {
  it('loads presets and the catalog, and starts from the first preset with the catalog defaults under its values', async () => {
    const w = await ready();
    const smoke = findPreset('smoke').config;
    expect(w.presetName).toBe('smoke');
    expect(w.draft.loop.generations).toBe(smoke.loop.generations);
    expect(w.draft.model.kind).toBe(smoke.model.kind);
    // the preset's own values win; the catalog fills the rest
    expect(w.draft.model.params).toMatchObject({ ...smoke.model.params, learningRate: 1e-3, hidden: [400, 400] });
    expect(w.issues).toEqual([]);
    expect(w.canLaunch).toBe(true);
  });

  it('shows the contract’s validation at each field, counted per step, and blocks the launch', async () => {
    const w = await ready();
    w.draft.loop.generations = 0;
    w.draft.islands.split = 'dirichlet:-1';
    w.draft.model.params.latent = 0;
    w.draft.selection.verifier = 5;
    expect(w.fieldError('loop.generations')).toMatch(/>=\s*1|at least|too small/i);
    expect(w.fieldError('islands.split')).toMatch(/ALPHA must be > 0/);
    expect(w.fieldError('model.params.latent')).toBeDefined();
    expect(w.fieldError('model.params')).toBeDefined();
    expect(w.fieldError('selection.verifier')).toMatch(/verifier island 5 does not exist/);
    expect(w.fieldError('dataset')).toBeUndefined();
    expect(w.stepIssueCount('dataset')).toBe(0);
    expect(w.stepIssueCount('islands')).toBe(1);
    expect(w.stepIssueCount('scheme')).toBe(2);
    expect(w.stepIssueCount('model')).toBe(1);
    expect(w.canLaunch).toBe(false);
    expect(await w.launch()).toBeNull();
    expect(w.launchError).toMatch(/4 invalid/);
    expect(client.calls.some((c) => c.op === 'runs.start')).toBe(false);
  });

  it('keeps each kind’s values when switching dataset, model or scheme and back', async () => {
    const w = await ready();
    w.draft.dataset.subset = 1234;
    w.setDatasetKind('gaussian');
    expect(w.draft.dataset).toEqual({ kind: 'gaussian', dim: 10, trainSize: 1000, testSize: 1000 });
    w.setDatasetKind('mnist');
    expect(w.draft.dataset.subset).toBe(1234);
    w.draft.model.params.latent = 7;
    w.setModelKind('gmm');
    expect(w.draft.model.params).toMatchObject({ k: 10, covariance: 'full' });
    w.setModelKind('vae-mlp');
    expect(w.draft.model.params.latent).toBe(7);
    w.setScheme('none');
    expect(w.draft.selection).toMatchObject({ scheme: 'none', params: {} });
  });

  it('gives a dataset kind without a hand-made form the defaults of its schema', async () => {
    const w = await ready();
    w.setDatasetKind('gaussian-mixture');
    expect(w.draft.dataset.kind).toBe('gaussian-mixture');
    expect(w.fieldError('dataset')).toBeUndefined();
  });

  it('exports the config as JSON and imports it back; bad JSON is refused, an invalid config shows its issues', async () => {
    const w = await ready();
    w.draft.name = 'mine';
    const json = w.exportJson();
    expect(JSON.parse(json)).toMatchObject({ name: 'mine', loop: { generations: findPreset('smoke').config.loop.generations } });
    w.applyPreset('gaussian-collapse');
    expect(w.draft.name).toBe('gaussian-collapse');
    expect(w.importJson(json)).toBe(true);
    expect(w.draft.name).toBe('mine');
    expect(w.presetName).toBe('');
    expect(w.importJson('{ nope')).toBe(false);
    expect(w.importError).toMatch(/not valid JSON/);
    expect(w.importJson('[1]')).toBe(false);
    const bad = JSON.parse(json);
    bad.loop.keep = -5;
    expect(w.importJson(JSON.stringify(bad))).toBe(true);
    expect(w.fieldError('loop.keep')).toBeDefined();
  });

  it('keeps sections it has no step for (e.g. metrics) from a preset or an imported file', async () => {
    const w = await ready();
    const cfg = JSON.parse(w.exportJson());
    cfg.metrics = { k: 5 };
    expect(w.importJson(JSON.stringify(cfg))).toBe(true);
    expect(JSON.parse(w.exportJson()).metrics).toEqual({ k: 5 });
  });

  it('launches with the config; the engine’s field issues show at the field until the next edit', async () => {
    const w = await ready();
    client.handlers['runs.start'] = () => ({ runId: 'run-1' });
    expect(await w.launch()).toBe('run-1');
    const start = client.calls.find((c) => c.op === 'runs.start')!;
    expect((start.request as { config: { name: string } }).config.name).toBe('smoke');

    client.handlers['runs.start'] = () => {
      throw new ApiCallError('runs.start', {
        code: 'invalid-config',
        message: 'invalid config',
        issues: [{ path: 'dataset.path', message: 'no such folder' }],
      });
    };
    expect(await w.launch()).toBeNull();
    expect(w.fieldError('dataset.path')).toBe('no such folder');
    w.draft.name = 'edited';
    await flush();
    expect(w.fieldError('dataset.path')).toBeUndefined();
  });

  it('previews the islands, and a late answer to an old request does not overwrite a newer one', async () => {
    const w = await ready();
    const pending: ((v: unknown) => void)[] = [];
    client.handlers['split.preview'] = () => new Promise((resolve) => pending.push(resolve as (v: unknown) => void));
    const answer = (count: number) => ({
      dataset: 'mnist',
      numClasses: 10,
      classNames: null,
      trainSize: 2000,
      testSize: 1000,
      islands: Array.from({ length: count }, () => ({ size: 2000 / count, classCounts: [], picture: null })),
    });
    const first = w.previewSplit();
    w.draft.islands.count = 4;
    const second = w.previewSplit();
    pending[1](answer(4));
    await second;
    pending[0](answer(2));
    await first;
    expect(w.splitPreview?.islands).toHaveLength(4);
    expect(w.splitPreviewLoading).toBe(false);
    const sent = client.calls
      .filter((c) => c.op === 'split.preview')
      .map((c) => (c.request as { islands: { count: number } }).islands.count);
    expect(sent).toEqual([2, 4]);
  });

  it('does not ask for a preview of an invalid dataset; reports a preview’s error', async () => {
    const w = await ready();
    w.draft.dataset.subset = -1;
    await w.previewDataset();
    expect(client.calls.some((c) => c.op === 'dataset.preview')).toBe(false);
    w.draft.dataset.subset = 100;
    client.handlers['dataset.preview'] = () => {
      throw new Error('MNIST files missing');
    };
    await w.previewDataset();
    expect(w.datasetPreviewError).toBe('MNIST files missing');
  });

  it('asks the engine for the estimate of a valid config', async () => {
    const w = await ready();
    client.handlers['config.validate'] = () => ({
      valid: true,
      config: {} as never,
      estimate: { seconds: 42, trainingSamples: [1], basis: 'test' },
    });
    await w.refreshEstimate();
    expect(w.estimate?.seconds).toBe(42);
  });
});
