import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateDuration } from '../../main/api/estimate-duration';
import { machineRate, readMachineSpeed, recordDoctorSpeed, recordRunSpeed } from '../../main/backend/machine-speed';
import type { ComputeReport } from '../../main/contract/compute-report';
import { validateConfig } from '../../main/contract/config';
import { modelCost } from '../../main/contract/models/catalog';
import { findPreset } from '../../main/presets';

/** Estimates from this machine's measured speed: the doctor's figure, refined by finished runs' stage times. */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-speed-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const smoke = validateConfig(findPreset('smoke').config);
const catalogSmoke = modelCost(smoke.model, { dim: 784 }).train;

function report(wasmRate: number, gpuRate: number | null): ComputeReport {
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

describe('machine speed', () => {
  it('without a measurement the estimate uses the catalog and says so', () => {
    expect(readMachineSpeed(workspace)).toBeNull();
    expect(machineRate(readMachineSpeed(workspace), 'auto', 'vae-mlp')).toBeNull();
    expect(estimateDuration(smoke).basis).toContain('not measured here');
  });

  it("the doctor's figure scales the catalog's rates for the backend auto picks, and the estimate names it", () => {
    recordDoctorSpeed(workspace, report(2 * catalogSmoke, 20 * catalogSmoke));
    const speed = readMachineSpeed(workspace);
    const gpu = machineRate(speed, 'auto', 'vae-mlp')!;
    expect(gpu).toMatchObject({ backend: 'webgpu', label: 'nvidia NVIDIA GeForce RTX 3090' });
    expect(gpu.factor).toBeCloseTo(20, 10);
    const wasm = machineRate(speed, 'wasm', 'vae-mlp')!;
    expect(wasm.factor).toBeCloseTo(2, 10);
    const base = estimateDuration(smoke);
    const here = estimateDuration(smoke, gpu);
    expect(here.basis).toMatch(/on this machine \(webgpu, nvidia NVIDIA GeForce RTX 3090; collapse-lab doctor\)/);
    expect(here.basis).toContain(`about ${Math.round(20 * catalogSmoke)} training samples/s`);
    expect(here.seconds).toBeLessThan(base.seconds);
    // a model without a TensorFlow.js backend is not scaled
    const gaussian = validateConfig({
      ...findPreset('smoke').config,
      dataset: { kind: 'gaussian', dim: 4, trainSize: 200, testSize: 50 },
      model: { kind: 'gaussian' },
    });
    expect(estimateDuration(gaussian, machineRate(speed, 'auto', 'gaussian')).seconds).toBe(estimateDuration(gaussian).seconds);
  });

  it("a finished run's rate replaces the doctor's figure for its backend and model kind", () => {
    recordRunSpeed(workspace, 'webgpu', 'vae-mlp', 12_345);
    const rate = machineRate(readMachineSpeed(workspace), 'webgpu', 'vae-mlp')!;
    expect(rate.trainPerSecond).toBe(12_345);
    const e = estimateDuration(smoke, rate);
    expect(e.basis).toMatch(/about 12345 training samples\/s on this machine \(webgpu, .*; its finished runs\)/);
    expect(machineRate(readMachineSpeed(workspace), 'webgpu', 'ddpm')!.trainPerSecond).toBeUndefined();
  });
});
