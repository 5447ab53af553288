// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import VChart from 'vue-echarts';
import type { Component } from 'vue';
import type { MetricsLine } from '../../main/contract/run-record';
import HistogramChart from '../../renderer/src/components/HistogramChart.vue';
import IslandBytesChart from '../../renderer/src/components/IslandBytesChart.vue';
import LossChart from '../../renderer/src/components/LossChart.vue';
import MetricChart from '../../renderer/src/components/MetricChart.vue';
import PixelHistogramChart from '../../renderer/src/components/PixelHistogramChart.vue';

/** Issue 24: every small chart of the run view and the galleries says what its x axis counts. */
let pinia: Pinia;
beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});

function xAxisName(component: Component, props: Record<string, unknown>): unknown {
  const wrapper = mount(component, { props, global: { plugins: [pinia], stubs: { VChart: true } } });
  const option = wrapper.findComponent(VChart).props('option') as { xAxis: { name?: string } };
  wrapper.unmount();
  return option.xAxis.name;
}

describe('the run view’s small charts', () => {
  const lines = [0, 1].map((g) => ({ generation: g, islandBytesSent: [10, 20] }) as MetricsLine);

  it('name their x axis', () => {
    expect(xAxisName(HistogramChart, { counts: [3, 1, 2], classNames: null })).toBe('class');
    expect(
      xAxisName(MetricChart, {
        series: { key: 'fid', label: 'FID', section: 'quality', generations: [0, 1], values: [2, 1] },
        generation: 1,
      }),
    ).toBe('generation');
    expect(xAxisName(LossChart, { losses: [{ generation: 0, losses: [3, 2] }], generation: 0 })).toBe('epoch');
    expect(xAxisName(IslandBytesChart, { lines, generation: 1 })).toBe('generation');
    expect(xAxisName(PixelHistogramChart, { current: [0.5, 0.5], first: null, generation: 1 })).toBe('pixel value');
  });
});
