import type { StudySpecInput } from '../../contract/study';
import { gaussianSchemes } from './gaussian-schemes';
import { scoreGeometry } from './score-geometry';
import { selectionBiasIslands } from './selection-bias-islands';

/** A named, ready-to-run study. One file per study preset in this folder, registered in the list below. */
export interface StudyPreset {
  name: string;
  description: string;
  /** Minutes of one core for the whole study (runs × their preset's time), for the UI and docs. */
  expectedMinutes: number;
  study: StudySpecInput;
}

export const studyPresets: StudyPreset[] = [selectionBiasIslands, gaussianSchemes, scoreGeometry];

export function findStudyPreset(name: string): StudyPreset {
  const p = studyPresets.find((s) => s.name === name);
  if (!p) throw new Error(`unknown study preset "${name}"; available: ${studyPresets.map((s) => s.name).join(', ')}`);
  return p;
}
