import type { RunPhase } from '../contract/events';
import { loseWebgpuDeviceForTest } from './webgpu';

/**
 * A stand-in for a GPU fault, for the tests and scripts/gpu-check.sh: with COLLAPSE_LAB_WEBGPU_LOSE_AT=G (or G:B) the
 * run's WebGPU device is lost when generation G's training reaches batch B (default 1), as a driver reset or a removed
 * GPU would lose it. Returns the progress hook that does it, or null when the variable is unset.
 */
export function gpuFaultStandIn(
  env: NodeJS.ProcessEnv = process.env,
): ((p: { generation: number; phase: RunPhase; batch?: number }) => void) | null {
  const raw = env.COLLAPSE_LAB_WEBGPU_LOSE_AT?.trim();
  if (!raw) return null;
  const m = /^(\d+)(?::(\d+))?$/.exec(raw);
  if (!m) throw new RangeError(`COLLAPSE_LAB_WEBGPU_LOSE_AT must be GENERATION or GENERATION:BATCH, got "${raw}"`);
  const generation = Number(m[1]);
  const batch = Number(m[2] ?? 1);
  let done = false;
  return (p) => {
    if (done || p.generation !== generation || p.phase !== 'train' || (p.batch ?? 0) < batch) return;
    done = true;
    loseWebgpuDeviceForTest();
  };
}
