import { z } from 'zod';
import { runState } from './events';
import { metricSelection } from './metric-selection';
import { storageModeText } from './storage-mode';

/**
 * A study: a grid of runs. The study file names a `base` run config, `axes` that vary config fields (each a path and
 * its values, or a zip of paths that vary together), and `seeds`. Its expansion (main/studies/expand-study.ts) is
 * deterministic; every run gets a stable key, the hash of its resolved config.
 */

/** A config path such as `selection.scheme`, `loop.paradigm`, `model.params.epochs`, `islands.split`. */
export const configPath = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9_-]+)*$/, 'a config path is dot-separated field names, e.g. selection.scheme')
  .refine((p) => p !== 'seed' && p !== 'name', 'seed and name are not axes: give seeds in "seeds"; the study names its runs');

export const studyAxisValues = z.object({ path: configPath, values: z.array(z.unknown()).min(1) }).strict();

/** One axis: a path with its values, or several paths whose values vary together (the i-th of each at once). */
export const studyAxis = z.union([
  studyAxisValues,
  z
    .object({ zip: z.array(studyAxisValues).min(1) })
    .strict()
    .superRefine((a, ctx) => {
      // refinements run even when a part failed (an empty zip, a path without values): check only what parsed
      const first = a.zip[0];
      if (!Array.isArray(first?.values)) return;
      const n = first.values.length;
      a.zip.forEach((p, i) => {
        if (Array.isArray(p?.values) && p.values.length !== n) {
          ctx.addIssue({
            code: 'custom',
            path: ['zip', i, 'values'],
            message: `a zip's paths need as many values each: ${p.path} has ${p.values.length}, ${a.zip[0].path} has ${n}`,
          });
        }
      });
    }),
]);
export type StudyAxis = z.infer<typeof studyAxis>;

export const studySpec = z
  .object({
    /** Names the study and its folder (studies/<slug of name>). */
    name: z.string().min(1).max(80),
    description: z.string().max(4000).optional(),
    /**
     * The built-in study preset this study was started from (main/presets/studies), when it was: the engine finds the
     * preset's paper claim, figures and verdict by it (main/studies/study-report.ts).
     */
    preset: z.string().min(1).max(80).optional(),
    /** The run config every run starts from (validated with each cell's values applied). */
    base: z.record(z.string(), z.unknown()),
    axes: z.array(studyAxis).default([]),
    /** The seeds of every cell: a list, or a count n for seeds 0 … n−1. */
    seeds: z
      .union([
        z
          .array(
            z
              .number()
              .int()
              .min(0)
              .max(2 ** 32 - 1),
          )
          .min(1)
          .refine((s) => new Set(s).size === s.length, 'seeds must not repeat'),
        z.number().int().min(1).max(10_000),
      ])
      .default(1),
    /**
     * What each run keeps on disk (`all`, `every:K`, `metrics`; main/contract/storage-mode.ts), set in every run's
     * config. Absent: the base config's `storage`, else `metrics` for a study of many runs on a vector (toy) dataset
     * and `all` otherwise (main/studies/expand-study.ts).
     */
    storage: storageModeText.optional(),
    /**
     * The metric keys each generation computes, set as every run's `metrics.compute` (main/contract/metric-selection.ts):
     * a Gaussian grid lists what its claim and figures read and skips the rest. Absent: the base config's, else all.
     */
    metrics: metricSelection.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.axes.forEach((a, i) => {
      if (a === null || typeof a !== 'object') return; // refused by the axis schema
      const paths = 'zip' in a ? (Array.isArray(a.zip) ? a.zip.map((p) => p?.path) : []) : [a.path];
      for (const p of paths) {
        if (typeof p !== 'string') continue;
        if (seen.has(p)) ctx.addIssue({ code: 'custom', path: ['axes', i], message: `${p} is already varied by axes[${seen.get(p)}]` });
        else seen.set(p, i);
      }
    });
  });
export type StudySpec = z.infer<typeof studySpec>;
export type StudySpecInput = z.input<typeof studySpec>;

/** The state of one run of a study, as its index records it. */
export const studyRunState = runState;

/** One run of a study in its index (index.json): its key, its cell, its run folder and its state. */
export const studyIndexEntry = z.object({
  /** Hash of the run's resolved config (name and loop.generations aside). */
  key: z.string(),
  /** Hash of the resolved config without the seed: runs that differ only by seed share it. */
  cellKey: z.string(),
  seed: z.number().int(),
  /** The run folder's name in the workspace. */
  runId: z.string(),
  /** The cell's axis values, by config path. */
  fields: z.record(z.string(), z.unknown()),
  state: studyRunState,
  lastGeneration: z.number().int(),
  generations: z.number().int(),
  error: z.string().optional(),
  /** Times the run was started or resumed by the study's queue. */
  attempts: z.number().int().default(0),
});
export type StudyIndexEntry = z.infer<typeof studyIndexEntry>;

export const studyIndex = z.object({
  studyId: z.string(),
  updatedAt: z.string(),
  /** The queue engine of the last `study run` or `study resume`: embedded, or a redis:// URL. */
  queue: z.string().optional(),
  runs: z.array(studyIndexEntry),
});
export type StudyIndex = z.infer<typeof studyIndex>;

/** Counts of a study's runs by state, with an ETA while it runs. */
export const studyProgress = z.object({
  studyId: z.string(),
  total: z.number().int(),
  completed: z.number().int(),
  running: z.number().int(),
  queued: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  interrupted: z.number().int(),
  /** Overall completion in [0, 1], counting generations. */
  fraction: z.number(),
  etaSeconds: z.number().optional(),
});
export type StudyProgress = z.infer<typeof studyProgress>;

/** The state of a whole study, from its coordinator and its runs: one of the run states (run-record.ts). */
export const studyState = runState;
export type StudyState = z.infer<typeof studyState>;

/** A study's progress, streamed by its coordinator through every door (CLI, server, app). */
export const studyEvent = z.object({
  type: z.literal('study'),
  studyId: z.string(),
  state: studyState,
  progress: studyProgress,
  /** The run whose change caused this event, when one did. */
  run: studyIndexEntry.pick({ key: true, runId: true, state: true, lastGeneration: true, generations: true, error: true }).optional(),
});
export type StudyEvent = z.infer<typeof studyEvent>;

/** One study in a listing. */
export const studySummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  /** The study preset it was started from, when it was (its report shows the paper's claim, figures and verdict). */
  preset: z.string().optional(),
  state: studyState,
  queue: z.string().optional(),
  fieldPaths: z.array(z.string()),
  seeds: z.array(z.number().int()),
  progress: studyProgress,
  /**
   * The engine's estimate of the whole study's seconds on this machine (what `study plan` prints, from its measured
   * speed), for a live study: the early ETA, scaled to what is left, until its progress gives a measured one.
   */
  estimatedSeconds: z.number().optional(),
});
export type StudySummary = z.infer<typeof studySummary>;

/** Each completed run of a study as a point: its cell, seed and chosen metrics at one generation (studies.runValues). */
export const studyRunValues = z.object({
  fieldPaths: z.array(z.string()),
  /** Every numeric metric the runs have (to choose from). */
  metrics: z.array(z.string()),
  runs: z.array(
    z.object({
      key: z.string(),
      runId: z.string(),
      cellKey: z.string(),
      seed: z.number().int(),
      fields: z.record(z.string(), z.unknown()),
      /** The generation the values are of (the run's last, or the one asked for). */
      generation: z.number().int(),
      values: z.record(z.string(), z.number().nullable()),
    }),
  ),
});
export type StudyRunValues = z.infer<typeof studyRunValues>;
