import type { ReferenceKind } from '../contract/reference-kind';
import type { Samples } from '../data/samples';
import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap } from '../islands/protocol';
import type { VerifierTarget } from './verifier-target';

export type { ReferenceKind };

export interface SelectionInput {
  /** The N candidates in the run's selection feature space. */
  candidates: Samples;
  /** That feature space, as the islands apply it to their own data (raw when absent). See feature-space.ts. */
  features?: IslandFeatureMap;
  /** n: how many to keep. */
  keep: number;
  /** The only way to the real data: each island's channel. */
  islands: IslandChannel[];
  reference: ReferenceKind;
  /** The verifier island for the `local` reference. */
  verifier: number;
  /** This generation's seed. */
  seed: number;
  /** The run's seed, for what a scheme computes once per run (Scheme II's barycenter); `seed` when absent. */
  runSeed?: number;
  params: Record<string, unknown>;
  /** The run's explicit verifier target (config.selection.target given / shifted-real); absent: the islands. */
  target?: VerifierTarget | null;
  signal?: AbortSignal;
}

export interface SelectionResult {
  /** Indices into the candidates, `keep` of them, distinct. */
  selected: Int32Array;
  diagnostics: Record<string, number | number[] | string>;
}

/**
 * A selection scheme: one file per scheme in main/selection, registered in main/selection/registry.ts. The registry
 * makes a fresh instance per run (getScheme), so a scheme may keep per-run state (a cached barycenter).
 */
export interface SelectionScheme {
  readonly name: string;
  select(input: SelectionInput): Promise<SelectionResult>;
}
