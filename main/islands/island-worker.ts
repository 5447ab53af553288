import { parentPort, workerData } from 'node:worker_threads';
import { IslandAgent } from './island-agent';
import { transferables, type IslandRequest, type IslandResponse } from './protocol';

/**
 * Worker entry hosting one or more island agents. The island data arrive once, in workerData; afterwards the thread
 * answers protocol requests `{ seq, island, req }` with `{ seq, res }` or `{ seq, error }`, one at a time in arrival
 * order (each answer is CPU-bound, so interleaving would gain nothing).
 */
export interface IslandWorkerData {
  agents: { id: number; numClasses: number; x: Float32Array; n: number; dim: number; labels?: Int32Array }[];
}
export interface IslandWorkerRequest {
  seq: number;
  island: number;
  req: IslandRequest;
}
export type IslandWorkerReply = { seq: number; res: IslandResponse } | { seq: number; error: string };

const { agents: specs } = workerData as IslandWorkerData;
const agents = new Map<number, IslandAgent>();
for (const s of specs) {
  agents.set(s.id, new IslandAgent(s.id, { x: s.x, n: s.n, dim: s.dim, labels: s.labels }, s.numClasses));
}

let queue: Promise<void> = Promise.resolve();
parentPort?.on('message', (m: IslandWorkerRequest) => {
  queue = queue.then(async () => {
    const agent = agents.get(m.island);
    try {
      if (!agent) throw new Error(`island ${m.island} is not hosted by this worker`);
      const res = await agent.handle(m.req);
      parentPort?.postMessage({ seq: m.seq, res } satisfies IslandWorkerReply, transferables(res));
    } catch (e) {
      parentPort?.postMessage({ seq: m.seq, error: (e as Error).message ?? String(e) } satisfies IslandWorkerReply);
    }
  });
});
