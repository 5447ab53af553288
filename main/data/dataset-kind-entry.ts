import type { DatasetConfig } from '../contract/config';
import type { DatasetKindDeclaration } from '../contract/datasets/dataset-kind';
import type { Dataset } from './samples';

/**
 * A dataset kind as the engine knows it: its contract declaration (kind, labels, strict config schema, wizard
 * defaults) plus how to load it, whether it can be loaded here, and its size before loading. One entry per kind in
 * main/data/kinds/<kind>.ts; main/data/dataset-registry.ts holds them all.
 */
export interface DatasetKindEntry<K extends DatasetKind = DatasetKind> extends DatasetKindDeclaration<K> {
  /** Why this kind cannot be loaded on this machine, with how to install what is missing; undefined when it can. */
  unavailableReason(): string | undefined;
  /** Read (or generate) the dataset, hold out its test set and keep the seeded subset. */
  load(cfg: DatasetConfigOf<K>, seed: number): Dataset | Promise<Dataset>;
  /** Training-set size and values per sample from the config alone (no file read); null where the files decide. */
  plannedSize(cfg: DatasetConfigOf<K>): PlannedSize;
  /**
   * Size as the run will hold it, from the config and the files' headers (checked: kind, header, size against shape);
   * null where unknown before decoding (a gzipped IDX file). Throws naming the file or the field.
   */
  facts(cfg: DatasetConfigOf<K>): DatasetFacts | null;
}

export type DatasetKind = DatasetConfig['kind'];
export type DatasetConfigOf<K extends DatasetKind> = Extract<DatasetConfig, { kind: K }>;

export interface PlannedSize {
  trainN: number | null;
  dim: number | null;
}

/** The dataset's size as the run will hold it, from the config and the files' headers. */
export interface DatasetFacts {
  /** Values per sample. */
  dim: number;
  /** The images' shape (h, w, c) where the headers tell it (vectors: none). */
  imageShape?: readonly [number, number, number];
  trainN: number;
  testN: number;
  /** Bytes of the files read (held while they are decoded). */
  fileBytes: number;
  /** The config field that sets the dataset's size (named in an estimate's error). */
  field: string;
  /** Memory of a generated dataset's own parameters (a toy's covariance and its factor), beside the samples. */
  generator?: { what: string; bytes: number; values: number };
}
