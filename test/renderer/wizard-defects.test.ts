// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunSummaryDto } from '../../main/contract/api';
import { setClient } from '../../renderer/src/api/client';
import { useRunsStore } from '../../renderer/src/stores/runs';
import { STORAGE_KEY, useWizardStore } from '../../renderer/src/stores/wizard';
import RunsView from '../../renderer/src/views/RunsView.vue';
import WizardView from '../../renderer/src/views/WizardView.vue';
import { fakeClient, flush, smokeConfig, type FakeClient } from './fake-client';
import { route } from '../../renderer/src/router';

/** Regression tests of the defects the walk-through of issue 11 found in the wizard and the runs list. */

let client: FakeClient;
let pinia: Pinia;
let wrapper: VueWrapper | null = null;

beforeEach(() => {
  localStorage.clear();
  client = fakeClient({
    'config.validate': ({ config }) => ({
      valid: true,
      config: config as never,
      estimate: { seconds: 90, trainingSamples: [], basis: '3 epochs × 12000 samples per generation' },
    }),
    'split.preview': () => ({ dataset: 'mnist', numClasses: 10, classNames: null, trainSize: 100, testSize: 10, islands: [] }),
  });
  setClient(client);
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
  vi.restoreAllMocks();
});

async function wizard() {
  wrapper = mount(WizardView, { global: { plugins: [pinia], stubs: { VChart: true, echarts: true } }, attachTo: document.body });
  await flush();
  await flush();
  return useWizardStore();
}

describe('defect 1: a number field accepts every intermediate text', () => {
  it('keeps the split kind and the typed text while α is typed key by key, cleared, negative or not a number', async () => {
    const w = await wizard();
    await wrapper!.get('[data-step="islands"]').trigger('click');
    await wrapper!.get('#is-kind').setValue('dirichlet');
    const kind = () => (wrapper!.get('#is-kind').element as HTMLSelectElement).value;
    for (const text of ['0', '0.', '0.0', '0.05']) {
      await wrapper!.get('#is-alpha').setValue(text);
      await flush();
      expect(kind()).toBe('dirichlet');
      expect((wrapper!.get('#is-alpha').element as HTMLInputElement).value).toBe(text);
    }
    expect(w.draft.islands.split).toBe('dirichlet:0.05');
    expect(w.fieldError('islands.split')).toBeUndefined();
    for (const [text, split] of [
      ['', 'dirichlet:'],
      ['-1', 'dirichlet:-1'],
      ['abc', 'dirichlet:'],
    ]) {
      await wrapper!.get('#is-alpha').setValue(text);
      await flush();
      expect(kind()).toBe('dirichlet');
      expect((wrapper!.get('#is-alpha').element as HTMLInputElement).value).toBe(text);
      expect(w.draft.islands.split).toBe(split);
      expect(w.fieldError('islands.split')).toBeDefined();
    }
    await wrapper!.get('#is-alpha').setValue('0.3');
    expect(w.draft.islands.split).toBe('dirichlet:0.3');
    // ExDir's two numbers, and quantity's β
    await wrapper!.get('#is-kind').setValue('exdir');
    await wrapper!.get('#is-c').setValue('');
    await flush();
    expect(kind()).toBe('exdir');
    expect(w.draft.islands.split).toBe('exdir:,0.3');
    await wrapper!.get('#is-c').setValue('2');
    expect(w.draft.islands.split).toBe('exdir:2,0.3');
    await wrapper!.get('#is-kind').setValue('quantity');
    await wrapper!.get('#is-beta').setValue('0.');
    await flush();
    expect(kind()).toBe('quantity');
    expect((wrapper!.get('#is-beta').element as HTMLInputElement).value).toBe('0.');
  });
});

