import { z } from 'zod';
import { modelCatalog, modelKinds } from '../models/catalog';
import { GEODESIC_MAX_CANDIDATES, schemeNames, selectionCatalog } from '../selection/catalog';
import { paradigmText } from './paradigm';
import { splitText } from './split-spec';

/** The experiment config: the one JSON document that defines a run. Validated at every door. */

const subset = z.number().int().min(1).max(10_000_000).optional();

/** The sizes of the built-in datasets' official splits (MNIST and Fashion-MNIST: 60,000 training, 10,000 test images). */
export const OFFICIAL_SPLIT_SIZES = { mnist: { train: 60_000, test: 10_000 }, 'fashion-mnist': { train: 60_000, test: 10_000 } } as const;

/**
 * A subset of a built-in dataset's split: at most the images it has, refused at the field in the user's terms
 * ("70,000 is more than the 60,000 training images of mnist"), so the wizard says so before a run launches.
 */
function officialSubset(dataset: keyof typeof OFFICIAL_SPLIT_SIZES, split: 'train' | 'test') {
  const size = OFFICIAL_SPLIT_SIZES[dataset][split];
  const words = split === 'train' ? 'training' : 'test';
  return z
    .number()
    .int()
    .min(1)
    .max(size, {
      error: (iss) => `${Number(iss.input).toLocaleString('en-US')} is more than the ${size.toLocaleString('en-US')} ${words} images of ${dataset}`,
    })
    .optional();
}

export const datasetConfig = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('mnist'),
      /** Number of training samples to use (seeded random subset); all 60,000 when absent. */
      subset: officialSubset('mnist', 'train'),
      /** Number of test samples kept for evaluation; all 10,000 when absent. */
      testSubset: officialSubset('mnist', 'test'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('fashion-mnist'),
      subset: officialSubset('fashion-mnist', 'train'),
      testSubset: officialSubset('fashion-mnist', 'test'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('image-folder'),
      /** A folder with one sub-folder of PNG images per class (the ImageFolder convention). */
      path: z.string().min(1),
      testFraction: z.number().gt(0).lt(1).default(0.1),
      subset,
    })
    .strict(),
  z
    .object({
      kind: z.literal('idx'),
      images: z.string().min(1),
      labels: z.string().min(1).optional(),
      testImages: z.string().min(1).optional(),
      testLabels: z.string().min(1).optional(),
      testFraction: z.number().gt(0).lt(1).default(0.1),
      subset,
    })
    .strict(),
  z
    .object({
      kind: z.literal('npy'),
      path: z.string().min(1),
      labels: z.string().min(1).optional(),
      /** Interpret rows as images of this [height, width, channels]; vectors when absent (unless the array is 3-D/4-D). */
      imageShape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]).optional(),
      testFraction: z.number().gt(0).lt(1).default(0.1),
      subset,
    })
    .strict(),
  z
    .object({
      kind: z.literal('gaussian'),
      dim: z.number().int().min(1).max(4096).default(10),
      /** The true mean; zeros when absent. */
      mean: z.array(z.number()).optional(),
      /** The true covariance (symmetric positive definite), or a diagonal of variances; identity when absent. */
      cov: z.union([z.array(z.array(z.number())), z.array(z.number())]).optional(),
      trainSize: z.number().int().min(2).max(10_000_000).default(1000),
      testSize: z.number().int().min(2).max(10_000_000).default(1000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('gaussian-mixture'),
      dim: z.number().int().min(1).max(4096).default(1),
      /** Mixture weights (normalised to sum 1), one per component. */
      weights: z.array(z.number().positive()).min(1),
      /** One mean of `dim` entries per component. */
      means: z.array(z.array(z.number()).min(1)).min(1),
      /** Per component: a full covariance matrix, a diagonal of variances, or one variance. */
      covs: z.array(z.union([z.number().positive(), z.array(z.number()), z.array(z.array(z.number()))])).min(1),
      trainSize: z.number().int().min(2).max(10_000_000).default(1000),
      testSize: z.number().int().min(2).max(10_000_000).default(1000),
    })
    .strict(),
]);
export type DatasetConfig = z.infer<typeof datasetConfig>;

