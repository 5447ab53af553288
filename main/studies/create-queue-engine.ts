import type { BackendRequest } from '../runs/run-manager';
import { EmbeddedQueue } from './embedded-queue';
import { RedisQueue } from './redis-queue';
import type { StudyQueueEngine } from './study-queue';

/** Where a study's runs go: the embedded queue (`parallel` runs at once here) or BullMQ at a redis:// URL. */
export interface QueueChoice {
  /** redis://HOST:PORT of the distributed engine; absent: the embedded one. */
  queue?: string;
  /** Runs at once on this machine (embedded engine; default one per core). */
  parallel?: number;
}

export function createQueueEngine(choice: QueueChoice, backend: BackendRequest): StudyQueueEngine {
  if (choice.queue) {
    if (!/^rediss?:\/\//.test(choice.queue)) throw new Error(`--queue must be a redis:// URL, got "${choice.queue}"`);
    // redis-queue.ts loads bullmq and ioredis only when it runs: the embedded path never pays for them
    return new RedisQueue({ url: choice.queue, backend });
  }
  return new EmbeddedQueue({ parallel: choice.parallel, backend });
}
