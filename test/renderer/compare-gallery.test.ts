// @vitest-environment happy-dom
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import { setClient } from '../../renderer/src/api/client';
import CompareView from '../../renderer/src/views/CompareView.vue';
import { fakeClient, flush, smokeConfig, type FakeClient } from './fake-client';

function run(id: string, scheme: string, seed: number, generations: number): RunDetailDto {
  return {
    id,
    name: id,
    state: 'completed',
    lastGeneration: generations - 1,
    generations,
    startedAt: '',
    updatedAt: '',
    dataset: 'mnist',
    model: 'vae-mlp',
    scheme,
    active: false,
    dir: `/ws/${id}`,
    config: { ...smokeConfig(), name: id, seed, selection: { ...smokeConfig().selection, scheme } },
    environment: null,
    islands: { split: 'iid', numClasses: 3, classNames: ['a', 'b', 'c'], islands: [] },
    metrics: Array.from({ length: generations }, (_, g) => ({ generation: g, fid: g, classHistogram: [g, 1, 2] })),
    files: {
      generations: Array.from({ length: generations }, (_, g) => ({ generation: g, samples: `gen-00${g}/samples.png`, rejected: null })),
      islands: [],
    },
  };
}

const runs = [run('r0', 'random', 0, 4), run('r1', 'random', 1, 4), run('t0', 'topalpha', 0, 3)];

describe('side-by-side galleries', () => {
  let client: FakeClient;
  let pinia: Pinia;
  let wrapper: VueWrapper;
  beforeEach(async () => {
    client = fakeClient({ 'runs.get': ({ runId }) => runs.find((r) => r.id === runId)! });
    setClient(client);
    pinia = createPinia();
    setActivePinia(pinia);
    wrapper = mount(CompareView, {
      props: { route: { name: 'compare', runs: ['r0', 'r1', 't0'], tab: 'gallery' } },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    for (let i = 0; i < 4; i++) await flush();
  });
  afterEach(() => wrapper.unmount());

  const srcs = () => wrapper.findAll('[data-gallery-run] img').map((i) => i.attributes('src'));
  const shown = () => wrapper.find('[data-testid=gallery-generation]').text();

  it('shows one run per cell by default, at the last generation, with its class histogram', () => {
    expect(wrapper.findAll('[data-gallery-run]').map((f) => f.attributes('data-gallery-run'))).toEqual(['r0', 't0']);
    expect(shown()).toBe('3');
    // t0 has no generation 3
    expect(srcs()).toEqual(['/files/r0/gen-003/samples.png']);
    expect(wrapper.find('[data-gallery-run=t0]').text()).toContain('no grid at generation 3');
    expect(
      wrapper.findAll('[data-gallery-run=r0] [data-chart=class-histogram]').length + wrapper.findAll('[data-gallery-run=r0] .hist').length,
    ).toBeGreaterThan(0);
  });

  it('steps every column with the keyboard, the slider and a typed generation', async () => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' }));
    await flush();
    expect(shown()).toBe('0');
    expect(srcs()).toEqual(['/files/r0/gen-000/samples.png', '/files/t0/gen-000/samples.png']);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    await flush();
    expect(srcs()).toEqual(['/files/r0/gen-001/samples.png', '/files/t0/gen-001/samples.png']);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'End' }));
    await flush();
    expect(shown()).toBe('3');
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft' }));
    await flush();
    expect(shown()).toBe('2');
    await wrapper.find('[data-testid=gallery-slider]').setValue('1');
    expect(shown()).toBe('1');
    const box = wrapper.find('[data-testid=gallery-generation-input]');
    await box.setValue('9');
    await box.trigger('change');
    expect(shown()).toBe('3'); // clamped to the last generation
    expect((box.element as HTMLInputElement).value).toBe('3');
  });

  it('adds a run, shares the zoom, and swipes between two runs or a generation and the one before', async () => {
    await wrapper.find('[data-pick-run=r1]').setValue(true);
    await flush();
    await flush();
    expect(wrapper.findAll('[data-gallery-run]').map((f) => f.attributes('data-gallery-run'))).toEqual(['r0', 'r1', 't0']);
    await wrapper.find('[data-testid=gallery-zoom]').setValue('4');
    await wrapper.find('[data-mode=swipe]').trigger('click');
    const imgs = () => wrapper.findAll('[data-testid=swipe-view] img').map((i) => i.attributes('src'));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' }));
    await flush();
    expect(imgs()).toEqual(['/files/t0/gen-000/samples.png', '/files/r0/gen-000/samples.png']); // B under A
    await wrapper.find('[data-testid=with-previous]').setValue(true);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
    await flush();
    expect(imgs()).toEqual(['/files/r0/gen-000/samples.png', '/files/r0/gen-001/samples.png']);
    await wrapper.find('[data-mode=difference]').trigger('click');
    expect(wrapper.find('[data-testid=difference-info]').text()).toContain('gen 1 against');
  });
});
