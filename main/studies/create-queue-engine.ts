import type { BackendRequest } from '../runs/run-manager';
import { EmbeddedQueue } from './embedded-queue';
import { probeRedis, redactUrl, RedisQueue } from './redis-queue';
import type { StudyQueueEngine } from './study-queue';

/** Where a study's runs go: the embedded queue (`parallel` runs at once here) or BullMQ at a redis:// URL. */
export interface QueueChoice {
  /** redis://HOST:PORT of the distributed engine; absent: the embedded one. */
  queue?: string;
  /** Runs at once on this machine (embedded engine; default one per core). */
  parallel?: number;
}

/**
 * Check that the chosen queue can be used before anything of a study is written: a Redis URL must parse and its
 * server answer (within COLLAPSE_LAB_QUEUE_CONNECT_MS); an error names the URL (its password hidden).
 */
export async function checkQueueChoice(choice: QueueChoice): Promise<void> {
  if (!choice.queue) return;
  if (!/^rediss?:\/\//.test(choice.queue)) throw new Error(`--queue must be a redis:// URL, got "${redactUrl(choice.queue)}"`);
  try {
    new URL(choice.queue);
  } catch {
    throw new Error(`--queue ${redactUrl(choice.queue)} is not a valid URL`);
  }
  await probeRedis(choice.queue);
}

export function createQueueEngine(choice: QueueChoice, backend: BackendRequest): StudyQueueEngine {
  if (choice.queue) {
    if (!/^rediss?:\/\//.test(choice.queue)) throw new Error(`--queue must be a redis:// URL, got "${choice.queue}"`);
    // redis-queue.ts loads bullmq and ioredis only when it runs: the embedded path never pays for them
    return new RedisQueue({ url: choice.queue, backend });
  }
  return new EmbeddedQueue({ parallel: choice.parallel, backend });
}
