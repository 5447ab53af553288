import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { officialFolderFields } from './official-folder';

/**
 * STL-10 in its official binary format: the folder `stl10_binary` (train_X/y, test_X/y, unlabeled_X; 96×96×3). The
 * training images are the 5,000 labelled ones, or the 100,000 unlabelled ones (then the run has no classes); the test
 * images are test_X.bin.
 */
export const stl10Declaration = declareDatasetKind({
  kind: 'stl10',
  label: 'STL-10',
  detail: 'stl10_binary folder, 96×96×3',
  officialFolder: 'stl10_binary',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('stl10'),
      ...officialFolderFields(),
      /** The training images: `train` (5,000 labelled) or `unlabeled` (100,000 without labels). */
      images: z.enum(['train', 'unlabeled']).default('train'),
    })
    .strict(),
  wizardDefaults: { kind: 'stl10', path: '', images: 'train', subset: 2000, testSubset: 2000 },
  samplesAreImages: () => true,
});
