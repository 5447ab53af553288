import { idxDeclaration } from '../../contract/datasets/idx';
import { assembleDataset, holdOut, holdOutSizes } from '../dataset-assembly';
import type { DatasetConfigOf, DatasetKindEntry } from '../dataset-kind-entry';
import { readIdxHeader } from '../idx';
import type { Dataset } from '../samples';
import { checkRegularFile } from '../read-input-file';
import { imageShapeOfArray, readSampleFile } from '../sample-file';

/** IDX files: images with optional labels, and optional test files (else a stratified, seeded held-out fraction). */
export const idxEntry: DatasetKindEntry<'idx'> = {
  ...idxDeclaration,
  unavailableReason: () => undefined,
  load: loadIdx,
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: null }),
  facts: (cfg) => {
    const files = [cfg.images, cfg.labels, cfg.testImages, cfg.testLabels].filter((f): f is string => !!f);
    const headers = files.map((f) => {
      const size = checkRegularFile(f, 'IDX file');
      return { h: readIdxHeader(f), size };
    });
    const main = headers[0].h;
    if (!main) return null; // gzipped: its shape is known once it is inflated (in the worker's preflight)
    const n = main.shape[0];
    const dim = main.shape.slice(1).reduce((a, b) => a * b, 1);
    const testHeader = cfg.testImages ? headers[files.indexOf(cfg.testImages)].h : null;
    const split = cfg.testImages ? { train: n, test: testHeader ? testHeader.shape[0] : 0 } : holdOutSizes(n, cfg.testFraction);
    const fileBytes = headers.reduce((s, x) => s + x.size, 0);
    const imageShape = imageShapeOfArray(main.shape);
    return {
      dim,
      ...(imageShape ? { imageShape } : {}),
      trainN: cfg.subset ?? split.train,
      testN: split.test,
      fileBytes,
      field: 'dataset.images',
    };
  },
};

async function loadIdx(cfg: DatasetConfigOf<'idx'>, seed: number): Promise<Dataset> {
  if (cfg.testLabels && !cfg.testImages) throw new Error('dataset.testLabels is given without dataset.testImages');
  if (cfg.testLabels && !cfg.labels) throw new Error('dataset.testLabels is given without dataset.labels');
  if (cfg.labels && cfg.testImages && !cfg.testLabels) {
    throw new Error('dataset.testLabels is required when dataset.labels and dataset.testImages are given');
  }
  const name = `idx:${cfg.images}`;
  const main = await readSampleFile(cfg.images, { format: 'idx', labels: cfg.labels });
  if (cfg.testImages) {
    const t = await readSampleFile(cfg.testImages, { format: 'idx', labels: cfg.testLabels });
    if (t.shape.join('x') !== main.shape.join('x')) {
      throw new Error(
        `test file ${cfg.testImages} has sample shape [${t.shape.join(', ')}] but ${cfg.images} has ` + `[${main.shape.join(', ')}]`,
      );
    }
    return assembleDataset(name, main.shape, main.samples, t.samples, cfg.subset, seed);
  }
  const { train, test } = holdOut(main.samples, cfg.testFraction ?? 0.1, seed, cfg.images);
  return assembleDataset(name, main.shape, train, test, cfg.subset, seed);
}
