// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import type { MetricsLine } from '../../main/contract/run-record';
import { setClient } from '../../renderer/src/api/client';
import StageTimes from '../../renderer/src/components/StageTimes.vue';
import RunView from '../../renderer/src/views/RunView.vue';
import { fakeClient, flush, smokeConfig } from './fake-client';

/** Issue 15: a generation's per-stage times (train, sample, select, metrics, write) in the run's view. */
const lines: MetricsLine[] = [
  { generation: 0, trainSeconds: 6, sampleSeconds: 2, selectionSeconds: 1, metricsSeconds: 0.5, writeSeconds: 0.5 },
  { generation: 1, trainSeconds: 3, sampleSeconds: 1, selectionSeconds: 0.5, metricsSeconds: 0.25, writeSeconds: 0.25 },
  { generation: 2, fid: 3 }, // an older line without stage times
];

describe('StageTimes', () => {
  it('one stacked bar per generation, scaled to the longest, segments in stage order and proportion', () => {
    setActivePinia(createPinia());
    const w = mount(StageTimes, { props: { lines, generation: 1 } });
    const rows = w.findAll('tbody tr[data-generation]');
    expect(rows.map((r) => r.attributes('data-generation'))).toEqual(['0', '1']);
    const bars = w.findAll('.bar');
    expect(bars[0].attributes('style')).toContain('width: 100%');
    expect(bars[1].attributes('style')).toContain('width: 50%');
    const segs = rows[0].findAll('.segment');
    expect(segs.map((s) => s.attributes('data-stage'))).toEqual(['train', 'sample', 'select', 'metrics', 'write']);
    expect(segs[0].attributes('style')).toContain('width: 60%');
    expect(segs[1].attributes('style')).toContain('width: 20%');
    expect(rows[1].classes()).toContain('current');
    expect(rows[0].text()).toContain('6.00 s');
    expect(rows[0].text()).toContain('10.0 s');
  });

  it('sums each stage over the run with its share', () => {
    setActivePinia(createPinia());
    const w = mount(StageTimes, { props: { lines, generation: 0 } });
    const total = w.find('[data-testid="stage-times-total"]').text();
    expect(total).toContain('9.00 s 60%');
    expect(total).toContain('3.00 s 20%');
    expect(total).toContain('15.0 s');
  });

  it('shows nothing for runs without stage times', () => {
    setActivePinia(createPinia());
    const w = mount(StageTimes, { props: { lines: [{ generation: 0, fid: 1 }], generation: 0 } });
    expect(w.find('[data-testid="stage-times"]').exists()).toBe(false);
  });
});

function detail(metrics: MetricsLine[]): RunDetailDto {
  return {
    id: 'r',
    name: 'r',
    state: 'completed',
    lastGeneration: metrics.length - 1,
    generations: metrics.length,
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
    metrics,
    files: { generations: metrics.map((l) => ({ generation: l.generation, samples: null, rejected: null })), islands: [] },
  };
}

describe('the run view', () => {
  it.each([
    [lines, true],
    [[{ generation: 0, fid: 1 }], false],
  ] as [MetricsLine[], boolean][])(
    'shows "Where the time goes" only when the metrics lines have stage times (%#)',
    async (metrics, shown) => {
      setClient(fakeClient({ 'runs.get': () => detail(metrics) }));
      const pinia = createPinia();
      setActivePinia(pinia);
      const w = mount(RunView, { props: { runId: 'r' }, global: { plugins: [pinia], stubs: { VChart: true, echarts: true } } });
      await flush();
      await flush();
      expect(w.find('[data-testid="stage-times"]').exists()).toBe(shown);
      expect(w.text().includes('Where the time goes')).toBe(shown);
      w.unmount();
    },
  );
});
