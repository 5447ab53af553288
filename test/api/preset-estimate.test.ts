import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { presetEstimate, runPresetInfos, studyEstimate } from '../../main/api/preset-estimate';
import { readMachineSpeed, recordDoctorSpeed } from '../../main/backend/machine-speed';
import { modelCost } from '../../main/contract/models/catalog';
import { findStudyPreset, studyPresets } from '../../main/presets/studies';
import { presetEstimateText, roughDuration } from '../../main/shared/preset-estimate-text';
import { expandStudy } from '../../main/studies/expand-study';
import { presetInfoOf, studyOfPreset } from '../../main/studies/preset-study';
import { smoke } from '../../main/presets/smoke';
import { doctorReport } from '../backend/doctor-report';

/** The presets lists give each preset's time on this machine, naming the backend, and what a GPU preset takes here. */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-preset-time-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

const catalogSmoke = modelCost(smoke.config.model, { dim: 784 }).train;

const wganDrift = findStudyPreset('wgan-drift');
const wganRuns = expandStudy(studyOfPreset(wganDrift)).runs.map((r) => r.config);

describe('presets with their time here', () => {
  it('before any measurement: the catalog 2-core figure, on wasm, said so', () => {
    const s = runPresetInfos(workspace, 'auto').find((p) => p.name === 'smoke')!;
    expect(s.here).toMatchObject({ backend: 'wasm', on: '2 cores', gpu: false, measured: false });
    expect(presetEstimateText(s.here!)).toMatch(/^≈ \d+ s on a 2-core machine \(wasm, 2 cores; not measured here: run the doctor\)$/);
  });

  it('before any measurement, a study of plain-JavaScript runs (backend js) says a finished run measures it, not the doctor', () => {
    const runs = expandStudy(studyOfPreset(findStudyPreset('collapse-or-thrive-kde-quick'))).runs.map((r) => r.config);
    const e = presetEstimate(runs, readMachineSpeed(workspace), 'auto', 2);
    expect(e).toMatchObject({ backend: 'js', measured: false });
    expect(presetEstimateText(e)).toMatch(
      /^≈ .+ on a 2-core machine \(js, 1 core per run, 2 at once; not measured here: a finished run measures it\)$/,
    );
  });

  it('a GPU preset says how long it takes on this machine without a GPU, and on the GPU once the doctor saw one', () => {
    recordDoctorSpeed(workspace, doctorReport(catalogSmoke, null));
    const cpu = presetEstimate(wganRuns, readMachineSpeed(workspace), 'auto', 2);
    expect(cpu).toMatchObject({ backend: 'wasm', on: '1 core per run, 2 at once', gpu: false, measured: true });
    const info = presetInfoOf(wganDrift);
    expect(info.needsGpu).toBe(true);
    // months of training on one core per run: the text says how long here, and that it needs a GPU
    expect(cpu.seconds).toBeGreaterThan(30 * 86_400);
    expect(presetEstimateText(cpu, info.needsGpu)).toBe(
      `≈ ${roughDuration(cpu.seconds)} on this machine (wasm, 1 core per run, 2 at once) — needs a GPU`,
    );

    recordDoctorSpeed(workspace, doctorReport(catalogSmoke, 40 * catalogSmoke));
    const gpu = presetEstimate(wganRuns, readMachineSpeed(workspace), 'auto', 2);
    expect(gpu).toMatchObject({ backend: 'webgpu', on: 'nvidia NVIDIA GeForce RTX 3090', gpu: true, measured: true });
    expect(presetEstimateText(gpu, true)).toBe(`≈ ${roughDuration(gpu.seconds)} on this GPU (webgpu, nvidia NVIDIA GeForce RTX 3090)`);
    // training dominates: 40× the smoke step's rate makes the study nearly 40× shorter
    expect(cpu.seconds / gpu.seconds).toBeGreaterThan(30);
    expect(cpu.seconds / gpu.seconds).toBeLessThanOrEqual(40);
    // asking for wasm by name keeps the CPU figure
    expect(presetEstimate(wganRuns, readMachineSpeed(workspace), 'wasm', 2).seconds).toBeCloseTo(cpu.seconds, 6);
  });

  it("a study's estimate from one run per cell is its estimate from every run (seeds change no run's time)", () => {
    recordDoctorSpeed(workspace, doctorReport(catalogSmoke, null));
    const speed = readMachineSpeed(workspace);
    // every built-in study but the 7,500-run grid, whose full expansion alone takes seconds
    const small = studyPresets.filter((p) => p.name !== 'collapse-or-thrive-gaussians');
    expect(small.length).toBeGreaterThan(3);
    for (const p of small) {
      const full = expandStudy(studyOfPreset(p)).runs.map((r) => r.config);
      for (const parallel of [1, 5]) {
        expect(studyEstimate(studyOfPreset(p), p.name, speed, 'auto', parallel), `${p.name} at ${parallel}`).toEqual(
          presetEstimate(full, speed, 'auto', parallel),
        );
      }
    }
  });

  it('durations read as a researcher plans them', () => {
    expect(roughDuration(42)).toBe('42 s');
    expect(roughDuration(90)).toBe('1.5 min');
    expect(roughDuration(6 * 3600)).toBe('6 h');
    expect(roughDuration(36 * 3600)).toBe('1.5 days');
    expect(roughDuration(370 * 86_400)).toBe('1 year');
    expect(roughDuration(3 * 365 * 86_400)).toBe('3 years');
  });
});

describe('a study that needs no TensorFlow.js (backend js)', () => {
  it("reads the js rates its finished runs left, not wasm's, and names js", () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-preset-js-'));
    try {
      const runs = expandStudy(studyOfPreset(findStudyPreset('self-consuming-phase'))).runs.map((r) => r.config);
      const before = presetEstimate(runs, readMachineSpeed(ws), 'auto', 2);
      expect(before).toMatchObject({ backend: 'js', measured: false });
      // what a finished study's runs record (main/runs/run-worker.ts: backend js for a plain-JavaScript model)
      const measuredAt = '2026-01-01T00:00:00.000Z';
      fs.writeFileSync(
        path.join(ws, 'machine-speed.json'),
        JSON.stringify({
          hosts: {
            [os.hostname()]: {
              auto: 'wasm',
              backends: {},
              models: { 'js/gaussian': { samplesPerSecond: 4e7, generatedPerSecond: 1e7, otherSecondsPerGeneration: 0.001, measuredAt } },
              start: { 'js/study': { seconds: 0.01, measuredAt } },
              metrics: { 'js/gaussian': { secondsPerSample: 1e-6, measuredAt } },
              selection: {},
            },
          },
        }),
      );
      const after = presetEstimate(runs, readMachineSpeed(ws), 'auto', 2);
      expect(after).toMatchObject({ backend: 'js', measured: true });
      // 700 runs × 50 generations at a millisecond each, two at once: seconds, not the fallbacks' minutes
      expect(after.seconds).toBeLessThan(before.seconds / 3);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });
});
