import { z } from 'zod';
import { featureSpaceSpec } from './feature-space-spec';
import { referenceKind } from './reference-kind';
import { modelConfigIssues, modelEntry, modelKinds, resolveModelParams } from './models/catalog';
import { resolveSchemeParams, schemeConfigIssues, schemeEntry, schemeNames, targetSchemeNames } from './selection/catalog';
import type { KindCheckContext } from './kind-check';
import { datasetSchemas } from './datasets/dataset-kinds';
import { defaultParadigm, paradigmText } from './paradigm';
import { candidateCount, syntheticPerRealIssue } from './run-plan';
import { defaultSplit, splitText } from './split-spec';
import { metricSelection } from './metric-selection';
import { storageModeText } from './storage-mode';
import { verifierTargetConfig } from './verifier-target';
import { kindParams } from './kind-params';
import { fieldIssuesOf, inProductTerms, type FieldIssue } from './zod-messages';

export type { FieldIssue } from './zod-messages';

/** The experiment config: the one JSON document that defines a run. Validated at every door. */

/** The dataset: one of the kinds declared in ./datasets/ (a discriminated union on `kind`, each kind strict). */
export const datasetConfig = z.discriminatedUnion('kind', datasetSchemas);
export type DatasetConfig = z.infer<typeof datasetConfig>;

export const modelConfig = z
  .object({
    kind: z.enum(modelKinds),
    params: kindParams,
    /**
     * One model of the kind per class of the training data, each trained on that class's rows only (seed 002's
     * class-conditional generator): the candidates are drawn in equal shares per class and carry their class, and
     * the selection keeps each class's share from that class's pool against that class's real rows. Needs labels.
     */
    perClass: z.boolean().optional(),
  })
  .strict()
  .superRefine((m, ctx) => {
    const r = modelEntry(m.kind).params.safeParse(m.params, inProductTerms);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
    }
  })
  // valid params through the kind's schema: the validated config (and every run's config.json) holds them resolved.
  // (A transform runs only on a value without issues; the issues above leave the config's other checks running.)
  .transform((m) => ({ kind: m.kind, params: resolveModelParams(m), ...(m.perClass ? { perClass: true } : {}) }));
export type ModelConfig = z.infer<typeof modelConfig>;

export const selectionConfig = z
  .object({
    scheme: z.enum(schemeNames).default('none'),
    /** Whose real data the scheme's reference is: one verifier island (the biased default), each island, or all. */
    reference: referenceKind.default('local'),
    /** The verifier island for `local`. */
    verifier: z.number().int().min(0).default(0),
    /**
     * Feature space of selection: raw pixels, PCA of pixels (pca:K), or the reference classifier's features. Absent:
     * the dataset's reference classifier where it has one (mnist, fashion-mnist), raw values otherwise (the same
     * rule as metrics.features); the run records the space it used.
     */
    features: featureSpaceSpec.optional(),
    params: kindParams,
    /**
     * What topalpha's verifier aims at: the islands of `reference` (kind island, also when absent), a given mean and
     * covariance, or the selection-bias paper's shifted real moments (main/contract/verifier-target.ts).
     */
    target: verifierTargetConfig.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const entry = schemeEntry(s.scheme);
    // like `reference`, the target is ignored by schemes without a reference (none, random, …), so that a study can
    // vary the scheme alone; a reference-based scheme that does not aim at a target would seem to use it, and is refused
    if (s.target && s.target.kind !== 'island' && !entry.usesTarget && entry.usesReference) {
      ctx.addIssue({
        code: 'custom',
        path: ['target'],
        message: `a ${s.target.kind} verifier target is used by scheme ${targetSchemeNames.join(', ')} only; scheme ${s.scheme} aims at the islands`,
      });
    }
    const r = entry.params.safeParse(s.params, inProductTerms);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
    }
  })
  // valid params through the scheme's schema: the validated config (and every run's config.json) holds them resolved
  .transform((s) => ({ ...s, params: resolveSchemeParams(s.scheme, s.params) }));

