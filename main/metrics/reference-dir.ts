import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the shipped reference classifiers are (no TensorFlow.js here: the CLI and the doors ask this cheaply). */
/** resources/reference of this checkout (overridable with COLLAPSE_LAB_REFERENCE_DIR, e.g. in a packaged app). */
export function referenceRoot(): string {
  const env = process.env.COLLAPSE_LAB_REFERENCE_DIR;
  if (env) return resolve(env);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'reference');
}

/** The folder of the shipped reference classifier of a built-in dataset, or undefined when there is none. */
export function builtinReferenceDir(datasetName: string): string | undefined {
  if (!/^[a-z0-9-]+$/.test(datasetName)) return undefined;
  const dir = join(referenceRoot(), datasetName);
  return existsSync(join(dir, 'model.json')) ? dir : undefined;
}

/** The default feature space of a dataset (selection and metrics alike): its reference classifier's, else raw values. */
export function defaultFeatureSpec(datasetName: string, isImage: boolean): 'reference' | 'raw' {
  return isImage && builtinReferenceDir(datasetName) ? 'reference' : 'raw';
}
