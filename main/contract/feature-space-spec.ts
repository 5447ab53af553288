import { z } from 'zod';

/**
 * A feature space as a config, a CLI option or a run record names it: `raw` (the data as they are), `reference` (the
 * penultimate layer of the dataset's reference classifier), `pca:K` (K principal axes, K ≥ 1) or `onnx:PATH` (a
 * feature network in an ONNX file, with its declaration PATH.json; main/metrics/onnx-network.ts). Selection
 * (selection.features) and metrics (metrics.features) name their spaces the same way; each computes its own.
 */
export type FeatureSpaceSpec = 'raw' | 'reference' | `pca:${number}` | `onnx:${string}`;

const PATTERN = /^(?:raw|reference|pca:([1-9][0-9]*)|onnx:(\S(?:.*\S)?))$/s;
const EXPECTED = 'raw, reference, pca:K (K an integer ≥ 1) or onnx:PATH (an ONNX feature network)';

/** The spec as a zod string (for config fields); the message names what is allowed. */
export const featureSpaceSpec = z.string().regex(PATTERN, `features must be ${EXPECTED}`);

/** The spec of a text, or a RangeError naming `field` (e.g. "selection.features", "--features"). */
export function parseFeatureSpaceSpec(text: string, field = 'features'): FeatureSpaceSpec {
  const m = PATTERN.exec(text);
  if (!m) throw new RangeError(`${field} must be ${EXPECTED}, got "${text}"`);
  if (m[2] !== undefined) return `onnx:${m[2]}`;
  return m[1] === undefined ? (text as 'raw' | 'reference') : `pca:${Number(m[1])}`;
}

/** K of a `pca:K` spec; undefined for raw, reference, onnx:PATH or anything else. */
export function pcaComponents(spec: string): number | undefined {
  const m = PATTERN.exec(spec);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** PATH of an `onnx:PATH` spec; undefined for any other. */
export function onnxModelPath(spec: string): string | undefined {
  return PATTERN.exec(spec)?.[2];
}
