import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { testFraction, trainingSubset } from './user-file-fields';

/** IDX files (MNIST's format, optionally gzipped): images, optional labels, optional test files. */
export const idxDeclaration = declareDatasetKind({
  kind: 'idx',
  label: 'IDX files',
  detail: 'images (+ labels) in IDX format',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('idx'),
      images: z.string().min(1),
      labels: z.string().min(1).optional(),
      testImages: z.string().min(1).optional(),
      testLabels: z.string().min(1).optional(),
      testFraction,
      subset: trainingSubset,
    })
    .strict(),
  wizardDefaults: { kind: 'idx', images: '', testFraction: 0.1 },
  samplesAreImages: () => true,
});
