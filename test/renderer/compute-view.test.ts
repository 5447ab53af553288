// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { describe, expect, it } from 'vitest';
import type { ComputeReport } from '../../main/contract/compute-report';
import { setClient } from '../../renderer/src/api/client';
import ComputeView from '../../renderer/src/views/ComputeView.vue';
import { fakeClient, flush } from './fake-client';

/** The app's Compute panel shows the doctor's report through the contract: availability, why not, speed, auto's pick. */
const report = (measured: boolean): ComputeReport => ({
  backends: [
    {
      backend: 'tensorflow',
      via: '@tensorflow/tfjs-node-gpu',
      available: false,
      why: '@tensorflow/tfjs-node-gpu is not installed',
      checks: [{ label: 'libcudnn.so.8', ok: false, detail: 'not found' }],
      imagesPerSecond: null,
    },
    {
      backend: 'webgpu',
      via: 'a software adapter',
      available: true,
      checks: [{ label: 'adapter', ok: true, detail: 'mesa software (llvmpipe), software' }],
      imagesPerSecond: measured ? 191.4 : null,
    },
    { backend: 'wasm', via: '@tensorflow/tfjs-backend-wasm', available: true, checks: [], imagesPerSecond: measured ? 1234.5 : null },
  ],
  auto: { backend: 'wasm', via: '@tensorflow/tfjs-backend-wasm' },
  measuredModel: "vae-mlp (the smoke preset's), batch 64",
  load: '1.00 → 1.10',
  measuredAt: '2026-01-01T00:00:00.000Z',
});

describe('ComputeView', () => {
  it('loads the quick report, then measures on request', async () => {
    setActivePinia(createPinia());
    const client = fakeClient({ 'compute.doctor': (req) => report(req.measure !== false) });
    setClient(client);
    const w = mount(ComputeView);
    await flush();
    expect(client.calls.filter((c) => c.op === 'compute.doctor')).toEqual([{ op: 'compute.doctor', request: { measure: false } }]);
    expect(w.find('[data-testid="compute-auto"]').text()).toContain('picks wasm');
    const gpuNode = w.find('[data-testid="compute-tensorflow"]').text();
    expect(gpuNode).toContain('unavailable');
    expect(gpuNode).toContain('is not installed');
    expect(gpuNode).toContain('libcudnn.so.8');
    expect(w.find('[data-testid="compute-webgpu"]').text()).toContain('software');
    expect(w.find('[data-testid="compute-wasm"]').text()).not.toContain('img/s');
    await w.find('[data-testid="compute-measure"]').trigger('click');
    await flush();
    expect(w.find('[data-testid="compute-wasm"]').text()).toContain('1,235 img/s');
    expect(w.text()).toContain('load 1.00 → 1.10');
  });
});
