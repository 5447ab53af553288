/**
 * A reusable barrier for threads that share memory (worker_threads + SharedArrayBuffer), built on Atomics.wait /
 * Atomics.notify: every party blocks in `arrive()` until all have arrived. A party that fails calls `break()`, which
 * wakes every waiting party with a BrokenBarrierError, so a failed thread can never leave the others waiting forever.
 * Hand-written because it is a few lines over Atomics and no maintained npm package offers one for worker_threads.
 *
 * Memory: 4 Int32 slots of a SharedArrayBuffer (count, generation, broken flag, spare), from `offset`.
 */
export class BrokenBarrierError extends Error {
  constructor(message = 'a thread sharing this barrier failed') {
    super(message);
    this.name = 'BrokenBarrierError';
  }
}

const COUNT = 0;
const GENERATION = 1;
const BROKEN = 2;

export const BARRIER_SLOTS = 4;

export class SharedBarrier {
  constructor(
    private readonly cells: Int32Array,
    private readonly parties: number,
    private readonly offset = 0,
    /** Give up (and break the barrier) after this long without every party arriving. */
    private readonly timeoutMs = 120_000,
  ) {
    if (!(cells.buffer instanceof SharedArrayBuffer)) throw new TypeError('SharedBarrier needs an Int32Array on a SharedArrayBuffer');
  }

  get broken(): boolean {
    return Atomics.load(this.cells, this.offset + BROKEN) !== 0;
  }

  arrive(): void {
    const c = this.cells;
    const o = this.offset;
    if (this.broken) throw new BrokenBarrierError();
    const generation = Atomics.load(c, o + GENERATION);
    if (Atomics.add(c, o + COUNT, 1) === this.parties - 1) {
      Atomics.store(c, o + COUNT, 0);
      Atomics.add(c, o + GENERATION, 1);
      Atomics.notify(c, o + GENERATION);
      return;
    }
    const deadline = Date.now() + this.timeoutMs;
    while (Atomics.load(c, o + GENERATION) === generation) {
      if (this.broken) throw new BrokenBarrierError();
      if (Date.now() > deadline) {
        this.break();
        throw new BrokenBarrierError(`no other thread arrived within ${this.timeoutMs / 1000} s`);
      }
      Atomics.wait(c, o + GENERATION, generation, 1000);
    }
    if (this.broken) throw new BrokenBarrierError();
  }

  /** Mark the barrier broken and wake everyone waiting on it. */
  break(): void {
    Atomics.store(this.cells, this.offset + BROKEN, 1);
    Atomics.notify(this.cells, this.offset + GENERATION);
  }
}
