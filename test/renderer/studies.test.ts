// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudyStatusDto } from '../../main/contract/api';
import type { StudyEvent, StudySummary } from '../../main/contract/study';
import { setClient } from '../../renderer/src/api/client';
import { route } from '../../renderer/src/router';
import { parseSeeds, parseValue, studyOf, toggleValue, valuesText, defaultStudyDraft } from '../../renderer/src/stores/study-draft';
import { useStudiesStore } from '../../renderer/src/stores/studies';
import { useWizardStore } from '../../renderer/src/stores/wizard';
import StudiesView from '../../renderer/src/views/StudiesView.vue';
import WizardView from '../../renderer/src/views/WizardView.vue';
import { fakeClient, flush, smokeConfig, type FakeClient } from './fake-client';

const progress = (patch = {}) => ({
  studyId: 'grid',
  total: 4,
  completed: 1,
  running: 2,
  queued: 1,
  failed: 0,
  cancelled: 0,
  interrupted: 0,
  fraction: 0.4,
  ...patch,
});
const summary = (): StudySummary => ({
  id: 'grid',
  name: 'grid',
  state: 'running',
  fieldPaths: ['selection.scheme'],
  seeds: [0, 1],
  progress: progress(),
});
const entry = (scheme: string, seed: number, state: 'completed' | 'running' | 'queued', lastGeneration: number) => ({
  key: `${scheme}-${seed}`,
  cellKey: scheme,
  seed,
  runId: `grid-${scheme}-${seed}`,
  fields: { 'selection.scheme': scheme },
  state,
  lastGeneration,
  generations: 3,
  attempts: state === 'queued' ? 0 : 1,
});
const status = (): StudyStatusDto => ({
  ...summary(),
  spec: { name: 'grid', base: {}, axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }], seeds: 2 },
  runs: [
    entry('random', 0, 'completed', 2),
    entry('random', 1, 'running', 0),
    entry('topalpha', 0, 'running', 1),
    entry('topalpha', 1, 'queued', -1),
  ],
});

