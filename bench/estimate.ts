/**
 * Does the duration estimate hold? Runs the smoke preset in a fresh workspace and prints, stage by stage, the
 * estimate before any measurement (the catalog's fallbacks), after the doctor (what a measured machine shows before
 * its first run), after the run itself (its stage times kept in machine-speed.json), and the run's actual times.
 * Exits 1 when the doctor-based estimate is off by more than 1.5× either way (the goal of issue 21, on an idle
 * machine: on a loaded one the run is slower than the doctor's figure, and the verdict says the load).
 *
 *   npm run bench -- estimate [--backend=auto|wasm|webgpu|…]      (default auto, what a user's run asks for)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { estimateDuration } from '../main/api/estimate-duration';
import { runDoctor } from '../main/backend/doctor-client';
import { machineRate, readMachineSpeed, recordDoctorSpeed } from '../main/backend/machine-speed';
import { backendRequest, type BackendRequest } from '../main/contract/backend-request';
import type { DurationEstimate } from '../main/contract/api';
import { validateConfig } from '../main/contract/config';
import { findPreset } from '../main/presets';
import { RunManager } from '../main/runs/run-manager';
import { loadLine } from './reference-env';

const STAGES = ['start', 'training', 'sampling', 'selection', 'metrics', 'other'] as const;
type Stages = Record<(typeof STAGES)[number], number>;

export async function run(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--backend='));
  const backend: BackendRequest = backendRequest.parse(arg ? arg.slice('--backend='.length) : 'auto');
  const config = validateConfig(findPreset('smoke').config, 'preset smoke');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-estimate-'));
  try {
    console.log(loadLine('before'));
    const catalog = estimateDuration(config);
    const t0 = performance.now();
    recordDoctorSpeed(workspace, await runDoctor({ measure: true, seconds: 2 }));
    console.log(`doctor: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const here = () => machineRate(readMachineSpeed(workspace), backend, config);
    const doctor = estimateDuration(config, here());
    console.log(`estimate (doctor): ${doctor.basis}`);
    console.log(loadLine('run start'));

    const manager = new RunManager(workspace, backend);
    // a run waits `queued` while the host's run slots are taken by other processes' runs: not the run's own time
    const at: Partial<Record<'queued' | 'starting', number>> = {};
    manager.on('event', (e: { type: string; state?: string }) => {
      if (e.type === 'status' && (e.state === 'queued' || e.state === 'starting')) at[e.state] ??= performance.now();
    });
    const t1 = performance.now();
    const runId = await manager.startChecked(config);
    const status = await manager.wait(runId);
    const waited = at.queued !== undefined && at.starting !== undefined ? (at.starting - at.queued) / 1000 : 0;
    const wall = (performance.now() - t1) / 1000 - waited;
    console.log(`waited ${waited.toFixed(1)} s for a host run slot (other processes' runs): left out of the actual time`);
    console.log(loadLine('run end'));
    if (status.state !== 'completed') throw new Error(`the smoke run ended ${status.state}: ${status.error ?? ''}`);
    const after = estimateDuration(config, here());

    const lines = manager.get(runId).metrics;
    const sum = (f: (m: (typeof lines)[number]) => unknown) => lines.reduce((a, m) => a + (Number(f(m)) || 0), 0);
    const generations = sum((m) => m.seconds);
    const actual: Stages = {
      start: wall - generations,
      training: sum((m) => m.trainSeconds),
      sampling: sum((m) => m.sampleSeconds),
      selection: sum((m) => m.selectionSeconds),
      metrics: sum((m) => m.metricsSeconds),
      other: 0,
    };
    actual.other = wall - STAGES.filter((s) => s !== 'other').reduce((a, s) => a + actual[s], 0);

    const columns: [string, DurationEstimate | null][] = [
      ['catalog', catalog],
      ['doctor', doctor],
      ['after run', after],
    ];
    const cell = (v: number) => v.toFixed(1).padStart(10);
    console.log(`\nsmoke preset on ${status.backend ?? backend}: seconds per stage (estimate / actual)`);
    console.log(`${'stage'.padEnd(10)}${columns.map(([n]) => n.padStart(10)).join('')}${'actual'.padStart(10)}`);
    for (const s of STAGES) {
      console.log(`${s.padEnd(10)}${columns.map(([, e]) => cell(e!.stages![s])).join('')}${cell(actual[s])}`);
    }
    console.log(`${'total'.padEnd(10)}${columns.map(([, e]) => cell(e!.seconds)).join('')}${cell(wall)}`);
    console.log(`${'ratio'.padEnd(10)}${columns.map(([, e]) => (e!.seconds / wall).toFixed(2).padStart(10)).join('')}`);
    const ratio = doctor.seconds / wall;
    const holds = ratio <= 1.5 && ratio >= 1 / 1.5;
    console.log(
      `\nthe doctor-based estimate is ${ratio.toFixed(2)}× the actual time: ` +
        (holds ? 'within 1.5×' : 'OUTSIDE 1.5× (on a loaded machine the run is slower than the doctor measured)'),
    );
    console.log(loadLine('after'));
    if (!holds) process.exitCode = 1;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
