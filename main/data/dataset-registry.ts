import { ConfigError, type DatasetConfig } from '../contract/config';
import { datasetDeclarations } from '../contract/datasets/dataset-kinds';
import type { DatasetKind, DatasetKindEntry } from './dataset-kind-entry';
import { cifar10Entry } from './kinds/cifar10';
import { cifar100Entry } from './kinds/cifar100';
import { fashionMnistEntry } from './kinds/fashion-mnist';
import { gaussianEntry } from './kinds/gaussian';
import { gaussianMixtureEntry } from './kinds/gaussian-mixture';
import { idxEntry } from './kinds/idx';
import { imageFolderEntry } from './kinds/image-folder';
import { mnistEntry } from './kinds/mnist';
import { npyEntry } from './kinds/npy';
import { stl10Entry } from './kinds/stl10';
import { toy2dEntry } from './kinds/toy-2d';

/**
 * The dataset kinds the engine can load: one entry per kind of the config contract (the compiler refuses a kind
 * without one). loadDataset, the built-in list (catalog.get), the duration estimate and the memory preflight read
 * their dataset facts here; the contract's `datasetConfig` is built from the same declarations the entries spread in.
 */
const entries: { [K in DatasetKind]: DatasetKindEntry<K> } = {
  mnist: mnistEntry,
  'fashion-mnist': fashionMnistEntry,
  gaussian: gaussianEntry,
  'gaussian-mixture': gaussianMixtureEntry,
  'toy-2d': toy2dEntry,
  'image-folder': imageFolderEntry,
  idx: idxEntry,
  npy: npyEntry,
  cifar10: cifar10Entry,
  cifar100: cifar100Entry,
  stl10: stl10Entry,
};

for (const d of datasetDeclarations) {
  if (entries[d.kind].schema !== d.schema)
    throw new Error(`dataset kind "${d.kind}": its registry entry does not carry the contract's schema`);
}

/** Every entry, in the contract's order. */
export function datasetEntries(): DatasetKindEntry[] {
  return datasetDeclarations.map((d) => entries[d.kind] as unknown as DatasetKindEntry);
}

/** The entry of a kind; an unknown kind is refused at dataset.kind, naming it and the known kinds. */
export function datasetEntry(kind: unknown): DatasetKindEntry {
  if (typeof kind !== 'string' || !Object.hasOwn(entries, kind)) {
    throw new ConfigError('config', [
      { path: 'dataset.kind', message: `unknown dataset kind ${JSON.stringify(kind)}; known kinds: ${Object.keys(entries).join(', ')}` },
    ]);
  }
  return entries[kind as DatasetKind] as unknown as DatasetKindEntry;
}

/** The entry of a config's kind. */
export function datasetEntryFor(cfg: DatasetConfig): DatasetKindEntry {
  return datasetEntry((cfg as { kind?: unknown } | null | undefined)?.kind);
}

export interface BuiltinDatasetInfo {
  kind: DatasetKind;
  label: string;
  available: boolean;
  /** Why it is unavailable (with the fix), when it is. */
  reason?: string;
}

/** The datasets that need no files from the user, and whether each can be loaded here. */
export function listBuiltinDatasets(): BuiltinDatasetInfo[] {
  return datasetEntries().flatMap((e): BuiltinDatasetInfo[] => {
    if (e.builtinLabel === undefined) return [];
    const reason = e.unavailableReason();
    return [
      reason === undefined
        ? { kind: e.kind, label: e.builtinLabel, available: true }
        : { kind: e.kind, label: e.builtinLabel, available: false, reason },
    ];
  });
}