let client: FakeClient;
let pinia: Pinia;
let wrapper: VueWrapper | null = null;
// the wizard keeps its draft in the browser's storage: every test starts without one
beforeEach(() => localStorage.clear());
beforeEach(() => {
  client = fakeClient({
    'studies.list': () => ({ workspace: '/ws', studies: [summary()] }),
    'studies.get': () => status(),
    'studies.presets': () => ({
      presets: [
        {
          name: 'gaussian-schemes',
          description: 'toy',
          expectedMinutes: 2,
          study: { name: 'gs', base: {}, seeds: 1, preset: 'gaussian-schemes' },
          claim: { paper: '000 — Selection bias', statement: 'Selection collapses the toy.', figures: [] },
          needsGpu: true,
          here: { seconds: 6 * 3600, backend: 'wasm', on: '1 core per run, 2 at once', gpu: false, measured: true },
        },
      ],
    }),
    'studies.report': ({ studyId }) => ({
      studyId,
      name: studyId,
      preset: null,
      state: 'running',
      progress: progress(),
      claim: null,
      verdict: null,
      paperVsOurs: [],
      figures: [],
      timing: { startedAt: null, finishedAt: null, wallSeconds: null, computeSeconds: 0 },
      sizes: { runs: 4, completedRuns: 1, cells: 2, seeds: [0, 1], generations: 3, fieldPaths: ['selection.scheme'], perGeneration: {} },
    }),
    'studies.cancel': () => ({}),
    'studies.resume': () => ({}),
    'studies.start': ({ study }) => ({ studyId: String((study as { name: string }).name).toLowerCase() }),
    'studies.plan': ({ study, parallel }) => ({
      studyId: 'experiment',
      runs: 2 * ((study as { axes: { values: unknown[] }[] }).axes[0]?.values.length ?? 1),
      cells: (study as { axes: { values: unknown[] }[] }).axes[0]?.values.length ?? 1,
      seeds: [0, 1],
      fieldPaths: ['selection.scheme'],
      completed: 0,
      filesPerRun: 5,
      estimatedBytes: 1000,
      parallel: parallel ?? 2,
      estimatedSeconds: 600 / (parallel ?? 2),
    }),
    'config.validate': ({ config }) => ({
      valid: true,
      config: config as never,
      estimate: { seconds: 60, trainingSamples: [], basis: 'test' },
    }),
  });
  setClient(client);
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

describe('study draft', () => {
  it('parses values, seeds and makes the study file from the config', () => {
    expect(parseValue('0.5')).toBe(0.5);
    expect(parseValue('random')).toBe('random');
    expect(parseValue('true')).toBe(true);
    expect(parseValue('exdir:1,0.1')).toBe('exdir:1,0.1');
    expect(toggleValue('random', 'topalpha')).toBe('random, topalpha');
    expect(toggleValue('random, topalpha', 'random')).toBe('topalpha');
    expect(toggleValue('iid', 'exdir:1,0.1')).toBe('iid; exdir:1,0.1');
    expect(valuesText([100, 'exdir:1,0.1'])).toBe('100; exdir:1,0.1');
    expect(parseSeeds('3')).toBe(3);
    expect(parseSeeds('0, 4 9')).toEqual([0, 4, 9]);
    expect(parseSeeds('1, 1')).toMatch(/repeat/);
    expect(parseSeeds('x')).toMatch(/whole numbers/);
    const d = {
      ...defaultStudyDraft(),
      enabled: true,
      axes: [
        { path: 'selection.scheme', values: 'random, topalpha' },
        { path: 'loop.keep', values: '' },
      ],
    };
    const { study } = studyOf({ ...smokeConfig(), name: 'my grid', seed: 5 }, d);
    expect(study).toMatchObject({ name: 'my grid', axes: [{ path: 'selection.scheme', values: ['random', 'topalpha'] }], seeds: 2 });
    expect(study!.base).not.toHaveProperty('seed');
    expect(study!.base).not.toHaveProperty('name');
    expect(studyOf(smokeConfig(), { ...d, seeds: '' }).error).toMatch(/^seeds:/);
  });
});

describe('the studies page', () => {
  it('lists studies with their counts, follows study events, and launches a preset', async () => {
    wrapper = mount(StudiesView, { props: { studyId: null }, global: { plugins: [pinia] }, attachTo: document.body });
    const s = useStudiesStore();
    s.subscribe();
    await flush();
    const row = wrapper.find('tr[data-study=grid]');
    expect(row.attributes('data-state')).toBe('running');
    expect(row.find('[data-testid=counts]').text()).toBe('1/4 done · 2 running · 1 queued');
    const e: StudyEvent = {
      type: 'study',
      studyId: 'grid',
      state: 'running',
      progress: progress({ completed: 3, running: 1, queued: 0, failed: 0, fraction: 0.8 }),
    };
    client.emit(e as never);
    await flush();
    expect(wrapper.find('tr[data-study=grid] [data-testid=counts]').text()).toBe('3/4 done · 1 running');
    // each preset names its paper and claim in one line; launching it passes the preset's name
    expect(wrapper.find('[data-study-preset=gaussian-schemes] [data-testid=preset-paper]').text()).toBe(
      '000 — Selection bias — Selection collapses the toy.',
    );
    // and its time on this machine, with the backend, and that it needs a GPU this machine lacks
    expect(wrapper.find('[data-study-preset=gaussian-schemes] [data-testid=preset-here]').text()).toBe(
      '≈ 6 h on this machine (wasm, 1 core per run, 2 at once) — needs a GPU',
    );
    await wrapper.find('[data-study-preset=gaussian-schemes] button').trigger('click');
    await flush();
    expect(client.calls.find((c) => c.op === 'studies.start')?.request).toMatchObject({
      study: { name: 'gs' },
      preset: 'gaussian-schemes',
    });
    expect(route.value).toEqual({ name: 'study', studyId: 'gs' });
  });

  it('gives a live study the engine’s estimate as its ETA until its progress is measured, then the measured one', async () => {
    client.handlers['studies.list'] = () => ({
      workspace: '/ws',
      studies: [
        { ...summary(), estimatedSeconds: 1000 },
        {
          ...summary(),
          id: 'old',
          name: 'old',
          state: 'completed',
          estimatedSeconds: 1000,
          progress: progress({ studyId: 'old', fraction: 1 }),
        },
      ],
    });
    wrapper = mount(StudiesView, { props: { studyId: null }, global: { plugins: [pinia] }, attachTo: document.body });
    useStudiesStore().subscribe();
    await flush();
    const label = (id: string) => wrapper!.find(`tr[data-study=${id}] .progress .label`).text();
    // 40 % done: the estimate of the whole study, for the 60 % left
    expect(label('grid')).toBe('40 % · ETA ≈ 10 min from estimate');
    expect(label('old')).toBe('100 %');
    const e: StudyEvent = { type: 'study', studyId: 'grid', state: 'running', progress: progress({ fraction: 0.5, etaSeconds: 120 }) };
    client.emit(e as never);
    await flush();
    expect(label('grid')).toBe('50 % · ETA 2 min (measured)');
  });

  it('shows a study’s runs cell by cell, cancels it and opens its comparison', async () => {
    wrapper = mount(StudiesView, { props: { studyId: 'grid' }, global: { plugins: [pinia] }, attachTo: document.body });
    useStudiesStore().subscribe();
    await flush();
    await flush();
    expect(wrapper.find('[data-testid=study-counts]').text()).toBe('1/4 done · 2 running · 1 queued');
    expect(wrapper.findAll('tbody[data-cell]')).toHaveLength(2);
    expect(wrapper.findAll('tr[data-study-run]').map((r) => r.attributes('data-state'))).toEqual([
      'completed',
      'running',
      'running',
      'queued',
    ]);
    expect(wrapper.find('tbody[data-cell=random]').text()).toContain('1/2 done');
    // the study was not started from a preset: no paper panel, and its report loaded without an error
    expect(client.calls.some((c) => c.op === 'studies.report')).toBe(true);
    expect(wrapper.find('[data-testid=paper-panel]').exists()).toBe(false);
    expect(wrapper.find('[data-testid=report-error]').exists()).toBe(false);
    // a generation event moves a run's bar
    client.emit({ type: 'generation', runId: 'grid-random-1', generation: 1, metrics: { generation: 1 } });
    await flush();
    expect(wrapper.find('tr[data-study-run=grid-random-1]').text()).toContain('2/3');
    await wrapper.find('[data-testid=study-cancel]').trigger('click');
    await flush();
    expect(client.calls.some((c) => c.op === 'studies.cancel' && (c.request as { studyId: string }).studyId === 'grid')).toBe(true);
    await wrapper.find('[data-testid=study-compare]').trigger('click');
    expect(route.value).toEqual({ name: 'compare', studyId: 'grid', tab: 'table' });
  });
});

describe('the wizard’s “vary a field”', () => {
  it('plans the study at the chosen parallelism and launches it', async () => {
    wrapper = mount(WizardView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flush();
    const w = useWizardStore();
    w.goTo(4);
    await flush();
    await wrapper.find('[data-testid=study-enabled]').setValue(true);
    await wrapper.find('[data-choice=random]').trigger('click');
    await wrapper.find('[data-choice=topalpha]').trigger('click');
    expect((wrapper.find('[data-testid=axis-values]').element as HTMLInputElement).value).toBe('random, topalpha');
    await wrapper.find('[data-testid=study-parallel]').setValue('4');
    await new Promise((r) => setTimeout(r, 400));
    await flush();
    const plan = wrapper.find('[data-testid=study-plan]').text();
    expect(plan).toContain('4 runs');
    expect(plan).toContain('2 cells × 2 seeds, 4 at once');
    expect(plan).toContain('≈ 3 min');
    const req = client.calls.filter((c) => c.op === 'studies.plan').at(-1)!.request as { parallel: number; study: { axes: unknown[] } };
    expect(req.parallel).toBe(4);
    expect(req.study.axes).toEqual([{ path: 'selection.scheme', values: ['random', 'topalpha'] }]);
    expect(wrapper.find('[data-testid=launch]').text()).toBe('Launch study (4 runs)');
    await wrapper.find('[data-testid=launch]').trigger('click');
    await flush();
    await flush();
    const start = client.calls.find((c) => c.op === 'studies.start')!.request as { parallel: number };
    expect(start.parallel).toBe(4);
    expect(route.value.name).toBe('study');
  });

  it('shows the engine’s objection to a study at the plan', async () => {
    client.handlers['studies.plan'] = () => {
      throw Object.assign(new (class extends Error {})('study: base.loop.keep: too small'), {});
    };
    wrapper = mount(WizardView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flush();
    const w = useWizardStore();
    w.goTo(4);
    w.study.enabled = true;
    w.study.axes[0] = { path: 'loop.keep', values: '-1' };
    await new Promise((r) => setTimeout(r, 400));
    await flush();
    expect(wrapper.find('[data-testid=study-plan-error]').text()).toContain('too small');
    expect(wrapper.find('[data-testid=launch]').attributes('disabled')).toBeDefined();
  });
});
