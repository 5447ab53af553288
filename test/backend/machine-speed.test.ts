import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { estimateDuration } from '../../main/api/estimate-duration';
import { stageWork } from '../../main/runs/stage-work';
import { machineRate, readMachineSpeed, recordDoctorSpeed, recordRunStages } from '../../main/backend/machine-speed';
import type { MetricsLine } from '../../main/contract/run-record';
import { validateConfig } from '../../main/contract/config';
import { modelCost } from '../../main/contract/models/catalog';
import { findPreset } from '../../main/presets';
import { doctorReport } from './doctor-report';

/** Estimates from this machine's measured speed: the doctor's figure, refined by finished runs' stage times. */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-speed-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const smoke = validateConfig(findPreset('smoke').config);
const catalogSmoke = modelCost(smoke.model, { dim: 784 }).train;

describe('machine speed', () => {
  it('without a measurement the estimate uses the catalog and says so', () => {
    expect(readMachineSpeed(workspace)).toBeNull();
    expect(machineRate(readMachineSpeed(workspace), 'auto', smoke)).toBeNull();
    expect(estimateDuration(smoke).basis).toContain('not measured here');
  });

  it("the doctor's figure scales the catalog's rates for the backend auto picks, and the estimate names it", () => {
    recordDoctorSpeed(workspace, doctorReport(2 * catalogSmoke, 20 * catalogSmoke));
    const speed = readMachineSpeed(workspace);
    const gpu = machineRate(speed, 'auto', smoke)!;
    expect(gpu).toMatchObject({ backend: 'webgpu', label: 'nvidia NVIDIA GeForce RTX 3090' });
    expect(gpu.factor).toBeCloseTo(20, 10);
    const wasm = machineRate(speed, 'wasm', smoke)!;
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
    expect(estimateDuration(gaussian, machineRate(speed, 'auto', gaussian)).seconds).toBe(estimateDuration(gaussian).seconds);
  });

  it("a finished run's stage times replace the doctor's figure and the fallbacks, and reproduce the run's time", () => {
    // three generations of the smoke preset as a run on webgpu would log them, with a start of 7 s
    const lines = [0, 1, 2].map(
      (generation) =>
        ({
          generation,
          trainSize: 2000,
          trainSeconds: 4 + generation,
          sampleSeconds: 0.5,
          selectionSeconds: 0.001,
          metricsSeconds: 2,
          writeSeconds: 0.25,
          seconds: 4 + generation + 0.5 + 0.001 + 2 + 0.4,
        }) as MetricsLine,
    );
    const wall = 7 + lines.reduce((a, m) => a + (m.seconds as number), 0);
    recordRunStages(workspace, { request: 'auto', backend: 'webgpu', config: smoke, lines, startSeconds: 7, work: stageWork(smoke) });
    const speed = readMachineSpeed(workspace)!;
    expect(speed.auto).toBe('webgpu'); // a run under auto tells which backend auto resolves to here
    const rate = machineRate(speed, 'webgpu', smoke)!;
    const { epochs } = modelCost(smoke.model, { dim: 784 });
    expect(rate.trainPerSecond).toBeCloseTo((3 * 2000 * epochs) / 15, 9);
    expect(rate.startSeconds).toBe(7);
    const e = estimateDuration(smoke, rate);
    expect(e.basis).toMatch(/training samples\/s on this machine \(webgpu, .*; its finished runs\)/);
    expect(e.basis).toContain('(measured here)');
    // every stage from the run's own figures: the estimate of the same config is the run's wall time
    // (random selection's milliseconds aside: its cost model says nothing, so there is no factor to learn)
    expect(e.seconds).toBeCloseTo(wall, 1);
    expect(e.stages!.training).toBeCloseTo(15, 6);
    expect(e.stages!.metrics).toBeCloseTo(6, 6);
    expect(e.stages!.sampling).toBeCloseTo(1.5, 6);
    // another model kind keeps the doctor's training figure, but the backend's start and the dataset's metrics
    const ddpm = machineRate(speed, 'webgpu', { ...smoke, model: { kind: 'ddpm' } })!;
    expect(ddpm.trainPerSecond).toBeUndefined();
    expect(ddpm).toMatchObject({ startSeconds: 7 });
    expect(ddpm.metricsSecondsPerSample).toBeCloseTo(rate.metricsSecondsPerSample!, 12);
  });
});