export const experimentConfig = z
  .object({
    name: z.string().min(1).max(120).default('experiment'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(0),
    dataset: datasetConfig,
    islands: z
      .object({
        count: z.number().int().min(1).max(1000).default(1),
        split: splitText.default(defaultSplit),
      })
      .strict()
      .default({ count: 1, split: defaultSplit }),
    model: modelConfig,
    loop: z
      .object({
        /** Number of generations, generation 0 (trained on real data) included. */
        generations: z.number().int().min(1).max(10_000),
        paradigm: paradigmText.default(defaultParadigm),
        /** n: synthetic samples kept per generation. */
        keep: z.number().int().min(1).max(10_000_000),
        /** N / n: candidates generated per kept sample. */
        ratio: z.number().min(1).max(1000).default(1),
        /** Training-set size of the paradigms that read it (main/contract/paradigms); the real training size when absent. */
        trainSize: z.number().int().min(1).max(10_000_000).optional(),
        /**
         * The amount of synthetic data per generation relative to the real, m/n (self-consuming paper 004), with
         * paradigm mixed:λ: each generation after the first trains on mixed's real part (round(λ·trainSize) real rows;
         * mixed:1 without trainSize = all the real data) plus round(m/n × that many) rows of the previous generation's
         * kept samples (without replacement up to loop.keep, with replacement beyond). Absent: the synthetic part fills
         * the training set up to trainSize, as mixed:λ always did.
         */
        syntheticPerReal: z.number().min(0).max(10_000).optional(),
      })
      .strict(),
    selection: selectionConfig.default({
      scheme: 'none',
      reference: 'local',
      verifier: 0,
      params: {},
    }),
    /** Per-generation metrics against the held-out test split. */
    metrics: z
      .object({
        /** Feature space of FID and precision/recall: the dataset's reference classifier when it has one, else raw. */
        features: featureSpaceSpec.optional(),
        /** Neighbours of precision, recall, density and coverage. */
        k: z.number().int().min(1).max(100).default(3),
        /** At most this many samples per side (seeded subsample) for the feature metrics. */
        maxSamples: z.number().int().min(10).max(100_000).default(2000),
        /** Train a classifier on each generation's samples and test it on real data (costs a few seconds). */
        downstream: z.boolean().default(true),
        /**
         * Train the downstream classifier on the real training data (its true labels) plus the generation's samples
         * (the reference classifier's labels), as seed 002 trains on real + selected; absent or false: the samples alone.
         */
        downstreamWithReal: z.boolean().optional(),
        /**
         * The metric keys each generation computes (main/contract/metric-selection.ts): costly metrics no listed key
         * needs are skipped. Absent: every metric.
         */
        compute: metricSelection.optional(),
        /**
         * First t (t = generation + 1) of the window of ψ, the power-law exponent of Tr(Σ̄_t): t ∈ [psiFromT, T]. Absent:
         * DEFAULT_PSI_FROM_T (main/shared/psi.ts), the asymptotic window t ∈ [10, T] after the first generations' rapid
         * homogenisation. A study's base config sets it for its aggregate too.
         */
        psiFromT: z.number().int().min(1).max(100_000).optional(),
      })
      .strict()
      .default({ k: 3, maxSamples: 2000, downstream: true }),
    /** Samples shown in each generation's PNG grid (a square number is best). */
    gridSamples: z.number().int().min(1).max(1024).default(100),
    /**
     * What each generation keeps on disk: `all`, `every:K` or `metrics` (main/contract/storage-mode.ts). Absent: all.
     * Not part of a study run's key: changing it does not make a run new.
     */
    storage: storageModeText.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const syntheticPerReal = syntheticPerRealIssue(c.loop);
    if (syntheticPerReal) ctx.addIssue({ code: 'custom', path: ['loop', 'syntheticPerReal'], message: syntheticPerReal });
    if (c.selection.verifier >= c.islands.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'verifier'],
        message: `verifier island ${c.selection.verifier} does not exist (there are ${c.islands.count} islands)`,
      });
    }
    // the scheme's and the model's own cross-field checks (their catalog entries)
    const facts: KindCheckContext = {
      datasetKind: c.dataset.kind,
      islands: c.islands.count,
      keep: c.loop.keep,
      candidates: candidateCount(c.loop),
    };
    for (const issue of [...schemeConfigIssues(c.selection, facts), ...modelConfigIssues(c.model, facts)]) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  });

export type ExperimentConfig = z.infer<typeof experimentConfig>;
export type ExperimentConfigInput = z.input<typeof experimentConfig>;

/** Validate a config; on failure throw an error whose message names each field at fault (in the product's terms). */
export function validateConfig(input: unknown, source = 'config'): ExperimentConfig {
  const r = experimentConfig.safeParse(input, inProductTerms);
  if (r.success) return r.data;
  throw new ConfigError(source, fieldIssuesOf(r.error));
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: FieldIssue[],
  ) {
    super(`invalid ${source}:\n` + issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
