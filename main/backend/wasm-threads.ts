import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * tfjs's threaded wasm build (XNNPACK's thread pool on wasm threads) in Node. tfjs turns it off there only because it
 * hands Emscripten its pthread worker and its main script as Blob URLs, which Node's worker_threads cannot load. Here:
 *   - every Blob made from strings remembers its text, and URL.createObjectURL writes such a Blob to a file in a
 *     temporary folder and returns the file's path;
 *   - the main script (the Emscripten factory, taken out of tfjs's Node bundle) is written with the names that bundle
 *     defined around it (`commonjsGlobal`, rollup's `require$$N`), and the worker script is told, in a prelude, to load
 *     that file where it would have made a Blob URL of it;
 *   - tfjs's C side starts at most half the logical cores (2 cores → 1 thread), so `os.cpus()` reports at least twice
 *     the wanted threads while the backend initialises, and the real list again right after;
 *   - the pool's workers are unreferenced, so a finished process exits while they wait for work.
 * XNNPACK splits each product by output tiles, so a thread count changes no result: the tests compare a conv model's
 * training with 1 and 2 threads bit for bit. Measured here (DDPM U-Net training, batch 64): 35–42 images/s on one
 * thread, 63–65 on two.
 */

/**
 * Threads the wasm backend should start with: COLLAPSE_LAB_WASM_THREADS (an integer, or `auto`: every core) when set,
 * else every core for a run `alone` on the host (main/runs/host-runs.ts) and 1 otherwise.
 */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env, opts: { alone?: boolean } = {}): number {
  const raw = env.COLLAPSE_LAB_WASM_THREADS?.trim();
  if (!raw) return opts.alone ? Math.max(1, os.availableParallelism()) : 1;
  if (raw === 'auto') return Math.max(1, os.availableParallelism());
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new RangeError(`COLLAPSE_LAB_WASM_THREADS must be an integer from 1 to 64 or "auto", got "${raw}"`);
  }
  return n;
}

let installed: string | null = null;

/** Install the Blob / URL shim (once). Call before the wasm backend first initialises. */
export function installWasmThreadShim(): void {
  if (installed) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-wasm-threads-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const texts = new WeakMap<Blob, string>();
  const NativeBlob = globalThis.Blob;
  class TextBlob extends NativeBlob {
    constructor(parts: BlobPart[] = [], options?: BlobPropertyBag) {
      super(parts, options);
      if (!parts.every((p) => typeof p === 'string')) return;
      const text = (parts as string[]).join('');
      texts.set(this, text);
      if (text.startsWith('var WasmBackendModuleThreadedSimd')) {
        const bundleNames =
          'var commonjsGlobal = globalThis, require$$0 = require("fs"), require$$1 = require("path"), ' +
          'require$$2 = require("worker_threads"), require$$3 = require("perf_hooks"), require$$4 = require("os");\n';
        fs.writeFileSync(mainScript, bundleNames + text);
      }
    }
  }
  globalThis.Blob = TextBlob as typeof Blob;
  const nativeCreate = URL.createObjectURL.bind(URL);
  let files = 0;
  URL.createObjectURL = (blob: Blob): string => {
    const text = texts.get(blob);
    if (text === undefined) return nativeCreate(blob);
    const file = path.join(dir, `blob-${files++}.js`);
    const prelude = `URL.createObjectURL = () => ${JSON.stringify(mainScript)}; URL.revokeObjectURL = () => {};\n`;
    fs.writeFileSync(file, prelude + text);
    return file;
  };
  installed = dir;
}

/** Run `init` while os.cpus() lists at least 2 × threads entries (tfjs starts at most half the cores). */
export async function withCoresForThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const real = os.cpus;
  const list = real();
  if (list.length >= 2 * threads) return init();
  (os as { cpus: typeof os.cpus }).cpus = () => Array.from({ length: 2 * threads }, (_, i) => list[i % list.length]);
  try {
    return await init();
  } finally {
    (os as { cpus: typeof os.cpus }).cpus = real;
  }
}

/** Unreference the wasm pool's workers, so that they do not keep a finished process alive. */
export function unrefWasmWorkers(wasmModule: unknown): void {
  const pthread = (wasmModule as { PThread?: { runningWorkers?: { unref?: () => void }[]; unusedWorkers?: { unref?: () => void }[] } })
    .PThread;
  for (const w of [...(pthread?.runningWorkers ?? []), ...(pthread?.unusedWorkers ?? [])]) w.unref?.();
}
