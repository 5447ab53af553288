// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it, vi } from 'vitest';
import type { RunDetailDto } from '../../main/contract/api';
import type { MetricsLine } from '../../main/contract/run-record';
import { setClient } from '../../renderer/src/api/client';
import { metricsCsv } from '../../renderer/src/stores/metric-series';
import { dragToPan } from '../../renderer/src/util/pan';
import RunView from '../../renderer/src/views/RunView.vue';
import { fakeClient, flush, smokeConfig } from './fake-client';

const lines: MetricsLine[] = [0, 1, 2].map((g) => ({
  generation: g,
  fid: 10 + g,
  selection: { features: 'raw', accepted: 5 },
  islandBytesSent: [100 * g, 200],
  islandBytesSentTotal: 100 * g + 200,
  pixelHistogram: Array.from({ length: 200 }, (_, i) => (i === g ? 0.5 : 0.5 / 199)),
}));

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
      generations: lines.map((l) => ({ generation: l.generation, samples: `gen-00${l.generation}/samples.png`, rejected: null })),
      islands: [],
    },
  };
}

describe('a run’s exports and its island-bytes and pixel charts', () => {
  it('writes the metrics as a wide CSV', () => {
    const csv = metricsCsv(lines).trim().split('\n');
    expect(csv[0]).toBe('generation,fid,selection.accepted,islandBytesSentTotal');
    expect(csv[2]).toBe('1,11,5,300');
  });

  it('charts the bytes per island and the pixel values, and downloads the metrics and the config', async () => {
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
    expect(w.get('[data-chart=island-bytes]').attributes('data-points')).toBe('3');
    expect(w.get('[data-chart=pixel-histogram]').attributes('data-points')).toBe('200');
    const blobs: Blob[] = [];
    const names: string[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => (blobs.push(b as Blob), 'blob:x'));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    await w.get('[data-testid=export-metrics]').trigger('click');
    await w.get('[data-testid=export-config]').trigger('click');
    expect(names).toEqual(['r-metrics.csv', 'r-config.json']);
    expect((await blobs[0].text()).split('\n')[0]).toBe('generation,fid,selection.accepted,islandBytesSentTotal');
    expect(JSON.parse(await blobs[1].text())).toEqual(smokeConfig());
    w.unmount();
    vi.restoreAllMocks();
  });

  it('pans a grid by dragging it', () => {
    const box = document.createElement('div');
    document.body.appendChild(box);
    box.scrollLeft = 50;
    box.scrollTop = 40;
    const down = new PointerEvent('pointerdown', { clientX: 100, clientY: 100, button: 0 });
    Object.defineProperty(down, 'currentTarget', { value: box });
    dragToPan(down);
    window.dispatchEvent(new PointerEvent('pointermove', { clientX: 80, clientY: 90 }));
    expect([box.scrollLeft, box.scrollTop]).toEqual([70, 50]);
    expect(box.classList.contains('panning')).toBe(true);
    window.dispatchEvent(new PointerEvent('pointerup', {}));
    window.dispatchEvent(new PointerEvent('pointermove', { clientX: 0, clientY: 0 }));
    expect([box.scrollLeft, box.scrollTop]).toEqual([70, 50]);
    expect(box.classList.contains('panning')).toBe(false);
    box.remove();
  });
});
