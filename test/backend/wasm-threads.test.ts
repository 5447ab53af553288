import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wantedWasmThreads } from '../../main/backend/wasm-threads';

/** tfjs's threaded wasm build in Node (main/backend/wasm-threads.ts): thread counts change no result. */

const run = promisify(execFile);
const child = path.join(__dirname, 'fixtures', 'train-with-wasm-threads.mjs');

async function trainWith(threads: string): Promise<{ threads: number; ddpm: string; vaeConv: string; vaeMlp: string }> {
  // a separate process each: the wasm backend's thread count is fixed when it first initialises
  const { stdout } = await run(process.execPath, [child], {
    env: { ...process.env, COLLAPSE_LAB_WASM_THREADS: threads },
    timeout: 240_000, // also fails the test if the pool's workers kept the finished process alive
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('wasm threads', () => {
  it('reads COLLAPSE_LAB_WASM_THREADS, and names it when it is bad', () => {
    expect(wantedWasmThreads({})).toBe(1);
    expect(wantedWasmThreads({}, { alone: true })).toBe(os.availableParallelism());
    expect(wantedWasmThreads({ COLLAPSE_LAB_WASM_THREADS: '1' }, { alone: true })).toBe(1);
    expect(wantedWasmThreads({ COLLAPSE_LAB_WASM_THREADS: '2' })).toBe(2);
    expect(wantedWasmThreads({ COLLAPSE_LAB_WASM_THREADS: 'auto' })).toBeGreaterThanOrEqual(1);
    expect(() => wantedWasmThreads({ COLLAPSE_LAB_WASM_THREADS: 'two' })).toThrow(/COLLAPSE_LAB_WASM_THREADS .*"two"/);
    expect(() => wantedWasmThreads({ COLLAPSE_LAB_WASM_THREADS: '0' })).toThrow(/from 1 to 64/);
  });

  it('trains and samples conv and MLP models bit-identically with 1 and 2 threads, and the process exits by itself', async () => {
    const one = await trainWith('1');
    const two = await trainWith('2');
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.ddpm).toBe(one.ddpm);
    expect(two.vaeConv).toBe(one.vaeConv);
    expect(two.vaeMlp).toBe(one.vaeMlp);
  }, 600_000);
});
