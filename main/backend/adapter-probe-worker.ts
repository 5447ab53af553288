import { parentPort, workerData } from 'node:worker_threads';
import type { GpuAdapter } from '../contract/run-record';
import { webgpuAdapterFor } from './run-adapter';

/** Worker entry of a GPU adapter probe (main/backend/run-adapter.ts webgpuAdapterForRuns): Dawn loads in this thread only. */
const { request, known } = workerData as { request: string; known?: GpuAdapter | null };
try {
  parentPort?.postMessage(await webgpuAdapterFor(request, known));
} catch (e) {
  parentPort?.postMessage({ error: (e as Error)?.message ?? String(e) });
}
