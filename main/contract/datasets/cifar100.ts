import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { officialFolderFields } from './official-folder';

/** CIFAR-100 in its official binary format: the folder `cifar-100-binary` (train.bin, test.bin), fine or coarse labels. */
export const cifar100Declaration = declareDatasetKind({
  kind: 'cifar100',
  label: 'CIFAR-100',
  detail: 'cifar-100-binary folder, 32×32×3',
  officialFolder: 'cifar-100-binary',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('cifar100'),
      ...officialFolderFields(),
      /** Which labels the samples carry: the 100 fine classes or the 20 coarse superclasses. */
      labels: z.enum(['fine', 'coarse']).default('fine'),
    })
    .strict(),
  wizardDefaults: { kind: 'cifar100', path: '', labels: 'fine', subset: 10_000, testSubset: 2000 },
  samplesAreImages: () => true,
});
