import type { Samples } from '../data/samples';
import type { IslandChannel } from '../islands/island-channel';

export type ReferenceKind = 'local' | 'per-island' | 'pooled';

export interface SelectionInput {
  /** The N candidates in the run's selection feature space. */
  candidates: Samples;
  /** n: how many to keep. */
  keep: number;
  /** The only way to the real data: each island's channel. */
  islands: IslandChannel[];
  reference: ReferenceKind;
  /** The verifier island for the `local` reference. */
  verifier: number;
  seed: number;
  params: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface SelectionResult {
  /** Indices into the candidates, `keep` of them, distinct. */
  selected: Int32Array;
  diagnostics: Record<string, number | number[] | string>;
}

/** A selection scheme: one file per scheme in main/selection, registered in main/selection/registry.ts. */
export interface SelectionScheme {
  readonly name: string;
  select(input: SelectionInput): Promise<SelectionResult>;
}
