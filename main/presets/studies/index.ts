import type { PaperClaim, StudyFigureSpec, StudyVerdict } from '../../contract/paper-claim';
import type { AggregateWindow, StudyAggregate } from '../../contract/study-aggregate';
import type { StudySpecInput } from '../../contract/study';
import { bertrandStability } from './bertrand-stability';
import { collapseOrThriveGaussians, collapseOrThriveGaussiansQuick } from './collapse-or-thrive-gaussians';
import { collapseOrThriveKde, collapseOrThriveKdeQuick } from './collapse-or-thrive-kde';
import { covarianceMatching } from './covariance-matching';
import { covarianceMatchingRecursive } from './covariance-matching-recursive';
import { deyDonohoAccumulate } from './dey-donoho-accumulate';
import { diffusionTruncation } from './diffusion-truncation';
import { gaussianSchemes } from './gaussian-schemes';
import { khelifaDiscountedDrift } from './khelifa-discounted-drift';
import { scoreGeometry } from './score-geometry';
import { selectionBiasIslands } from './selection-bias-islands';
import { selectionBiasToy } from './selection-bias-toy';
import { selfConsumingPhase } from './self-consuming-phase';
import { vaeCollapse } from './vae-collapse';
import { wganDrift } from './wgan-drift';

/** A named, ready-to-run study. One file per study preset in this folder, registered in the list below. */
export interface StudyPreset {
  name: string;
  description: string;
  /** Minutes of one core for the whole study (runs × their preset's time), for the UI and docs. */
  expectedMinutes: number;
  /** Meant for a GPU: on one wasm core it takes days or more (the presets lists say how long it takes here). */
  needsGpu?: boolean;
  study: StudySpecInput;
  /** The paper it reproduces (built-in reproductions); absent for plain example studies. */
  claim?: PaperClaim;
  /** The figures its view and its report draw, as the paper draws them. */
  figures?: StudyFigureSpec[];
  /** Whether the claim is reproduced, from the study's aggregate. Required when `claim` is given. */
  verdict?: (aggregate: StudyAggregate) => StudyVerdict;
  /**
   * The windows of generations its verdict averages a metric over (statOver): the aggregate keeps each seed's mean over
   * each, so that a window mean's spread over the seeds is measured rather than bounded.
   */
  windows?: AggregateWindow[];
}

export const studyPresets: StudyPreset[] = [
  selectionBiasToy,
  selectionBiasIslands,
  gaussianSchemes,
  scoreGeometry,
  vaeCollapse,
  diffusionTruncation,
  covarianceMatching,
  covarianceMatchingRecursive,
  wganDrift,
  selfConsumingPhase,
  collapseOrThriveGaussians,
  collapseOrThriveGaussiansQuick,
  collapseOrThriveKde,
  collapseOrThriveKdeQuick,
  deyDonohoAccumulate,
  bertrandStability,
  khelifaDiscountedDrift,
];

export function findStudyPreset(name: string): StudyPreset {
  const p = studyPresets.find((s) => s.name === name);
  if (!p) throw new Error(`unknown study preset "${name}"; available: ${studyPresets.map((s) => s.name).join(', ')}`);
  return p;
}
