import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { ComputeReport } from '../contract/compute-report';
import { modelCost } from '../contract/models/catalog';
import { smoke } from '../presets/smoke';
import { writeFileAtomicSync } from '../util/atomic-write';

/**
 * This machine's measured training speed, for the duration estimates (main/api/estimate-duration.ts): per backend,
 * the doctor's figure (the smoke model's training step, `collapse-lab doctor` or the app's Compute view), and per
 * backend and model kind, the training rate of the finished runs (their training rows × epochs over their train
 * stage's seconds). Kept in the workspace as machine-speed.json, one entry per host name (a workspace on a shared
 * disk serves several machines).
 */
const backendSpeed = z.object({
  /** Training images per second of the smoke model's step. */
  smokeImagesPerSecond: z.number().positive(),
  /** What ran it: the adapter for webgpu, else the package. */
  label: z.string(),
  measuredAt: z.string(),
});

const modelSpeed = z.object({
  /** Training samples (rows × epochs) per second of the train stage. */
  samplesPerSecond: z.number().positive(),
  measuredAt: z.string(),
});

const hostSpeed = z.object({
  /** The backend `auto` picks on this host (the doctor's answer). */
  auto: z.string().optional(),
  backends: z.record(z.string(), backendSpeed).default({}),
  /** Keyed `<backend>/<model kind>`. */
  models: z.record(z.string(), modelSpeed).default({}),
});
export type HostSpeed = z.infer<typeof hostSpeed>;

const speedFile = z.object({ hosts: z.record(z.string(), hostSpeed) });

const FILE = 'machine-speed.json';

function read(workspace: string): z.infer<typeof speedFile> {
  try {
    return speedFile.parse(JSON.parse(fs.readFileSync(path.join(workspace, FILE), 'utf8')));
  } catch {
    // none yet, or unreadable: the estimates fall back to the catalog's rates
    return { hosts: {} };
  }
}

function update(workspace: string, change: (h: HostSpeed) => void): void {
  const file = read(workspace);
  const host = os.hostname();
  const h = file.hosts[host] ?? { backends: {}, models: {} };
  change(h);
  file.hosts[host] = h;
  fs.mkdirSync(workspace, { recursive: true });
  writeFileAtomicSync(path.join(workspace, FILE), JSON.stringify(file, null, 2) + '\n');
}

/** This host's measured speeds in `workspace`, or null before any measurement. */
export function readMachineSpeed(workspace: string): HostSpeed | null {
  return read(workspace).hosts[os.hostname()] ?? null;
}

/** Keep the doctor's timed backends and its auto choice. */
export function recordDoctorSpeed(workspace: string, report: ComputeReport): void {
  const timed = report.backends.filter((b) => b.imagesPerSecond !== null && b.imagesPerSecond > 0);
  if (timed.length === 0) return;
  update(workspace, (h) => {
    h.auto = report.auto.backend;
    for (const b of timed) {
      const label = b.adapter ? `${b.adapter.vendor} ${b.adapter.description || b.adapter.device}`.trim() : b.via;
      h.backends[b.backend] = { smokeImagesPerSecond: b.imagesPerSecond!, label, measuredAt: report.measuredAt };
    }
  });
}

/** Keep a finished run's training rate for its backend and model kind. */
export function recordRunSpeed(workspace: string, backend: string, modelKind: string, samplesPerSecond: number): void {
  if (!(samplesPerSecond > 0) || !Number.isFinite(samplesPerSecond)) return;
  update(workspace, (h) => {
    h.models[`${backend}/${modelKind}`] = { samplesPerSecond, measuredAt: new Date().toISOString() };
  });
}

/** This machine's rate for one estimate: what main/api/estimate-duration.ts scales the catalog's rates by. */
export interface MachineRate {
  /** The backend it was measured on, and what ran it (the adapter for webgpu). */
  backend: string;
  label: string;
  /** The model kind's training samples per second in finished runs on this backend, when there were some. */
  trainPerSecond?: number;
  /** The doctor's smoke figure over the catalog's rate for the smoke model (the catalog's rates times this). */
  factor: number;
}

/**
 * The measured rate for a run of `modelKind` asking for backend `request` (`auto`: the doctor's answer), or null when
 * this host has no measurement of that backend (the estimate then says it uses the catalog's 2-core wasm rates).
 */
export function machineRate(speed: HostSpeed | null, request: string, modelKind: string): MachineRate | null {
  if (!speed) return null;
  const backend = request === 'auto' ? speed.auto : request;
  if (!backend) return null;
  const doctor = speed.backends[backend];
  const runs = speed.models[`${backend}/${modelKind}`];
  if (!doctor && !runs) return null;
  const catalogSmoke = modelCost(smoke.config.model, { dim: 784 }).train;
  return {
    backend,
    label: doctor?.label ?? backend,
    factor: doctor ? doctor.smokeImagesPerSecond / catalogSmoke : 1,
    ...(runs ? { trainPerSecond: runs.samplesPerSecond } : {}),
  };
}
