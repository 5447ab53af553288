import type { IslandAgent } from './island-agent';
import { messageBytes, type IslandRequest, type ResponseOf } from './protocol';

/**
 * How the selector reaches an island: request in, response out, with the bytes each side sends counted. This
 * in-process channel passes structured clones; WorkerIslandChannel (worker-island-channel.ts) reaches an agent in a
 * worker thread, and a network channel would implement the same interface.
 */
export interface IslandChannel {
  readonly id: number;
  request<R extends IslandRequest>(req: R): Promise<ResponseOf<R>>;
  /** Bytes the island has sent back since the last reset. */
  readonly bytesSent: number;
  resetCounters(): void;
}

export class InProcessIslandChannel implements IslandChannel {
  #bytes = 0;

  constructor(private readonly agent: IslandAgent) {}

  get id(): number {
    return this.agent.id;
  }

  get bytesSent(): number {
    return this.#bytes;
  }

  resetCounters(): void {
    this.#bytes = 0;
  }

  async request<R extends IslandRequest>(req: R): Promise<ResponseOf<R>> {
    // a structured clone on both ways: the selector never holds a reference into the agent's memory
    const res = structuredClone(await this.agent.handle(structuredClone(req)));
    this.#bytes += messageBytes(res);
    return res as ResponseOf<R>;
  }
}
