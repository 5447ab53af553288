import os from 'node:os';
import type { Samples } from '../data/samples';
import { IslandAgent } from './island-agent';
import { InProcessIslandChannel, type IslandChannel } from './island-channel';
import { IslandWorkerHost, WorkerIslandChannel } from './worker-island-channel';

/**
 * Start the island agents of a run and return the selector's channels to them.
 *
 * Agents live in a small pool of worker threads, each hosting several islands (island k on worker k mod W), with W =
 * min(islands, available cores) by default. Why a pool rather than one worker per island: the islands' work (OT
 * solves, projections) is CPU-bound and the machine has few cores, so more threads than cores only time-slice, while
 * each extra thread costs start-up time (tsx loader, module graph) and memory (the island's data and, during a
 * solve, its cost and kernel matrices, up to a few hundred MB at N = 4,000 candidates). With W = cores, the islands'
 * answers are computed in parallel and the selector's own thread is free for its share (e.g. the debiasing term).
 * 'in-process' keeps agents on the caller's thread (tests, tiny runs); the protocol is the same.
 */
export interface IslandFleet {
  channels: IslandChannel[];
  /** Stop the workers. Idle workers never keep the process alive, so a fleet that is not closed does no harm. */
  close(): Promise<void>;
}

export interface StartIslandsOptions {
  mode?: 'workers' | 'in-process';
  /** Number of worker threads (default: min(islands, cores)). */
  workers?: number;
}

export function startIslands(data: Samples[], numClasses: number, opts: StartIslandsOptions = {}): IslandFleet {
  if (data.length === 0) throw new Error('startIslands: no islands');
  if (opts.mode === 'in-process') {
    const channels = data.map((d, k) => new InProcessIslandChannel(new IslandAgent(k, d, numClasses)));
    return { channels, close: async () => {} };
  }
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const W = Math.max(1, Math.min(data.length, opts.workers ?? cores));
  const hosts: IslandWorkerHost[] = [];
  for (let w = 0; w < W; w++) {
    const mine = data.map((d, k) => ({ id: k, data: d, numClasses })).filter((_, k) => k % W === w);
    hosts.push(new IslandWorkerHost(mine));
  }
  const channels = data.map((_, k) => new WorkerIslandChannel(hosts[k % W], k));
  return {
    channels,
    close: async () => {
      await Promise.all(hosts.map((h) => h.close()));
    },
  };
}
