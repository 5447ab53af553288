import fs from 'node:fs';
import { ConfigError } from '../contract/config';
import { keepsGeneration, parseStorageMode } from '../contract/storage-mode';
import type { StudySpec } from '../contract/study';
import { defaultParallelism } from './embedded-queue';
import type { StudyPlan } from './expand-study';

/**
 * The caps that protect the host from a study, checked before anything is written, each refusal naming the limit, the
 * number and the flag that overrides it:
 *   - `parallel` above the machine's cores needs `oversubscribe` (CLI --oversubscribe);
 *   - a study of more runs than COLLAPSE_LAB_MAX_STUDY_RUNS (default 20,000; the paper's grid is 7,500) is refused from
 *     its axes and seeds alone, before a single config is expanded, unless `allowLarge` (--allow-large);
 *   - a study whose runs would write more than the workspace's free space (or COLLAPSE_LAB_MAX_STUDY_DISK bytes) is
 *     refused from an estimate of each run's files, unless `allowLarge`.
 */
export interface StudyLimitOverrides {
  /** Run more runs at once than the machine has cores. */
  oversubscribe?: boolean;
  /** Accept a study above the run-count and disk limits. */
  allowLarge?: boolean;
}

export const DEFAULT_MAX_STUDY_RUNS = 20_000;

function envNumber(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 1) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return v;
}

/** `parallel` runs at once: refused above the cores without `oversubscribe`. */
export function checkParallel(parallel: number | undefined, overrides: StudyLimitOverrides, source = 'study'): void {
  const cores = defaultParallelism();
  if (parallel !== undefined && parallel > cores && !overrides.oversubscribe) {
    throw new ConfigError(source, [
      {
        path: 'parallel',
        message: `parallel ${parallel} is above this machine's ${cores} cores: runs would only time-slice; pass --oversubscribe (API: oversubscribe: true) to run them anyway`,
      },
    ]);
  }
}

/** The number of runs a study expands to (its axes' product times its seeds), without expanding it. */
export function plannedRunCount(spec: StudySpec): number {
  let n = typeof spec.seeds === 'number' ? spec.seeds : spec.seeds.length;
  for (const a of spec.axes) n *= 'zip' in a ? a.zip[0].values.length : a.values.length;
  return n;
}

/** Refuse a study of more runs than the limit, from its spec alone (nothing expanded, nothing written). */
export function checkStudyRunCount(spec: StudySpec, overrides: StudyLimitOverrides, source = 'study', env = process.env): void {
  const limit = envNumber('COLLAPSE_LAB_MAX_STUDY_RUNS', DEFAULT_MAX_STUDY_RUNS, env);
  const runs = plannedRunCount(spec);
  if (runs > limit && !overrides.allowLarge) {
    throw new ConfigError(source, [
      {
        path: 'axes',
        message: `the study has ${runs.toLocaleString('en')} runs (its axes' values times its seeds), above the limit of ${limit.toLocaleString('en')} runs (COLLAPSE_LAB_MAX_STUDY_RUNS); pass --allow-large (API: allowLarge: true) to accept it`,
      },
    ]);
  }
}

/** A run's files when it ends, estimated from its config: the file count and bytes `study plan` prints. */
export function estimateRunFiles(config: StudyPlan['runs'][number]['config']): { files: number; bytes: number } {
  const mode = parseStorageMode(config.storage ?? 'all');
  const G = config.loop.generations;
  const dim =
    config.dataset.kind === 'gaussian' || config.dataset.kind === 'gaussian-mixture'
      ? ((config.dataset as { dim?: number }).dim ?? 10)
      : 784;
  const keptBytes = config.loop.keep * dim * 4 + 128;
  const lineBytes = 1500;
  // config.json, status.json, environment.json and metrics.jsonl
  const records = { files: 4, bytes: 8192 + G * lineBytes };
  if (mode.kind === 'metrics') return { files: records.files + 1, bytes: records.bytes + keptBytes };
  let kept = 0;
  for (let g = 0; g < G; g++) if (keepsGeneration(mode, g, G)) kept++;
  // per kept generation: samples.png (and rejected.png when the scheme rejects), kept.npy, the model's checkpoint files
  const perGeneration = { files: 4, bytes: keptBytes + 40_000 + Math.min(50e6, 8 * dim * dim + 4096) };
  const islands = config.islands.count;
  return {
    files: records.files + 2 + islands + kept * perGeneration.files,
    bytes: records.bytes + islands * 20_000 + kept * perGeneration.bytes,
  };
}

/** Refuse a study whose pending runs would not fit the workspace's free space (or the configured cap). */
export function checkStudyDisk(
  runs: StudyPlan['runs'],
  workspace: string,
  overrides: StudyLimitOverrides,
  source = 'study',
  env = process.env,
): void {
  if (overrides.allowLarge) return;
  let bytes = 0;
  for (const r of runs) bytes += estimateRunFiles(r.config).bytes;
  let free = Infinity;
  try {
    const s = fs.statfsSync(workspace);
    free = s.bavail * s.bsize;
  } catch {
    // a file system that does not say: only the configured cap applies
  }
  const cap = Math.min(free * 0.9, envNumber('COLLAPSE_LAB_MAX_STUDY_DISK', Infinity, env));
  if (bytes > cap) {
    const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
    throw new ConfigError(source, [
      {
        path: 'storage',
        message: `the study's runs would write about ${gb(bytes)}, above the ${Number.isFinite(free) && cap === free * 0.9 ? `workspace's free space (${gb(free)}, 90 % usable)` : `limit of ${gb(cap)} (COLLAPSE_LAB_MAX_STUDY_DISK)`}; keep less (storage: "metrics" or "every:K") or pass --allow-large (API: allowLarge: true)`,
      },
    ]);
  }
}
