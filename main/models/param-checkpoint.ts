import type { SampleShape } from '../data/samples';
import { writeModelJson, type ModelJson } from './checkpoint-files';
import type { ParamManifestEntry, ParamSet } from './tf-params';

/**
 * The checkpoint of the TensorFlow.js models of the zoo: each named ParamSet's values in `<name>.f32` and its manifest
 * under `<name>` in model.json, next to the model's kind, params and shape.
 */

export async function saveParamSets(
  dir: string,
  head: { kind: string; params: unknown; shape: SampleShape },
  sets: Record<string, ParamSet>,
): Promise<void> {
  const doc: ModelJson = { kind: head.kind, params: head.params, shape: head.shape };
  for (const [name, set] of Object.entries(sets)) doc[name] = await set.save(dir, `${name}.f32`);
  await writeModelJson(dir, doc);
}

/** Assign each named ParamSet (already built by the model's init) its values saved by saveParamSets; doc is model.json. */
export async function loadParamSets(dir: string, doc: ModelJson, sets: Record<string, ParamSet>): Promise<void> {
  for (const [name, set] of Object.entries(sets)) await set.load(dir, `${name}.f32`, doc[name] as ParamManifestEntry[]);
}
