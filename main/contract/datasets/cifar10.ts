import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';
import { officialFolderFields } from './official-folder';

/** CIFAR-10 in its official binary format: the folder `cifar-10-batches-bin` (5 training batches and a test batch). */
export const cifar10Declaration = declareDatasetKind({
  kind: 'cifar10',
  label: 'CIFAR-10',
  detail: 'cifar-10-batches-bin folder, 32×32×3',
  officialFolder: 'cifar-10-batches-bin',
  readsUserFiles: true,
  schema: z
    .object({
      kind: z.literal('cifar10'),
      ...officialFolderFields(),
    })
    .strict(),
  wizardDefaults: { kind: 'cifar10', path: '', subset: 10_000, testSubset: 2000 },
  samplesAreImages: () => true,
});
