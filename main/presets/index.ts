import type { ExperimentConfigInput } from '../contract/config';

/** A named, ready-to-run experiment. One file per preset in this folder, registered in the list below. */
export interface Preset {
  name: string;
  description: string;
  /** What it is expected to take on a 2-core machine, for the UI and docs. */
  expectedMinutes: number;
  /** Meant for a GPU: on one wasm core it takes days or more (the presets lists say how long it takes here). */
  needsGpu?: boolean;
  config: ExperimentConfigInput;
}

import { smoke } from './smoke';
import { mnistIslands } from './mnist-islands';
import { gaussianCollapse } from './gaussian-collapse';
import { gaussianIslandsSelection } from './gaussian-islands-selection';
import { wganGp5 } from './wgan-gp-5';
import { wganGp2 } from './wgan-gp-2';
import { vaeConv } from './vae-conv';
import { gmm } from './gmm';
import { kde } from './kde';
import { ddpmSmall } from './ddpm-small';
import { diffusionExact } from './diffusion-exact';
import { diffusionExactAnnealed } from './diffusion-exact-annealed';

export const presets: Preset[] = [
  smoke,
  mnistIslands,
  gaussianCollapse,
  gaussianIslandsSelection,
  wganGp5,
  wganGp2,
  vaeConv,
  gmm,
  kde,
  ddpmSmall,
  diffusionExact,
  diffusionExactAnnealed,
];

export function findPreset(name: string): Preset {
  const p = presets.find((x) => x.name === name);
  if (!p) throw new Error(`unknown preset "${name}"; available: ${presets.map((x) => x.name).join(', ')}`);
  return p;
}