describe('defect 4: an imported config with a wrong-typed field is an error, not a default', () => {
  it('reports seed, gridSamples and name at their fields', async () => {
    const w = await wizard();
    expect(w.importJson(JSON.stringify({ ...smokeConfig(), seed: '3', gridSamples: 'many', name: 5 }))).toBe(true);
    expect(w.fieldError('seed')).toBeDefined();
    expect(w.fieldError('gridSamples')).toBeDefined();
    expect(w.fieldError('name')).toBeDefined();
    expect(w.canLaunch).toBe(false);
    // the wrong-typed value is no default in disguise: the field is empty, and its message goes when it gets a value
    expect(w.draft.seed).toBeUndefined();
    w.draft.seed = 3;
    await flush();
    expect(w.fieldError('seed')).toBeUndefined();
    expect(w.fieldError('gridSamples')).toBeDefined();
    // a reload keeps the fields still wrong
    await flush();
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).invalid).toEqual({
      gridSamples: { value: 'many', message: expect.any(String) },
      name: { value: 5, message: expect.any(String) },
    });
    // absent fields still take the defaults
    expect(w.importJson(JSON.stringify({ ...smokeConfig(), seed: undefined }))).toBe(true);
    expect(w.draft.seed).toBe(0);
    expect(w.fieldError('seed')).toBeUndefined();
  });
});

describe('defect 8: the draft survives a reload; an edited preset says so', () => {
  it('restores the draft, the step and the study from the browser’s storage', async () => {
    const w = await wizard();
    expect(w.presetName).toBe('smoke');
    expect(w.presetEdited).toBe(false);
    w.draft.loop.generations = 7;
    w.goTo(2);
    w.study.enabled = true;
    await flush();
    expect(w.presetEdited).toBe(true);
    expect(wrapper!.get('[data-testid=preset] option[value=smoke]').text()).toMatch(/smoke, edited/);
    expect(wrapper!.get('[data-testid=preset-desc]').text()).toMatch(/Edited from the preset smoke/);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY)!).draft.loop.generations).toBe(7);
    wrapper!.unmount();
    // a reload: a new page, the same storage
    pinia = createPinia();
    setActivePinia(pinia);
    const again = await wizard();
    expect(again.draft.loop.generations).toBe(7);
    expect(again.step).toBe(2);
    expect(again.study.enabled).toBe(true);
    expect(again.presetEdited).toBe(true);
    // choosing the preset again starts over
    again.applyPreset('smoke');
    expect(again.presetEdited).toBe(false);
  });

  it('issue 24: a new preset or an import starts without the last config’s "vary a field"', async () => {
    const w = await wizard();
    w.study.enabled = true;
    w.study.axes = [{ path: 'selection.scheme', values: 'random, topalpha' }];
    w.study.seeds = '2';
    w.applyPreset('smoke');
    expect(w.study.enabled).toBe(false);
    expect(w.study.axes).toEqual([{ path: 'selection.scheme', values: '' }]);
    w.study.enabled = true;
    w.study.axes = [{ path: 'loop.keep', values: '10, 20' }];
    expect(w.importJson(JSON.stringify(smokeConfig()))).toBe(true);
    expect(w.study.enabled).toBe(false);
    expect(w.study.axes[0].values).toBe('');
  });
});

describe('defect 9: the review step', () => {
  it('names a reference only for schemes that use one, and prints readable numbers in the estimate', async () => {
    const w = await wizard();
    w.goTo(4);
    w.setScheme('random');
    await new Promise((r) => setTimeout(r, 350));
    await flush();
    const schemeRow = () =>
      wrapper!
        .findAll('table.review tr')
        .find((r) => r.find('th').text() === 'Scheme')!
        .find('td')
        .text();
    expect(schemeRow()).not.toMatch(/reference (local|per-island|pooled)/);
    expect(wrapper!.get('[data-testid=estimate]').text()).toContain('12,000 samples');
    w.setScheme('covmatch');
    await flush();
    expect(schemeRow()).toMatch(/reference local/);
  });
});

