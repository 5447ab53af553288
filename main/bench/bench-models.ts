import { modelCatalog, modelKinds, type ModelKind } from '../contract/models/catalog';

/**
 * The model kinds the training benchmark times: every kind of the model catalog (main/contract/models/catalog.ts), so
 * that a new kind is timed by `collapse-lab bench train` and `npm run bench` without an edit here. The neural kinds
 * whose training is minibatch steps have refined steps (main/bench/model-steps.ts: one training step, a critic step …,
 * with their FLOPs); any other kind is timed through the model registry (main/bench/registry-steps.ts: a fit and a
 * sampling call). Free of TensorFlow.js, so that a door can list them without loading it.
 */
export const benchModels: readonly ModelKind[] = modelKinds;
export type BenchModel = ModelKind;

export function isBenchModel(m: string): m is BenchModel {
  return Object.hasOwn(modelCatalog, m);
}
