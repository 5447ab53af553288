import { declareDatasetKind } from './dataset-kind';
import { officialSplitSchema } from './official-split';

/** Fashion-MNIST (Debian's dataset-fashion-mnist): 60,000 training and 10,000 test images of clothes, 28×28×1. */
const split = { train: 60_000, test: 10_000, shape: [28, 28, 1] as [number, number, number] };

export const fashionMnistDeclaration = declareDatasetKind({
  kind: 'fashion-mnist',
  label: 'Fashion-MNIST',
  detail: '28×28 clothes, 60,000 + 10,000',
  builtinLabel: 'Fashion-MNIST',
  officialSplit: split,
  readsUserFiles: false,
  schema: officialSplitSchema('fashion-mnist', split),
  wizardDefaults: { kind: 'fashion-mnist', subset: 10_000, testSubset: 2000 },
  samplesAreImages: () => true,
});
