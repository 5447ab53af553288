// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetailDto, RunSummaryDto } from '../../main/contract/api';
import { setClient } from '../../renderer/src/api/client';
import { route } from '../../renderer/src/router';
import { clickSelection, filterRuns, groupRuns, sortRuns } from '../../renderer/src/stores/runs-table';
import RunsView from '../../renderer/src/views/RunsView.vue';
import { fakeClient, flush, smokeConfig, type FakeClient } from './fake-client';

const run = (id: string, patch: Partial<RunSummaryDto> = {}): RunSummaryDto => ({
  id,
  name: id,
  state: 'completed',
  lastGeneration: 2,
  generations: 3,
  startedAt: '2024-01-01T00:00:00Z',
  updatedAt: '2024-01-01T00:00:00Z',
  dataset: 'mnist',
  model: 'vae-mlp',
  scheme: 'random',
  active: false,
  ...patch,
});

const runs = [
  run('a', { scheme: 'random', startedAt: '2024-01-03T00:00:00Z' }),
  run('b', { scheme: 'topalpha', state: 'failed', error: 'boom', startedAt: '2024-01-02T00:00:00Z' }),
  run('c', { scheme: 'kmeans', model: 'gaussian', startedAt: '2024-01-01T00:00:00Z' }),
  run('d', { scheme: 'random', state: 'running', lastGeneration: 0, active: true, startedAt: '2024-01-04T00:00:00Z' }),
];
const seeds: Record<string, number> = { a: 0, b: 1, c: 0, d: 1 };

function detail(id: string): RunDetailDto {
  const r = runs.find((x) => x.id === id)!;
  return {
    ...r,
    dir: `/ws/${id}`,
    config: { ...smokeConfig(), seed: seeds[id], loop: { ...smokeConfig().loop, paradigm: id === 'c' ? 'accumulate' : 'replace' } },
    environment: null,
    islands: null,
    metrics: [],
    files: { generations: [], islands: [] },
  };
}

