import type { ExperimentConfigInput } from '../contract/config';

/** A named, ready-to-run experiment. One file per preset in this folder, registered in the list below. */
export interface Preset {
  name: string;
  description: string;
  /** What it is expected to take on a 2-core machine, for the UI and docs. */
  expectedMinutes: number;
  config: ExperimentConfigInput;
}

import { smoke } from './smoke';
import { mnistIslands } from './mnist-islands';
import { gaussianCollapse } from './gaussian-collapse';

export const presets: Preset[] = [smoke, mnistIslands, gaussianCollapse];

export function findPreset(name: string): Preset {
  const p = presets.find((x) => x.name === name);
  if (!p) throw new Error(`unknown preset "${name}"; available: ${presets.map((x) => x.name).join(', ')}`);
  return p;
}
