import type { Worker } from 'node:worker_threads';
import type { Samples } from '../data/samples';
import { spawnWorker } from '../util/spawn-worker';
import type { IslandChannel } from './island-channel';
import type { IslandWorkerData, IslandWorkerReply, IslandWorkerRequest } from './island-worker';
import { messageBytes, type IslandRequest, type IslandResponse, type ResponseOf } from './protocol';

/**
 * One worker thread hosting several island agents (island-worker.ts). The data are copied into the worker once; the
 * selector's thread keeps no reference to them through this host. The worker is unreferenced while idle, so an
 * unclosed host never keeps the process alive, and referenced while a request is pending, so an awaited answer does.
 */
export class IslandWorkerHost {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (r: IslandResponse) => void; reject: (e: Error) => void; island: number }>();
  #seq = 0;
  #failure: Error | null = null;

  constructor(islands: { id: number; data: Samples; numClasses: number }[]) {
    const workerData: IslandWorkerData = {
      agents: islands.map(({ id, data, numClasses }) => ({
        id,
        numClasses,
        // own copies when the arrays are views into larger buffers: a clone would carry the whole buffer along
        x: whole(data.x),
        n: data.n,
        dim: data.dim,
        labels: data.labels && whole(data.labels),
      })),
    };
    this.#worker = spawnWorker(new URL('./island-worker.ts', import.meta.url), { workerData });
    this.#worker.unref();
    this.#worker.on('message', (m: IslandWorkerReply) => {
      const p = this.#pending.get(m.seq);
      if (!p) return;
      this.#pending.delete(m.seq);
      if (this.#pending.size === 0) this.#worker.unref();
      if ('error' in m) p.reject(new Error(`island ${p.island}: ${m.error}`));
      else p.resolve(m.res);
    });
    const fail = (e: Error) => {
      this.#failure = e;
      for (const p of this.#pending.values()) p.reject(new Error(`island ${p.island}: its worker failed: ${e.message}`));
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => {
      if (!this.#failure) fail(new Error(`the island worker exited (code ${code})`));
    });
  }

  request(island: number, req: IslandRequest): Promise<IslandResponse> {
    if (this.#failure) return Promise.reject(new Error(`island ${island}: ${this.#failure.message}`));
    const seq = this.#seq++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(seq, { resolve, reject, island });
      this.#worker.postMessage({ seq, island, req } satisfies IslandWorkerRequest);
    });
  }

  async close(): Promise<void> {
    this.#failure ??= new Error('the island worker was closed');
    await this.#worker.terminate();
  }
}

/** The selector's end of one island hosted in a worker thread; counts the bytes of every answer. */
export class WorkerIslandChannel implements IslandChannel {
  #bytes = 0;

  constructor(
    private readonly host: IslandWorkerHost,
    readonly id: number,
  ) {}

  get bytesSent(): number {
    return this.#bytes;
  }

  resetCounters(): void {
    this.#bytes = 0;
  }

  async request<R extends IslandRequest>(req: R): Promise<ResponseOf<R>> {
    const res = await this.host.request(this.id, req);
    this.#bytes += messageBytes(res);
    return res as ResponseOf<R>;
  }
}

function whole<T extends Float32Array | Int32Array>(a: T): T {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as T);
}
