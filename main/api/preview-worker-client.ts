import type { Worker } from 'node:worker_threads';
import type { ApiRequest, ApiResponse } from '../contract/api';
import { InputError, spawnWorker } from '../index';
import type { PreviewJob } from './preview-worker';

export interface PreviewWorkerOptions {
  /**
   * A preview that has not answered after this long is abandoned: the worker is terminated (a read or a computation
   * that would never end goes with it) and the request fails with an error saying so. Default 60 s.
   */
  timeoutMs?: number;
  /** The worker's entry (tests); default main/api/preview-worker.ts. */
  workerUrl?: URL;
}

export interface PreviewCallOptions {
  /** Abandon the preview: the worker computing it is terminated and the call rejects. */
  signal?: AbortSignal;
  /** This call's time-out, instead of the client's. */
  timeoutMs?: number;
}

/**
 * The previews, computed in one long-lived worker thread (main/api/preview-worker.ts), started on first use and
 * kept (unref'd, so it never holds a process open) for the datasets it caches. Nothing of a preview runs on the
 * caller's event loop, and every preview can be abandoned: on time-out or cancel the worker is terminated (the other
 * previews it owed fail with it) and a fresh one starts on the next request. A crashed worker is replaced likewise.
 */
export class PreviewWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; worker: Worker }>();
  private readonly timeoutMs: number;
  private readonly workerUrl: URL;

  constructor(opts: PreviewWorkerOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.workerUrl = opts.workerUrl ?? new URL('./preview-worker.ts', import.meta.url);
  }

  dataset(request: ApiRequest<'dataset.preview'>, opts: PreviewCallOptions = {}): Promise<ApiResponse<'dataset.preview'>> {
    return this.run({ kind: 'dataset', request }, opts) as Promise<ApiResponse<'dataset.preview'>>;
  }

  split(request: ApiRequest<'split.preview'>, opts: PreviewCallOptions = {}): Promise<ApiResponse<'split.preview'>> {
    return this.run({ kind: 'split', request }, opts) as Promise<ApiResponse<'split.preview'>>;
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.failAll(new Error('the preview worker was closed'));
    if (w) await w.terminate();
  }

  private run(job: Omit<PreviewJob, 'id'>, opts: PreviewCallOptions): Promise<unknown> {
    if (opts.signal?.aborted) return Promise.reject(new Error('the preview was cancelled'));
    const w = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
      const timer = setTimeout(
        () => this.abandon(w, new Error(`the preview took longer than ${Math.round(timeoutMs / 1000)} s and was abandoned`)),
        timeoutMs,
      );
      const onAbort = () => this.abandon(w, new Error('the preview was cancelled'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (v) => (settle(), resolve(v)),
        reject: (e) => (settle(), reject(e)),
        worker: w,
      });
      w.ref(); // keep the process alive while a preview is owed
      w.postMessage({ ...job, id });
    });
  }

  /** Terminate a worker whose preview is abandoned; what it owed fails with `why`. */
  private abandon(w: Worker, why: Error): void {
    if (this.worker === w) this.worker = null;
    this.failAll(why, w);
    void w.terminate();
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // a preview that outgrows its heap ends its worker (ERR_WORKER_OUT_OF_MEMORY), never the server
    const w = spawnWorker(this.workerUrl, { resourceLimits: { maxOldGenerationSizeMb: 4096 } });
    w.unref();
    w.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (![...this.pending.values()].some((q) => q.worker === w)) w.unref();
      // the worker loads what the request names: its errors are about that input
      if (m.error !== undefined) p.reject(new InputError(m.error));
      else p.resolve(m.result);
    });
    const lost = (why: string) => {
      if (this.worker === w) this.worker = null;
      this.failAll(new Error(`the preview worker stopped: ${why}`), w);
    };
    w.on('error', (e) => lost(e.message));
    w.on('exit', (code) => lost(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  /** Fail the previews owed by `w` (all when absent). */
  private failAll(e: Error, w?: Worker): void {
    for (const [id, p] of [...this.pending]) {
      if (w && p.worker !== w) continue;
      this.pending.delete(id);
      p.reject(e);
    }
  }
}
