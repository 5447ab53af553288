import { ConfigError } from '../contract/config';
import type { DatasetFacts } from './dataset-kind-entry';

/**
 * The facts of a dataset read from its official files in a folder: the split sizes come from the files' sizes
 * (checked), cut by the config's subsets; a subset beyond its split is refused at its field, naming the split's size.
 */
export function officialFolderFacts(
  name: string,
  dim: number,
  sizes: { train: number; test: number },
  cfg: { subset?: number; testSubset?: number },
): DatasetFacts {
  const issues = [
    ...over('dataset.subset', cfg.subset, sizes.train, 'training', name),
    ...over('dataset.testSubset', cfg.testSubset, sizes.test, 'test', name),
  ];
  if (issues.length > 0) throw new ConfigError('config', issues);
  const trainN = cfg.subset ?? sizes.train;
  const testN = cfg.testSubset ?? sizes.test;
  // the files are read a chunk or a record at a time: what is held beside the kept images is one label per record
  return { dim, trainN, testN, fileBytes: sizes.train + sizes.test, field: 'dataset.path' };
}

function over(path: string, n: number | undefined, size: number, words: string, name: string) {
  return n !== undefined && n > size
    ? [{ path, message: `${n.toLocaleString('en-US')} is more than the ${size.toLocaleString('en-US')} ${words} samples of ${name}` }]
    : [];
}
