import { cifar100Declaration } from '../../contract/datasets/cifar100';
import { CIFAR_DIM, cifar100Sizes, loadCifar100 } from '../cifar';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import { officialFolderFacts } from '../official-folder-entry';

/** CIFAR-100 from its official binary files in a folder the user gives (fine or coarse labels). */
export const cifar100Entry: DatasetKindEntry<'cifar100'> = {
  ...cifar100Declaration,
  unavailableReason: () => undefined,
  load: loadCifar100,
  plannedSize: (cfg) => ({ trainN: cfg.subset ?? null, dim: CIFAR_DIM }),
  facts: (cfg) => officialFolderFacts('CIFAR-100', CIFAR_DIM, cifar100Sizes(cfg.path), cfg),
};