describe('runs table: pure functions', () => {
  it('sorts by any column, stable on ties', () => {
    expect(sortRuns(runs, 'name', 'asc').map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(sortRuns(runs, 'name', 'desc').map((r) => r.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(sortRuns(runs, 'started', 'desc').map((r) => r.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(sortRuns(runs, 'scheme', 'asc').map((r) => r.id)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortRuns(runs, 'state', 'asc').map((r) => r.id)).toEqual(['d', 'b', 'a', 'c']);
    expect(sortRuns(runs, 'progress', 'asc').map((r) => r.id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('filters by every word of the text and by states', () => {
    expect(filterRuns(runs, 'random', []).map((r) => r.id)).toEqual(['a', 'd']);
    expect(filterRuns(runs, 'random running', []).map((r) => r.id)).toEqual(['d']);
    expect(filterRuns(runs, 'BOOM', []).map((r) => r.id)).toEqual(['b']);
    expect(filterRuns(runs, '', ['failed', 'running']).map((r) => r.id)).toEqual(['b', 'd']);
    expect(filterRuns(runs, 'gaussian', ['completed']).map((r) => r.id)).toEqual(['c']);
  });

  it('groups by a summary field or a config field, in the order of the runs', () => {
    expect(groupRuns(runs, 'selection.scheme', {}).map((g) => [g.label, g.runs.map((r) => r.id)])).toEqual([
      ['random', ['a', 'd']],
      ['topalpha', ['b']],
      ['kmeans', ['c']],
    ]);
    // a config field waits for the configs
    expect(groupRuns(runs, 'seed', {}).map((g) => g.label)).toEqual(['…']);
    const details = Object.fromEntries(runs.map((r) => [r.id, detail(r.id)]));
    expect(groupRuns(runs, 'seed', details).map((g) => [g.label, g.runs.map((r) => r.id)])).toEqual([
      ['0', ['a', 'c']],
      ['1', ['b', 'd']],
    ]);
    expect(groupRuns(runs, '', {})).toHaveLength(1);
  });

  it('selects with clicks and shift-click ranges', () => {
    const order = ['a', 'b', 'c', 'd'];
    let s = clickSelection([], order, 'b', null, false);
    expect(s).toEqual(['b']);
    s = clickSelection(s, order, 'd', 'b', true);
    expect(s).toEqual(['b', 'c', 'd']);
    s = clickSelection(s, order, 'c', 'd', false);
    expect(s).toEqual(['b', 'd']);
    // a shift-click that unselects clears the range
    s = clickSelection(['a', 'b', 'c', 'd'], order, 'a', 'c', true);
    expect(s).toEqual(['d']);
  });
});

describe('the runs list', () => {
  let client: FakeClient;
  let pinia: Pinia;
  let wrapper: VueWrapper;
  beforeEach(async () => {
    client = fakeClient({
      'runs.list': () => ({ workspace: '/ws', runs: JSON.parse(JSON.stringify(runs)) }),
      'runs.get': ({ runId }) => detail(runId),
    });
    setClient(client);
    pinia = createPinia();
    setActivePinia(pinia);
    wrapper = mount(RunsView, { global: { plugins: [pinia] }, attachTo: document.body });
    await flush();
  });
  afterEach(() => wrapper.unmount());

  const shown = () => wrapper.findAll('tr[data-run]').map((r) => r.attributes('data-run'));

  it('sorts by a clicked column, filters, and groups by a config field', async () => {
    expect(shown()).toEqual(['d', 'a', 'b', 'c']); // newest first
    await wrapper.find('[data-sort=name]').trigger('click');
    expect(shown()).toEqual(['a', 'b', 'c', 'd']);
    await wrapper.find('[data-sort=name]').trigger('click');
    expect(shown()).toEqual(['d', 'c', 'b', 'a']);
    await wrapper.find('[data-testid=runs-filter]').setValue('random');
    expect(shown()).toEqual(['d', 'a']);
    await wrapper.find('[data-testid=runs-filter]').setValue('');
    await wrapper.find('[data-state-filter=failed]').trigger('click');
    expect(shown()).toEqual(['b']);
    await wrapper.find('[data-state-filter=failed]').trigger('click');
    await wrapper.find('[data-testid=group-by]').setValue('loop.paradigm');
    await flush();
    await flush();
    expect(client.calls.filter((c) => c.op === 'runs.get')).toHaveLength(4);
    expect(wrapper.findAll('tbody[data-group]').map((g) => g.attributes('data-group'))).toEqual(['replace', 'accumulate']);
    expect(
      wrapper
        .find('tbody[data-group=accumulate]')
        .findAll('tr[data-run]')
        .map((r) => r.attributes('data-run')),
    ).toEqual(['c']);
  });

  it('selects runs with checkboxes and shift-click, and compares them', async () => {
    const boxes = () => wrapper.findAll('[data-testid=select]');
    await boxes()[0].trigger('click');
    await boxes()[2].trigger('click', { shiftKey: true });
    expect(wrapper.find('[data-testid=selected-count]').text()).toBe('3 selected');
    expect(wrapper.findAll('tr.selected').map((r) => r.attributes('data-run'))).toEqual(['d', 'a', 'b']);
    await wrapper.find('[data-testid=compare]').trigger('click');
    expect(route.value).toEqual({ name: 'compare', runs: ['d', 'a', 'b'], tab: 'table' });
    expect(window.location.hash).toBe('#/compare/runs/d,a,b/table');
    await wrapper.find('[data-testid=select-all]').trigger('click');
    expect(wrapper.find('[data-testid=selected-count]').text()).toBe('4 selected');
    await wrapper.find('[data-testid=select-all]').trigger('click');
    expect(wrapper.find('[data-testid=selected-count]').exists()).toBe(false);
  });
});
