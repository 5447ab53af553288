import { toy2dDeclaration } from '../../contract/datasets/toy-2d';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { makeToy2d } from '../toy-2d';

/** The 2-D toy shapes: generated from the config and the seed, so always available and sized by the config. */
export const toy2dEntry: DatasetKindEntry<'toy-2d'> = {
  ...toy2dDeclaration,
  unavailableReason: () => undefined,
  load: (cfg, seed) => makeToy2d({ shape: cfg.shape, noise: cfg.noise, trainSize: cfg.trainSize, testSize: cfg.testSize }, seed),
  plannedSize: (cfg) => ({ trainN: cfg.trainSize, dim: 2 }),
  facts: (cfg) => ({ dim: 2, trainN: cfg.trainSize, testN: cfg.testSize, fileBytes: 0, field: 'dataset.trainSize' }),
};
