import type { Worker } from 'node:worker_threads';
import type { ApiRequest, ApiResponse } from '../contract/api';
import { spawnWorker } from '../workers/spawn-worker';
import type { PreviewJob } from '../workers/preview-worker';

/**
 * The previews, computed in one long-lived worker thread (main/workers/preview-worker.ts), started on first use and
 * kept (unref'd, so it never holds a process open) for the datasets it caches. A crashed worker is replaced on the
 * next request.
 */
export class PreviewWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  dataset(request: ApiRequest<'dataset.preview'>): Promise<ApiResponse<'dataset.preview'>> {
    return this.run({ kind: 'dataset', request }) as Promise<ApiResponse<'dataset.preview'>>;
  }

  split(request: ApiRequest<'split.preview'>): Promise<ApiResponse<'split.preview'>> {
    return this.run({ kind: 'split', request }) as Promise<ApiResponse<'split.preview'>>;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(new Error('the preview worker was closed'));
    if (w) await w.terminate();
  }

  private run(job: Omit<PreviewJob, 'id'>): Promise<unknown> {
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.ref(); // keep the process alive while a preview is owed
      w.postMessage({ ...job, id });
    });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = spawnWorker(new URL('../workers/preview-worker.ts', import.meta.url));
    w.unref();
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    const lost = (why: string) => {
      if (this.worker === w) this.worker = null;
      this.failAll(new Error(`the preview worker stopped: ${why}`));
    };
    w.on('error', (e) => lost(e.message));
    w.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
