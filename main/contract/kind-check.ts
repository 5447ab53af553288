/**
 * What the cross-field checks of a model or scheme kind (its catalog entry's `checks`) see of a validated config, and
 * what they report: an issue at a config path (from the root, e.g. ['selection', 'params', 'proxy']). The contract
 * (main/contract/config.ts) runs every kind's checks the same way; no check names a kind there.
 */
export interface KindCheckContext {
  /** The dataset's kind (`gaussian`, `mnist`, …). */
  datasetKind: string;
  /** Number of islands. */
  islands: number;
  /** n: samples kept per generation. */
  keep: number;
  /** N = round(ratio · n): candidates generated per generation. */
  candidates: number;
}

export interface KindCheckIssue {
  path: (string | number)[];
  message: string;
}
