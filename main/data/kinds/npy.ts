import { npyDeclaration } from '../../contract/datasets/npy';
import { assembleDataset, holdOut, holdOutSizes } from '../dataset-assembly';
import type { DatasetConfigOf, DatasetKindEntry } from '../dataset-kind-entry';
import { readNpyHeader } from '../npy';
import { imageShapeOfArray, readSampleFile } from '../sample-file';
import type { Dataset } from '../samples';

/** A .npy array (vectors or images) with an optional .npy of labels; a stratified, seeded held-out test fraction. */
export const npyEntry: DatasetKindEntry<'npy'> = {
  ...npyDeclaration,
  unavailableReason: () => undefined,
  load: loadNpy,
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: cfg.imageShape ? cfg.imageShape.reduce((a, b) => a * b, 1) : null }),
  facts: (cfg) => {
    const h = readNpyHeader(cfg.path);
    if (cfg.labels) {
      const l = readNpyHeader(cfg.labels);
      if (l.shape.length !== 1)
        throw new Error(`labels file ${cfg.labels} must hold a 1-D array, but its shape is [${l.shape.join(', ')}]`);
      if (h.shape.length >= 1 && l.shape[0] !== h.shape[0]) {
        throw new Error(
          `labels file ${cfg.labels} has ${l.shape[0]} labels but ${cfg.path} has ${h.shape[0]} samples; they must have the same length`,
        );
      }
    }
    if (h.shape.length < 1) return null;
    const n = h.shape[0];
    const dim = h.shape.slice(1).reduce((a, b) => a * b, 1);
    const { train, test } = holdOutSizes(n, cfg.testFraction);
    const imageShape = imageShapeOfArray(h.shape, cfg.imageShape);
    return {
      dim,
      ...(imageShape ? { imageShape } : {}),
      trainN: cfg.subset ?? train,
      testN: test,
      fileBytes: h.fileSize,
      field: 'dataset.path',
    };
  },
};

async function loadNpy(cfg: DatasetConfigOf<'npy'>, seed: number): Promise<Dataset> {
  const { samples, shape } = await readSampleFile(cfg.path, { format: 'npy', imageShape: cfg.imageShape, labels: cfg.labels });
  const { train, test } = holdOut(samples, cfg.testFraction ?? 0.1, seed, cfg.path);
  return assembleDataset(`npy:${cfg.path}`, shape, train, test, cfg.subset, seed);
}
