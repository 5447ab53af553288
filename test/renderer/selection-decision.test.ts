// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import type { MetricsLine } from '../../main/contract/run-record';
import { setClient } from '../../renderer/src/api/client';
import { useRunViewStore } from '../../renderer/src/stores/run-view';
import RunView from '../../renderer/src/views/RunView.vue';
import { fakeClient, flush, smokeConfig } from './fake-client';

/** The selection's decision in a run's view: the kept grid beside a sample of the rejected candidates. */
const lines: MetricsLine[] = [0, 1, 2].map((g) => ({ generation: g, fid: 10 + g, kept: 1000, candidates: 4000 }));

function detail(): RunDetailDto {
  return {
    id: 'r',
    name: 'r',
    state: 'completed',
    lastGeneration: 2,
    generations: 3,
    startedAt: '',
    updatedAt: '',
    dataset: 'mnist',
    model: 'vae-mlp',
    scheme: 'random',
    active: false,
    dir: '/ws/r',
    config: smokeConfig(),
    environment: null,
    islands: null,
    metrics: lines,
    files: {
      // generation 1 rejected nothing (no rejected.png)
      generations: lines.map((l) => ({
        generation: l.generation,
        samples: `gen-00${l.generation}/samples.png`,
        rejected: l.generation === 1 ? null : `gen-00${l.generation}/rejected.png`,
      })),
      islands: [],
    },
  };
}

describe('the selection’s decision', () => {
  it('the store names the selected generation’s rejected grid and its kept n of N', async () => {
    setClient(fakeClient({ 'runs.get': () => detail() }));
    setActivePinia(createPinia());
    const v = useRunViewStore();
    await v.open('r');
    expect(v.currentRejected).toBe('/files/r/gen-002/rejected.png');
    expect(v.decision).toEqual({ kept: 1000, candidates: 4000 });
    v.setGeneration(1);
    expect(v.currentRejected).toBeNull();
  });

  it('shows kept and rejected side by side, each filling its half of the panel, follows the generation, hides without rejected.png', async () => {
    setClient(fakeClient({ 'runs.get': () => detail() }));
    const pinia = createPinia();
    setActivePinia(pinia);
    const w = mount(RunView, {
      props: { runId: 'r' },
      global: { plugins: [pinia], stubs: { VChart: true, echarts: true } },
      attachTo: document.body,
    });
    await flush();
    await flush();
    const panel = w.get('[data-testid=decision]');
    expect(panel.get('[data-testid=decision-kept] figcaption').text()).toBe('kept 1,000 of 4,000');
    expect(panel.get('[data-testid=decision-rejected] figcaption').text()).toBe('rejected (a sample)');
    expect(panel.get('[data-testid=decision-kept] img').attributes('src')).toBe('/files/r/gen-002/samples.png');
    const rejected = panel.get('[data-testid=decision-rejected] img');
    expect(rejected.attributes('src')).toBe('/files/r/gen-002/rejected.png');
    expect(rejected.classes()).toContain('pixelated');

    // both scaled to their half of the panel (crisp pixels), not to the view's zoom: no fixed width once loaded
    const view = useRunViewStore();
    view.setZoom(3);
    Object.defineProperty(rejected.element, 'naturalWidth', { value: 29, configurable: true });
    Object.defineProperty(rejected.element, 'naturalHeight', { value: 29, configurable: true });
    await rejected.trigger('load');
    for (const side of ['kept', 'rejected']) {
      const img = w.get(`[data-testid=decision-${side}] img`);
      expect(img.classes()).toEqual(expect.arrayContaining(['pixelated', 'fit']));
      expect(img.attributes('width')).toBeUndefined();
    }

    view.setGeneration(1);
    await flush();
    expect(w.find('[data-testid=decision]').exists()).toBe(false);
    view.setGeneration(0);
    await flush();
    expect(w.get('[data-testid=decision-rejected] img').attributes('src')).toBe('/files/r/gen-000/rejected.png');
    w.unmount();
  });
});
