import type { IdxSplitFiles } from './idx-samples';

/**
 * The four file names of MNIST's layout (also Fashion-MNIST's and other look-alikes): training and test images and
 * labels, as IDX files (Fashion-MNIST's Debian package adds `.gz`). Written here once.
 */
export const OFFICIAL_IDX_FILE_NAMES: Readonly<IdxSplitFiles> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};
