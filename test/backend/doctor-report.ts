import type { ComputeReport } from '../../main/contract/compute-report';

/**
 * A doctor's report as a machine with an NVIDIA GPU would give it: the smoke model's training step at `wasmRate`
 * images/s on wasm and `gpuRate` on webgpu (null: webgpu unavailable, auto picks wasm). For the estimate tests.
 */
export function doctorReport(wasmRate: number, gpuRate: number | null): ComputeReport {
  const adapter = {
    vendor: 'nvidia',
    architecture: 'ampere',
    device: 'rtx',
    description: 'NVIDIA GeForce RTX 3090',
    fallback: false,
    maxBufferSize: 2 ** 32,
    maxStorageBufferBindingSize: 2 ** 31,
  };
  return {
    backends: [
      { backend: 'webgpu', via: 'a hardware adapter', available: gpuRate !== null, checks: [], adapter, imagesPerSecond: gpuRate },
      { backend: 'wasm', via: '@tensorflow/tfjs-backend-wasm', available: true, checks: [], imagesPerSecond: wasmRate },
    ],
    auto: gpuRate !== null ? { backend: 'webgpu', via: 'a hardware adapter' } : { backend: 'wasm', via: '@tensorflow/tfjs-backend-wasm' },
    measuredModel: 'vae-mlp',
    load: '0.10 → 0.10',
    measuredAt: '2026-01-01T00:00:00.000Z',
  };
}
