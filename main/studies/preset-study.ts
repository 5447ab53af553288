import type { StudyPresetInfo } from '../contract/api';
import type { StudySpec, StudySpecInput } from '../contract/study';
import { studyPresets, type StudyPreset } from '../presets/studies';

/**
 * The link between a study and the built-in preset it was started from: the preset's study file marked with the
 * preset's name (`preset` in study.json), and back from a study to its preset, whose claim, figures and verdict its
 * report shows.
 */

/** Returns the preset's study file with `preset` set to the preset's name (what `study run --preset` starts). */
export function studyOfPreset(preset: StudyPreset): StudySpecInput {
  return { ...preset.study, preset: preset.name };
}

/** Returns the preset a study was started from, or null when it records none or names one no longer built in. */
export function presetOfStudy(spec: Pick<StudySpec, 'preset'>): StudyPreset | null {
  if (!spec.preset) return null;
  return studyPresets.find((p) => p.name === spec.preset) ?? null;
}

/** Throws a clear error when a study names a preset that is not built in. */
export function checkStudyPreset(spec: Pick<StudySpec, 'preset'>, source: string): void {
  if (spec.preset && !studyPresets.some((p) => p.name === spec.preset)) {
    throw new Error(`${source}: preset: unknown study preset "${spec.preset}"; available: ${studyPresets.map((p) => p.name).join(', ')}`);
  }
}

/**
 * Returns a preset as plain data for the doors (the verdict function left out, its study file marked with its name):
 * name, description, expected minutes, study, and the claim and figures when it reproduces a paper.
 */
export function presetInfoOf(p: StudyPreset): StudyPresetInfo {
  return {
    name: p.name,
    description: p.description,
    expectedMinutes: p.expectedMinutes,
    ...(p.needsGpu ? { needsGpu: true } : {}),
    study: studyOfPreset(p),
    ...(p.claim ? { claim: p.claim } : {}),
    ...(p.figures ? { figures: p.figures } : {}),
  };
}
