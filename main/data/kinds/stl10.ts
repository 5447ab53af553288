import { stl10Declaration } from '../../contract/datasets/stl10';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { officialFolderFacts } from '../official-folder-entry';
import { loadStl10, STL10_DIM, stl10Sizes } from '../stl10';

/** STL-10 from its official binary files in a folder the user gives (labelled or unlabelled training images). */
export const stl10Entry: DatasetKindEntry<'stl10'> = {
  ...stl10Declaration,
  unavailableReason: () => undefined,
  load: loadStl10,
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: STL10_DIM }),
  facts: (cfg) => officialFolderFacts('STL-10', STL10_DIM, stl10Sizes(cfg), cfg),
};
