import { z } from 'zod';
import { metricsLine, runState } from './run-record';

/** Progress events that flow out of a run, through every door, to the renderer and the CLI. */

// the run's state is part of what a run writes (status.json): defined with the run record, re-exported here
export { runState, type RunState } from './run-record';

export const runPhase = z.enum(['load', 'split', 'train', 'sample', 'select', 'metrics', 'write']);
export type RunPhase = z.infer<typeof runPhase>;

export const progressEvent = z.object({
  type: z.literal('progress'),
  runId: z.string(),
  generation: z.number().int(),
  generations: z.number().int(),
  phase: runPhase,
  epoch: z.number().int().optional(),
  epochs: z.number().int().optional(),
  batch: z.number().int().optional(),
  batches: z.number().int().optional(),
  loss: z.number().optional(),
  /** Overall completion of the run in [0, 1]. */
  fraction: z.number(),
  /** Estimated seconds to the end of the run, when known. */
  etaSeconds: z.number().optional(),
});
export type ProgressEvent = z.infer<typeof progressEvent>;

export const statusEvent = z.object({
  type: z.literal('status'),
  runId: z.string(),
  state: runState,
  backend: z.string().optional(),
  error: z.string().optional(),
});
export type StatusEvent = z.infer<typeof statusEvent>;

export const generationEvent = z.object({
  type: z.literal('generation'),
  runId: z.string(),
  generation: z.number().int(),
  /** The generation's metrics line, as written to metrics.jsonl. */
  metrics: metricsLine,
});
export type GenerationEvent = z.infer<typeof generationEvent>;

export const logEvent = z.object({ type: z.literal('log'), runId: z.string(), message: z.string() });

export const runEvent = z.discriminatedUnion('type', [progressEvent, statusEvent, generationEvent, logEvent]);
export type RunEvent = z.infer<typeof runEvent>;
