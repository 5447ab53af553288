import type { PresetEstimate } from '../contract/api';

/** A long duration in words a researcher plans by: seconds to years, two significant figures at most. */
export function roughDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const units: [number, string][] = [
    [365 * 86_400, 'years'],
    [86_400, 'days'],
    [3600, 'h'],
    [60, 'min'],
  ];
  for (const [size, name] of units) {
    const v = seconds / size;
    if (v >= 1) return `${v >= 10 ? Math.round(v) : Number(v.toFixed(1))} ${v < 1.05 && name.endsWith('s') ? name.slice(0, -1) : name}`;
  }
  return `${Math.max(1, Math.round(seconds))} s`;
}

/**
 * One line for a preset's time in the presets lists (the app's and the CLI's): "≈ 6 h on this machine (wasm, 2
 * cores)", "≈ 40 min on this GPU (webgpu, nvidia NVIDIA GeForce RTX 3090)", "≈ 1 year on this machine (wasm, 1 core
 * per run, 2 at once) — needs a GPU"; before any measurement, the catalog's 2-core figure, said so.
 */
export function presetEstimateText(e: PresetEstimate, needsGpu = false): string {
  return `≈ ${roughDuration(e.seconds)} ${estimateWhere(e)}${needsGpu && !e.gpu ? ' — needs a GPU' : ''}`;
}

/** Where and on what an estimate holds: "on this machine (wasm, 2 cores)", or the catalog's machine, said so. */
export function estimateWhere(e: PresetEstimate): string {
  const where = e.gpu ? 'on this GPU' : e.measured ? 'on this machine' : 'on a 2-core machine';
  // runs without TensorFlow.js (backend js) are not timed by the doctor: their first finished run measures them
  const basis = e.measured
    ? ''
    : e.backend === 'js'
      ? '; not measured here: a finished run measures it'
      : '; not measured here: run the doctor';
  return `${where} (${e.backend}, ${e.on}${basis})`;
}