describe('defects 6 and 7: one generation numbering, and an ETA from generation 0 on', () => {
  const run = (patch: Partial<RunSummaryDto> = {}): RunSummaryDto => ({
    id: 'a',
    name: 'a',
    state: 'running',
    lastGeneration: -1,
    generations: 3,
    startedAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-01T00:00:00Z',
    dataset: 'mnist',
    model: 'vae-mlp',
    scheme: 'random',
    active: true,
    ...patch,
  });

  it('labels a live run with its 0-based generation and estimates its ETA from the progress seen', async () => {
    client.handlers['runs.list'] = () => ({ workspace: '/ws', runs: [run()] });
    wrapper = mount(RunsView, { global: { plugins: [pinia] }, attachTo: document.body });
    const runs = useRunsStore();
    runs.subscribe();
    await flush();
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'train', epoch: 1, epochs: 10, fraction: 0.1 });
    now += 10_000;
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'train', epoch: 3, epochs: 10, fraction: 0.3 });
    await flush();
    // 10 s for 0.2 of the run: 35 s for the 0.7 left
    expect(runs.etaOf('a')?.seconds).toBeCloseTo(35, 6);
    expect(runs.etaOf('a')?.basis).toBe('measured');
    const row = wrapper.get('tr[data-run=a]');
    expect(row.get('[data-testid=generation-progress]').text()).toBe('generation 0 of 0–2 · train');
    expect(row.text()).toContain('35 s (measured)');
    // the engine's own measured ETA wins when it has one
    client.emit({ type: 'progress', runId: 'a', generation: 1, generations: 3, phase: 'train', fraction: 0.5, etaSeconds: 20 });
    expect(runs.etaOf('a')).toEqual({ seconds: 20, basis: 'measured' });
  });

  it('shows the run’s estimate for what is left until enough progress is measured, then the measured rate', async () => {
    client.handlers['runs.list'] = () => ({ workspace: '/ws', runs: [run({ estimatedSeconds: 200 })] });
    wrapper = mount(RunsView, { global: { plugins: [pinia] }, attachTo: document.body });
    const runs = useRunsStore();
    runs.subscribe();
    await flush();
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    // loading the data: nothing measured yet, the estimate is the ETA at once
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'load', fraction: 0 });
    await flush();
    expect(runs.etaOf('a')).toEqual({ seconds: 200, basis: 'estimate' });
    const row = () => wrapper!.get('tr[data-run=a]');
    expect(row().text()).toContain('≈ 3 min from estimate');
    // 5 s and 0.1 done: still too little seen (MEASURED_ETA_AFTER), the estimate scaled to the 0.9 left
    now += 5_000;
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'train', epoch: 1, epochs: 10, fraction: 0.1 });
    await flush();
    expect(runs.etaOf('a')).toEqual({ seconds: 180, basis: 'estimate' });
    // 10 s for 0.2: the measured rate, 40 s for the 0.8 left
    now += 5_000;
    client.emit({ type: 'progress', runId: 'a', generation: 0, generations: 3, phase: 'train', epoch: 3, epochs: 10, fraction: 0.2 });
    await flush();
    expect(runs.etaOf('a')?.basis).toBe('measured');
    expect(runs.etaOf('a')?.seconds).toBeCloseTo(40, 6);
    expect(row().text()).toContain('40 s (measured)');
  });
});

