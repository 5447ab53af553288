import type { Samples, SampleShape } from './samples';
import { readSampleFile } from './sample-file';

export interface IdxSplitFiles {
  trainImages: string;
  trainLabels: string;
  testImages: string;
  testLabels: string;
}

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

/** A labelled train/test pair of IDX image files (MNIST and its look-alikes), read by the one sample-file reader. */
export async function readIdxSplit(files: IdxSplitFiles): Promise<{ train: Samples; test: Samples; shape: SampleShape }> {
  const train = await readSampleFile(files.trainImages, { format: 'idx', labels: files.trainLabels });
  const test = await readSampleFile(files.testImages, { format: 'idx', labels: files.testLabels });
  if (train.shape.join('x') !== test.shape.join('x')) {
    throw new Error(
      `test images ${files.testImages} have sample shape [${test.shape.join(', ')}] but training images ` +
        `${files.trainImages} have [${train.shape.join(', ')}]`,
    );
  }
  return { train: train.samples, test: test.samples, shape: train.shape };
}