export const modelConfig = z
  .object({
    kind: z.enum(modelKinds),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((m, ctx) => {
    const schema = modelCatalog[m.kind].params as z.ZodType;
    const r = schema.safeParse(m.params);
    if (!r.success) {
      for (const issue of r.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
      }
    }
  });
export type ModelConfig = z.infer<typeof modelConfig>;

export const selectionConfig = z
  .object({
    scheme: z.enum(schemeNames).default('none'),
    /** Whose real data the scheme's reference is: one verifier island (the biased default), each island, or all. */
    reference: z.enum(['local', 'per-island', 'pooled']).default('local'),
    /** The verifier island for `local`. */
    verifier: z.number().int().min(0).default(0),
    /**
     * Feature space of selection: raw pixels, PCA of pixels (pca:K), or the reference classifier's features. Absent:
     * the dataset's reference classifier where it has one (mnist, fashion-mnist), raw values otherwise (the same
     * rule as metrics.features); the run records the space it used.
     */
    features: z
      .string()
      .regex(/^(raw|reference|pca:[1-9][0-9]*)$/, 'features must be raw, reference or pca:K')
      .optional(),
    params: z.record(z.string(), z.unknown()).default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    const schema = selectionCatalog[s.scheme].params as z.ZodType;
    const r = schema.safeParse(s.params);
    if (!r.success) {
      for (const issue of r.error.issues) {
        ctx.addIssue({ code: 'custom', path: ['params', ...issue.path], message: issue.message });
      }
    }
  });

export const experimentConfig = z
  .object({
    name: z.string().min(1).max(120).default('experiment'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0),
    dataset: datasetConfig,
    islands: z
      .object({
        count: z.number().int().min(1).max(1000).default(1),
        split: splitText.default('iid'),
      })
      .strict()
      .default({ count: 1, split: 'iid' }),
    model: modelConfig,
    loop: z
      .object({
        /** Number of generations, generation 0 (trained on real data) included. */
        generations: z.number().int().min(1).max(10_000),
        paradigm: paradigmText.default('replace'),
        /** n: synthetic samples kept per generation. */
        keep: z.number().int().min(1).max(10_000_000),
        /** N / n: candidates generated per kept sample. */
        ratio: z.number().min(1).max(1000).default(1),
        /** Training-set size for accumulate-subsample and mixed; the real training size when absent. */
        trainSize: z.number().int().min(1).max(10_000_000).optional(),
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
        features: z
          .string()
          .regex(/^(raw|reference|pca:[1-9][0-9]*)$/, 'features must be raw, reference or pca:K')
          .optional(),
        /** Neighbours of precision, recall, density and coverage. */
        k: z.number().int().min(1).max(100).default(3),
        /** At most this many samples per side (seeded subsample) for the feature metrics. */
        maxSamples: z.number().int().min(10).max(100_000).default(2000),
        /** Train a classifier on each generation's samples and test it on real data (costs a few seconds). */
        downstream: z.boolean().default(true),
      })
      .strict()
      .default({ k: 3, maxSamples: 2000, downstream: true }),
    /** Samples shown in each generation's PNG grid (a square number is best). */
    gridSamples: z.number().int().min(1).max(1024).default(100),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.selection.verifier >= c.islands.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'verifier'],
        message: `verifier island ${c.selection.verifier} does not exist (there are ${c.islands.count} islands)`,
      });
    }
    const candidates = Math.round(c.loop.ratio * c.loop.keep);
    if (c.selection.scheme === 'ot-proxy' && c.selection.params.proxy === 'geodesic' && candidates > GEODESIC_MAX_CANDIDATES) {
      ctx.addIssue({
        code: 'custom',
        path: ['selection', 'params', 'proxy'],
        message:
          `the geodesic proxy solves an N × N problem on every island: N = ${candidates} candidates is over ` +
          `${GEODESIC_MAX_CANDIDATES}; use proxy "data" (the same ranking in theory) or fewer candidates`,
      });
    }
    if (c.model.kind === 'vae-mlp' && c.dataset.kind === 'gaussian') {
      // allowed: an MLP VAE fits vectors too, but its BCE loss needs data in [0, 1]
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'kind'],
        message: 'vae-mlp uses a Bernoulli (BCE) likelihood and needs data in [0, 1]; use it on image datasets',
      });
    }
  });

export type ExperimentConfig = z.infer<typeof experimentConfig>;
export type ExperimentConfigInput = z.input<typeof experimentConfig>;

/** Validate a config; on failure throw an error whose message names each field at fault. */
export function validateConfig(input: unknown, source = 'config'): ExperimentConfig {
  const r = experimentConfig.safeParse(input);
  if (r.success) return r.data;
  throw new ConfigError(source, r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
}

export interface FieldIssue {
  path: string;
  message: string;
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