describe('defect 2: a run that failed on its setup offers "edit and relaunch", not Resume', () => {
  it('opens its config in the wizard', async () => {
    const failed: RunSummaryDto = {
      id: 'bad',
      name: 'too big',
      state: 'failed',
      error: 'subset 70000 is larger than the dataset',
      lastGeneration: -1,
      generations: 3,
      startedAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
      dataset: 'mnist',
      model: 'vae-mlp',
      scheme: 'random',
      active: false,
    };
    const later = { ...failed, id: 'later', lastGeneration: 1 };
    const config = { ...smokeConfig(), name: 'too big', dataset: { kind: 'mnist', subset: 70000 } };
    client.handlers['runs.list'] = () => ({ workspace: '/ws', runs: [failed, later] });
    client.handlers['runs.get'] = ({ runId }) => ({
      ...(runId === 'bad' ? failed : later),
      dir: '/ws/bad',
      config: config as never,
      environment: null,
      islands: null,
      metrics: [],
      files: { generations: [], islands: [] },
    });
    wrapper = mount(RunsView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flush();
    const row = wrapper.get('tr[data-run=bad]');
    expect(row.find('[data-testid=resume]').exists()).toBe(false);
    // a run that failed after some generations still resumes
    expect(wrapper.get('tr[data-run=later]').find('[data-testid=resume]').exists()).toBe(true);
    await row.get('[data-testid=relaunch]').trigger('click');
    for (let i = 0; i < 4; i++) await flush();
    const w = useWizardStore();
    expect(route.value).toEqual({ name: 'wizard' });
    expect(w.draft.name).toBe('too big');
    expect(w.draft.dataset.subset).toBe(70000);
    expect(w.presetName).toBe('');
  });
});

describe('defect 5: messages in the user’s terms', () => {
  it('shows the contract’s messages (main/contract/zod-messages.ts) at the fields', async () => {
    const w = await wizard();
    w.draft.loop.generations = 2.5;
    w.draft.loop.keep = 0;
    expect(w.fieldError('loop.generations')).toBe('must be a whole number');
    expect(w.fieldError('loop.keep')).toMatch(/^must be (at least 1|more than 0)$/);
  });
});

describe('defect 2: what the engine refuses is shown at the field before launch', () => {
  it('checks the dataset and the split with the engine, blocks the launch, and clears on the next edit', async () => {
    client.handlers['runs.start'] = () => ({ runId: 'never' });
    client.handlers['dataset.preview'] = ({ dataset }) => {
      if ((dataset as { subset?: number }).subset === 50000) throw new Error('subset 50000 is larger than the 40,000 training images');
      return {
        summary: { name: 'mnist', shape: [28, 28, 1], trainSize: 100, testSize: 10, numClasses: 10, classNames: null, classCounts: null },
        picture: { png: '', kind: 'images', count: 0 },
      };
    };
    client.handlers['split.preview'] = ({ islands }) => {
      if (islands.split === 'exdir:9,0.1') throw new Error('exdir:9,0.1 needs 9 classes per island of 2 islands: impossible here');
      return { dataset: 'mnist', numClasses: 10, classNames: null, trainSize: 100, testSize: 10, islands: [] };
    };
    const w = await wizard();
    // MNIST's size is in the contract: refused at the field, naming it, without asking the engine
    w.draft.dataset.subset = 70000;
    expect(w.issues).toEqual([{ path: 'dataset.subset', message: '70,000 is more than the 60,000 training images of mnist' }]);
    expect(w.fieldError('dataset.subset')).toBe('70,000 is more than the 60,000 training images of mnist');
    expect(await w.launch()).toBeNull();
    // what only the engine knows (a stand-in refusal of the preview) is asked before launch and shown at the field
    w.draft.dataset.subset = 50000;
    expect(w.issues).toEqual([]); // the contract alone accepts it
    expect(await w.launch()).toBeNull();
    expect(w.fieldError('dataset')).toMatch(/larger than the 40,000/);
    expect(w.launchError).toMatch(/the engine refuses dataset: subset 50000/);
    expect(w.canLaunch).toBe(false);
    expect(client.calls.some((c) => c.op === 'runs.start')).toBe(false);
    // the next edit lifts it until the engine is asked again
    w.draft.dataset.subset = 2000;
    expect(w.fieldError('dataset')).toBeUndefined();
    w.draft.islands.split = 'exdir:9,0.1';
    expect(await w.launch()).toBeNull();
    expect(w.fieldError('islands.split')).toMatch(/impossible here/);
    w.draft.islands.split = 'iid';
    expect(await w.launch()).toBe('never');
  });
});
