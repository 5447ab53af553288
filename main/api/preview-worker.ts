import { parentPort } from 'node:worker_threads';
import type { ApiRequest } from '../contract/api';
import { previewDataset, previewSplit } from './previews';

/**
 * Worker entry of the wizard's previews: loading a dataset (MNIST decodes 60,000 images) and splitting it take up to
 * seconds, which must not stall a door's event loop. Requests { id, kind, request } (already validated by the
 * contract); answers { id, result } or { id, error }. Datasets stay cached in this thread between previews.
 */
export type PreviewJob =
  | { id: number; kind: 'dataset'; request: ApiRequest<'dataset.preview'> }
  | { id: number; kind: 'split'; request: ApiRequest<'split.preview'> };

parentPort?.on('message', async (job: PreviewJob) => {
  try {
    const result = job.kind === 'dataset' ? await previewDataset(job.request) : await previewSplit(job.request);
    parentPort?.postMessage({ id: job.id, result });
  } catch (e) {
    parentPort?.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) });
  }
});
