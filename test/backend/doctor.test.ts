import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../main/backend/doctor-client';
import { autoPreference } from '../../main/backend/select-backend';
import { formatComputeReport } from '../../main/cli/commands/doctor';
import { computeReport, type ComputeReport } from '../../main/contract/compute-report';

/** `collapse-lab doctor`: every backend, available or why not, timed, and auto's pick, from the engine and the CLI. */
function expectCoherent(r: ComputeReport): void {
  expect(r.backends.map((b) => `${b.backend} ${b.via.startsWith('@') ? b.via : ''}`.trim())).toEqual([
    'tensorflow @tensorflow/tfjs-node-gpu',
    'webgpu',
    'tensorflow @tensorflow/tfjs-node',
    'wasm @tensorflow/tfjs-backend-wasm',
    'cpu @tensorflow/tfjs-backend-cpu',
  ]);
  for (const b of r.backends) {
    if (!b.available) expect(b.why, `${b.backend} ${b.via}`).toMatch(/\S/);
  }
  expect(r.backends.find((b) => b.backend === 'wasm')!.available).toBe(true);
  // auto: the first of its order that is available; never a software adapter
  const first = autoPreference.find((c) => r.backends.some((b) => b.available && b.backend === c.backend && b.via === c.via))!;
  expect(r.auto).toEqual({ backend: first.backend, via: first.via });
  const gpu = r.backends.find((b) => b.backend === 'webgpu')!;
  if (gpu.adapter?.fallback) expect(r.auto.backend).not.toBe('webgpu');
  if (gpu.adapter) expect(gpu.checks.some((c) => c.label === 'adapter' && c.ok)).toBe(true);
}

describe('doctor', () => {
  it('explains every backend and names what auto picks, without timing', async () => {
    const r = await runDoctor({ measure: false });
    expectCoherent(r);
    expect(r.backends.every((b) => b.imagesPerSecond === null)).toBe(true);
    const gpuNode = r.backends[0];
    if (!gpuNode.available)
      expect(gpuNode.checks.map((c) => c.label)).toEqual(expect.arrayContaining(['libcudnn.so.8', 'libcudart.so.11.0']));
    const text = formatComputeReport(r);
    expect(text).toContain(`auto picks: ${r.auto.backend} (${r.auto.via})`);
    for (const b of r.backends) if (b.why) expect(text).toContain(`why: ${b.why}`);
  });

  it('times the smoke model on each available backend', async () => {
    const r = await runDoctor({ measure: true, seconds: 0.3 });
    expectCoherent(r);
    for (const b of r.backends.filter((x) => x.available)) {
      expect(b.measureError, `${b.backend}`).toBeUndefined();
      expect(b.imagesPerSecond, `${b.backend}`).toBeGreaterThan(0);
    }
    expect(r.load).toMatch(/^\d+\.\d\d → \d+\.\d\d$/);
  });

  it('collapse-lab doctor --json --no-measure prints the report', () => {
    const bin = path.resolve(__dirname, '../../bin/collapse-lab.mjs');
    const out = spawnSync(process.execPath, [bin, 'doctor', '--json', '--no-measure'], { encoding: 'utf8', timeout: 120_000 });
    expect(out.status, out.stderr).toBe(0);
    expectCoherent(computeReport.parse(JSON.parse(out.stdout)));
  });
});
