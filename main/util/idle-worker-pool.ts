import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker';

/**
 * Keeps started worker threads of one entry module for reuse: starting a worker that loads TensorFlow.js and its
 * wasm binary costs about a second, which would dominate short fits. A worker is lent with `acquire` and returned
 * with `release`; idle workers are unref'd so they never keep the process alive. A worker that failed is dropped with
 * `discard` (terminated) instead of being returned.
 *
 * The entry module must post `{ type: 'ready' }` once it is ready to take work.
 */
export class IdleWorkerPool {
  private readonly idle: Worker[] = [];

  constructor(private readonly entry: URL) {}

  async acquire(): Promise<Worker> {
    const reused = this.idle.pop();
    if (reused) {
      reused.ref();
      return reused;
    }
    const w = spawnWorker(this.entry);
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: { type?: string }) => {
        if (m?.type !== 'ready') return;
        cleanup();
        resolve();
      };
      const onError = (err: Error) => {
        cleanup();
        reject(err);
      };
      const onExit = (code: number) => {
        cleanup();
        reject(new Error(`worker ${this.entry.pathname} exited with code ${code} before it was ready`));
      };
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
    });
    return w;
  }

  release(w: Worker): void {
    w.unref();
    this.idle.push(w);
  }

  async discard(w: Worker): Promise<void> {
    await w.terminate();
  }

  /** Terminate every idle worker. */
  async close(): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map((w) => w.terminate()));
  }
}
