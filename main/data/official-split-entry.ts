import { ConfigError } from '../contract/config';
import type { DatasetKindDeclaration } from '../contract/datasets/dataset-kind';
import { officialSubsetIssues } from '../contract/datasets/official-split';
import { fromOfficialSplit } from './dataset-assembly';
import type { DatasetConfigOf, DatasetKindEntry } from './dataset-kind-entry';
import type { ImageSplit } from './mnist';

type OfficialKind = 'mnist' | 'fashion-mnist';

/**
 * The entry of a packaged dataset with an official split (MNIST, Fashion-MNIST): its size is its declared split, cut
 * by the config's subsets; loading decodes the package's files once per process.
 */
export function officialSplitEntry<K extends OfficialKind>(
  declaration: DatasetKindDeclaration<K>,
  source: { read(): Promise<ImageSplit>; unavailableReason(): string | undefined },
): DatasetKindEntry<K> {
  const split = declaration.officialSplit;
  if (!split) throw new Error(`dataset kind "${declaration.kind}" declares no official split`);
  const dim = split.shape.reduce((a, b) => a * b, 1);
  return {
    ...declaration,
    unavailableReason: source.unavailableReason,
    load: async (cfg: DatasetConfigOf<OfficialKind>, seed: number) =>
      fromOfficialSplit(declaration.kind, await source.read(), cfg.subset, cfg.testSubset, seed),
    plannedSize: (cfg: DatasetConfigOf<OfficialKind>) => ({ trainN: cfg.subset ?? split.train, dim }),
    facts: (cfg: DatasetConfigOf<OfficialKind>) => {
      // the config's schema refuses these too; here for a config that skipped it (the message names the real size)
      const issues = officialSubsetIssues(cfg, split);
      if (issues.length > 0) throw new ConfigError('config', issues);
      return {
        dim,
        trainN: cfg.subset ?? split.train,
        testN: cfg.testSubset ?? split.test,
        fileBytes: (split.train + split.test) * dim,
        field: 'dataset.subset',
      };
    },
  };
}
