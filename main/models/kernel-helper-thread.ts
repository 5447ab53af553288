import { Worker } from 'node:worker_threads';

/**
 * A second thread that runs exported functions of WebAssembly modules over the same shared memory, for kernels whose
 * work splits into independent parts (the VAE-MLP step's column panels and rows: main/models/vae-mlp-simd.ts). The
 * caller posts one part, runs the other, then joins; each part computes exactly what it would on one thread, so the
 * results do not depend on whether the helper is used. The helper needs a turn of the caller's event loop to come up;
 * until it is ready (or after it failed), callers run every part themselves.
 */

const SEQ = 0;
const DONE = 1;
const READY = 2;
const FAILED = 3;
const STOP = 4;
const NAME = 5;
const COUNT = 6;
const ARGS = 8;
const MAX_ARGS = 16;

function helperSource(names: string[]): string {
  return `
const { workerData } = require('node:worker_threads');
const { modules, memory, ctrl } = workerData;
const ex = Object.assign({}, ...modules.map((m) => new WebAssembly.Instance(m, { env: { mem: memory } }).exports));
const names = ${JSON.stringify(names)};
const c = new Int32Array(ctrl);
Atomics.store(c, ${READY}, 1);
Atomics.notify(c, ${READY});
let seq = 0;
for (;;) {
  Atomics.wait(c, ${SEQ}, seq);
  seq = Atomics.load(c, ${SEQ});
  if (Atomics.load(c, ${STOP}) === 1) break;
  try {
    ex[names[c[${NAME}]]](...c.slice(${ARGS}, ${ARGS} + c[${COUNT}]));
  } catch (e) {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, ${DONE}, seq);
  Atomics.notify(c, ${DONE});
}`;
}

export class KernelHelperThread {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4 * (ARGS + MAX_ARGS)));
  private seq = 0;
  private worker: Worker | null = null;

  /** `modules` imported with `env.mem` = memory (shared); `names` the functions that may be posted. */
  constructor(
    modules: WebAssembly.Module[],
    memory: WebAssembly.Memory,
    private readonly names: string[],
  ) {
    try {
      const w = new Worker(helperSource(names), { eval: true, workerData: { modules, memory, ctrl: this.ctrl.buffer } });
      w.unref();
      w.on('error', () => Atomics.store(this.ctrl, FAILED, 1));
      w.on('exit', () => Atomics.store(this.ctrl, READY, 0));
      this.worker = w;
    } catch {
      Atomics.store(this.ctrl, FAILED, 1);
    }
  }

  get ready(): boolean {
    return this.worker !== null && Atomics.load(this.ctrl, READY) === 1 && Atomics.load(this.ctrl, FAILED) === 0;
  }

  /** Start `name(...args)` on the helper (call `join` before touching what it writes). */
  post(name: string, args: number[]): void {
    const c = this.ctrl;
    c[NAME] = this.names.indexOf(name);
    c[COUNT] = args.length;
    for (let q = 0; q < args.length; q++) c[ARGS + q] = args[q];
    this.seq++;
    Atomics.store(c, SEQ, this.seq);
    Atomics.notify(c, SEQ);
  }

  /** Wait for the posted call; false when the helper failed (it is then retired: the caller redoes that part). */
  join(): boolean {
    const c = this.ctrl;
    const t0 = Date.now();
    while (Atomics.load(c, DONE) !== this.seq) {
      Atomics.wait(c, DONE, Atomics.load(c, DONE), 1000);
      // a helper that vanished cannot tell this blocked thread: give up on it after a minute
      if (Atomics.load(c, READY) !== 1 || Date.now() - t0 > 60_000) Atomics.store(c, FAILED, 1);
      if (Atomics.load(c, FAILED) === 1) break;
    }
    if (Atomics.load(c, FAILED) === 0) return true;
    this.close();
    return false;
  }

  close(): void {
    if (!this.worker) return;
    Atomics.store(this.ctrl, STOP, 1);
    this.seq++;
    Atomics.store(this.ctrl, SEQ, this.seq);
    Atomics.notify(this.ctrl, SEQ);
    void this.worker.terminate();
    this.worker = null;
  }
}
