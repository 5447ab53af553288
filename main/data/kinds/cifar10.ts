import { cifar10Declaration } from '../../contract/datasets/cifar10';
import { CIFAR_DIM, cifar10Sizes, loadCifar10 } from '../cifar';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { officialFolderFacts } from '../official-folder-entry';

/** CIFAR-10 from its official binary files in a folder the user gives. */
export const cifar10Entry: DatasetKindEntry<'cifar10'> = {
  ...cifar10Declaration,
  unavailableReason: () => undefined,
  load: loadCifar10,
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: CIFAR_DIM }),
  facts: (cfg) => officialFolderFacts('CIFAR-10', CIFAR_DIM, cifar10Sizes(cfg.path), cfg),
};
