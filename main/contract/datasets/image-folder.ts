import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { testFraction, trainingSubset } from './user-file-fields';

/** A folder with one sub-folder of PNG images per class (the ImageFolder convention); a held-out test fraction. */
export const imageFolderDeclaration = declareDatasetKind({
  kind: 'image-folder',
  label: 'Image folder',
  detail: 'one sub-folder of PNGs per class',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('image-folder'),
      /** A folder with one sub-folder of PNG images per class (the ImageFolder convention). */
      path: z.string().min(1),
      testFraction,
      subset: trainingSubset,
    })
    .strict(),
  wizardDefaults: { kind: 'image-folder', path: '', testFraction: 0.1 },
  samplesAreImages: () => true,
});
