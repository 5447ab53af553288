import type { z } from 'zod';
import type { KindCheckContext, KindCheckIssue } from '../kind-check';
import { ddpmKind } from './kinds/ddpm';
import { diffusionExactKind } from './kinds/diffusion-exact';
import { gaussianKind } from './kinds/gaussian';
import { gmmKind } from './kinds/gmm';
import { kdeKind } from './kinds/kde';
import { vaeConvKind } from './kinds/vae-conv';
import { vaeMlpKind } from './kinds/vae-mlp';
import { wganGpKind } from './kinds/wgan-gp';
import type { DataFacts, ModelCost, ModelKindEntry } from './model-kind';

/**
 * The catalog of model kinds, free of TensorFlow.js so that the contract (and the renderer) can validate a config.
 * Each kind is one entry (./kinds/<kind>.ts: label, params schema, warm-start rule, cost model, cross-field checks);
 * implementations are registered by kind in main/models/registry.ts.
 */
export const modelCatalog = {
  gaussian: gaussianKind,
  'vae-mlp': vaeMlpKind,
  gmm: gmmKind,
  kde: kdeKind,
  'diffusion-exact': diffusionExactKind,
  'wgan-gp': wganGpKind,
  'vae-conv': vaeConvKind,
  ddpm: ddpmKind,
} as const satisfies { [K in string]: ModelKindEntry<K> };

export type ModelKind = keyof typeof modelCatalog;
export const modelKinds = Object.keys(modelCatalog) as [ModelKind, ...ModelKind[]];
/** The resolved params of a kind (every default filled in). */
export type ModelParams<K extends ModelKind> = z.output<(typeof modelCatalog)[K]['params']>;

// the params schemas, where the implementations and tests import them
export { ddpmParams } from './kinds/ddpm';
export { diffusionExactParams } from './kinds/diffusion-exact';
export { gaussianMixtureSpec } from './kinds/gaussian-mixture-spec';
export { gaussianParams } from './kinds/gaussian';
export { gmmParams } from './kinds/gmm';
export { kdeParams } from './kinds/kde';
export { scoreErrorSpec } from './kinds/score-error-spec';
export { truncationSchedule } from './kinds/truncation-schedule';
export { vaeConvParams } from './kinds/vae-conv';
export { vaeMlpParams } from './kinds/vae-mlp';
export { wganGpParams } from './kinds/wgan-gp';

/** The entry of a kind, its params typed loosely (for code that handles every kind alike). */
export function modelEntry(kind: ModelKind): ModelKindEntry {
  return modelCatalog[kind] as ModelKindEntry;
}

/**
 * A model config's params through its kind's schema: every default filled in. Throws, naming the kind and the field,
 * on params the schema refuses (a validated config never has them; a hand-edited config.json may).
 */
export function resolveModelParams(model: { kind: ModelKind; params?: Record<string, unknown> }): Record<string, unknown> {
  const r = modelEntry(model.kind).params.safeParse(model.params ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `model.params.${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`invalid parameters for model "${model.kind}": ${issues.join('; ')}`);
  }
  return r.data as Record<string, unknown>;
}

/** Whether generation g + 1 of a run with this model config continues from generation g's model (the kind's rule). */
export function modelWarmStarts(model: { kind: ModelKind; params?: Record<string, unknown> }): boolean {
  return modelEntry(model.kind).warmStarts(resolveModelParams(model));
}

/** Whether the kind trains and samples without TensorFlow.js (model-kind.ts `plainJs`). */
export function modelIsPlainJs(kind: ModelKind): boolean {
  return modelEntry(kind).plainJs === true;
}

/** The kind's throughputs for the duration estimate. */
export function modelCost(model: { kind: ModelKind; params?: Record<string, unknown> }, data: DataFacts): ModelCost {
  return modelEntry(model.kind).cost(resolveModelParams(model), data);
}

/** The model's own memory where its entry knows it from the params and the data; null otherwise. */
export function modelMemory(
  model: { kind: ModelKind; params?: Record<string, unknown> },
  data: DataFacts,
): { what: string; bytes: number; values: number } | null {
  return modelEntry(model.kind).memory?.(resolveModelParams(model), data) ?? null;
}

/** The kind's cross-field checks of a config; none while its params are invalid (those issues are reported at them). */
export function modelConfigIssues(
  model: { kind: ModelKind; params?: Record<string, unknown> },
  config: KindCheckContext,
): KindCheckIssue[] {
  const entry = modelEntry(model.kind);
  const r = entry.params.safeParse(model.params ?? {});
  return r.success ? (entry.checks?.(r.data, config) ?? []) : [];
}
