import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { testFraction, trainingSubset } from './user-file-fields';

/** A NumPy .npy array of vectors or images, with an optional .npy of labels; a held-out test fraction. */
export const npyDeclaration = declareDatasetKind({
  kind: 'npy',
  label: '.npy file',
  detail: 'a NumPy array (+ labels)',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('npy'),
      path: z.string().min(1),
      labels: z.string().min(1).optional(),
      /** Interpret rows as images of this [height, width, channels]; vectors when absent (unless the array is 3-D/4-D). */
      imageShape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).optional(),
      testFraction,
      subset: trainingSubset,
    })
    .strict(),
  wizardDefaults: { kind: 'npy', path: '', testFraction: 0.1 },
  samplesAreImages: (cfg) => Array.isArray(cfg.imageShape),
});
