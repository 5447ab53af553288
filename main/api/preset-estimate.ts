import os from 'node:os';
import type { PresetEstimate, PresetInfo, StudyPresetInfo } from '../contract/api';
import type { BackendRequest } from '../contract/backend-request';
import { validateConfig, type ExperimentConfig } from '../contract/config';
import { machineRate, readMachineSpeed, type HostSpeed } from '../backend/machine-speed';
import { presets, type Preset } from '../presets';
import { studyPresets, type StudyPreset } from '../presets/studies';
import { defaultParallelism } from '../studies/embedded-queue';
import { expandStudy } from '../studies/expand-study';
import { presetInfoOf, studyOfPreset } from '../studies/preset-study';
import { estimateDuration, studySeconds } from './estimate-duration';
import { rateBackend } from '../runs/needs-tensorflow';

/**
 * Each preset's time on this machine for the presets lists (the app's Studies page and wizard, `collapse-lab presets`,
 * `study list --presets`): the duration estimate of its run, or of its study's runs at the default parallelism, with
 * this machine's measured speed on the backend the door asks for (main/backend/machine-speed.ts), and what that is.
 */
export function presetEstimate(
  configs: readonly ExperimentConfig[],
  speed: HostSpeed | null,
  request: BackendRequest,
  parallel?: number,
  copies = 1,
): PresetEstimate {
  const study = parallel !== undefined;
  const rates = configs.map((c) => machineRate(speed, rateBackend(request, c), c, { study }));
  // a study's runs differ mostly by seed (and name): one estimate per distinct rest
  const memo = new Map<string, number>();
  const one = configs.map((c, i) => {
    const key = JSON.stringify([{ ...c, seed: 0, name: '' }, rates[i]]);
    let s = memo.get(key);
    if (s === undefined) memo.set(key, (s = estimateDuration(c, rates[i], { study }).seconds));
    return s;
  });
  const seconds = copies === 1 ? one : one.flatMap((s) => Array<number>(copies).fill(s));
  const rate = rates.find((r) => r !== null) ?? null;
  const asked = configs[0] ? rateBackend(request, configs[0]) : request;
  const backend = rate?.backend ?? (asked === 'auto' ? 'wasm' : asked);
  const gpu = rate?.gpu ?? false;
  const cores = rate ? os.availableParallelism() : 2;
  const plural = (n: number) => `${n} core${n === 1 ? '' : 's'}`;
  const on = gpu
    ? rate!.label
    : parallel === undefined
      ? plural(cores)
      : `1 core per run, ${Math.max(1, Math.min(parallel, seconds.length))} at once`;
  return {
    seconds: parallel === undefined ? (seconds[0] ?? 0) : studySeconds(seconds, parallel),
    backend,
    on,
    gpu,
    measured: rate !== null,
  };
}

/** The run presets as the doors list them, each with its time here. */
export function runPresetInfos(workspace: string, request: BackendRequest): PresetInfo[] {
  const speed = readMachineSpeed(workspace);
  return presets.map((p: Preset) => ({
    name: p.name,
    description: p.description,
    expectedMinutes: p.expectedMinutes,
    ...(p.needsGpu ? { needsGpu: true } : {}),
    here: presetEstimate([validateConfig(p.config, `preset ${p.name}`)], speed, request),
    config: p.config,
  }));
}

/**
 * A study's time here at `parallel` runs at once, from one run per cell: a cell's runs differ only by seed, which
 * leaves the estimate alone (a 7,500-run grid is 75 configs to validate and estimate, not 7,500: seconds, once).
 */
export function studyEstimate(
  study: unknown,
  source: string,
  speed: HostSpeed | null,
  request: BackendRequest,
  parallel: number,
): PresetEstimate {
  const plan = expandStudy(study, source, { firstSeedOnly: true });
  return presetEstimate(
    plan.runs.map((r) => r.config),
    speed,
    request,
    parallel,
    plan.seeds.length,
  );
}

/** The study presets as the doors list them, each with its time here at the default parallelism. */
export function studyPresetInfos(workspace: string, request: BackendRequest): StudyPresetInfo[] {
  const speed = readMachineSpeed(workspace);
  return studyPresets.map((p: StudyPreset) => ({
    ...presetInfoOf(p),
    here: studyEstimate(studyOfPreset(p), `study preset ${p.name}`, speed, request, defaultParallelism()),
  }));
}
