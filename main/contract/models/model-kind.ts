import type { z } from 'zod';
import type { KindCheckContext, KindCheckIssue } from '../kind-check';

/**
 * Everything the lab knows of a model kind apart from its implementation, free of TensorFlow.js so that the contract
 * and the renderer can import it: names, parameter schema, warm-start rule, cost model of the duration estimate and
 * cross-field checks. One file per kind in ./kinds/; main/models/catalog.ts lists them and main/models/registry.ts
 * maps each kind to its implementation (the compiler asks for every kind there).
 */
export interface ModelKindEntry<K extends string = string, S extends z.ZodType = z.ZodType> {
  kind: K;
  label: string;
  /** One or two sentences shown under the label. */
  description: string;
  /** The kind's `model.params` (strict, every field with its default): validation fills the defaults in. */
  params: S;
  /** Needs images (height × width × channels); refused on vector data. */
  imagesOnly: boolean;
  /**
   * Rows per sampling call on the backend, for a kind that samples in chunks: its implementation samples in chunks
   * of this many, and the GPU memory check (main/contract/gpu-memory.ts) sizes the sampling tensors by it.
   */
  sampleChunk?: number;
  /**
   * Trains and samples in plain JavaScript, without TensorFlow.js: a run of it on data without a reference classifier
   * starts no tfjs backend (seconds saved per run of a big grid). Absent: it uses TensorFlow.js.
   */
  plainJs?: boolean;
  /** Whether generation g + 1 continues from generation g's trained model instead of a fresh one. */
  warmStarts(params: z.output<S>): boolean;
  /** Throughputs on the project's 2-core machine (wasm), for the wizard's duration estimate. */
  cost(params: z.output<S>, data: DataFacts): ModelCost;
  /** Checks across config sections (the params alone are checked by `params`); issues at paths from the config root. */
  checks?(params: z.output<S>, config: KindCheckContext): KindCheckIssue[];
  /** The model's own memory where its size is known from the params and the data (the run's memory check adds it). */
  memory?(params: z.output<S>, data: DataFacts): { what: string; bytes: number; values: number };
}

/** What a cost model sees of the data. */
export interface DataFacts {
  /** Values per sample (height · width · channels for images). */
  dim: number;
}

export interface ModelCost {
  /** Training samples per second (one epoch over one sample). */
  train: number;
  /** Generated samples per second. */
  sample: number;
  /** Passes over the training set per generation. */
  epochs: number;
  /** False for a model computed in plain JavaScript (no TensorFlow.js backend): the backend's speed does not scale it. */
  onBackend?: boolean;
}

/** An entry with its kind and params types kept (the catalog's kinds and the params' output types derive from them). */
export function declareModelKind<K extends string, S extends z.ZodType>(entry: ModelKindEntry<K, S>): ModelKindEntry<K, S> {
  return entry;
}

/** Closed-form or EM fits: fast, dominated by the data's size and dimension (one pass). */
export function closedFormCost(data: DataFacts): ModelCost {
  const rate = 2e7 / Math.max(data.dim, 1);
  return { train: rate, sample: rate, epochs: 1, onBackend: false };
}

/** A kind that never warm-starts: every generation trains a fresh model. */
export const neverWarmStarts = (): boolean => false;
