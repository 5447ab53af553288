import { z } from 'zod';
import { backendRequest } from './backend-request';
import { gpuAdapter } from './run-record';

/**
 * What `collapse-lab doctor` (and the app's Compute panel, through `compute.doctor`) reports: every backend of the one
 * list (main/contract/backend-request.ts), available or exactly why not, with the checks behind the answer, each
 * available one's measured training speed on the smoke model, and the backend `auto` would pick here.
 */

/** One thing the doctor looked at: a package, a library, an adapter, a feature. */
export const computeCheck = z.object({
  label: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});
export type ComputeCheck = z.infer<typeof computeCheck>;

export const backendDiagnosis = z.object({
  backend: backendRequest.exclude(['auto']),
  /** What provides it: a package, or for webgpu the adapter kind. */
  via: z.string(),
  available: z.boolean(),
  /** Why not, when unavailable (one sentence naming what is missing). */
  why: z.string().optional(),
  checks: z.array(computeCheck),
  /** The adapter a webgpu run would use (webgpu only). */
  adapter: gpuAdapter.optional(),
  /** Training images per second of the smoke model's step on this backend (null: not measured). */
  imagesPerSecond: z.number().nullable(),
  /** Why the measurement failed, if it did. */
  measureError: z.string().optional(),
});
export type BackendDiagnosis = z.infer<typeof backendDiagnosis>;

export const computeReport = z.object({
  backends: z.array(backendDiagnosis),
  /** The backend `auto` picks on this machine, and through what. */
  auto: z.object({ backend: backendRequest.exclude(['auto']), via: z.string() }),
  /** The model whose training step was timed (the smoke preset's). */
  measuredModel: z.string(),
  /** The machine's 1-minute load average before and after the measurements. */
  load: z.string(),
  measuredAt: z.string(),
});
export type ComputeReport = z.infer<typeof computeReport>;
