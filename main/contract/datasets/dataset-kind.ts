import type { z } from 'zod';

/**
 * What the config contract and the wizard know of a dataset kind: its config schema (strict), its names and the
 * wizard's starting values. Free of Node, since the renderer imports the contract. The engine's side of the kind
 * (loader, availability, size before loading) is its entry in main/data/kinds/<kind>.ts, which spreads this
 * declaration in; main/data/dataset-registry.ts holds the entries. Adding a kind: a declaration here, its line in
 * ./dataset-kinds.ts, its entry in main/data/kinds/ and its line in the registry (the compiler asks for the last one).
 */
export interface DatasetKindDeclaration<K extends string = string, S extends z.ZodObject = z.ZodObject> {
  kind: K;
  /** The name on the wizard's source card. */
  label: string;
  /** One line under the label. */
  detail: string;
  /** Listed among the built-in datasets (no files from the user: catalog.get's `datasets`) under this label. */
  builtinLabel?: string;
  /** The official train/test split of a packaged dataset, and its sample shape (known before loading). */
  officialSplit?: OfficialSplit;
  /**
   * Read from its official files in a folder the user gives (config fields `path`, `subset`, `testSubset`): the name
   * of that folder as the dataset's archive unpacks, e.g. `cifar-10-batches-bin` (the wizard's hint).
   */
  officialFolder?: string;
  /** Reads files the user gives (which may change on disk between two reads), rather than packaged or generated data. */
  readsUserFiles: boolean;
  /** The config of this kind (`kind` included), strict: an unknown field is refused by name. */
  schema: S;
  /** The wizard's starting config of this kind; fields the user must fill (a path) are empty. */
  wizardDefaults: z.input<S>;
  /** Whether a config of this kind gives images (height × width × channels), not vectors. */
  samplesAreImages(cfg: Record<string, unknown>): boolean;
}

export interface OfficialSplit {
  train: number;
  test: number;
  shape: [number, number, number];
}

/** A declaration with its kind and schema types kept (they build the config's discriminated union). */
export function declareDatasetKind<K extends string, S extends z.ZodObject>(d: DatasetKindDeclaration<K, S>): DatasetKindDeclaration<K, S> {
  return d;
}
