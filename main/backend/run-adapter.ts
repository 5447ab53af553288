import { createRequire } from 'node:module';
import type { BackendRequest } from '../contract/backend-request';
import type { GpuAdapter } from '../contract/run-record';
import { spawnWorker } from '../util/spawn-worker';
import { readHardwareAdapter, recordHardwareAdapter } from './machine-speed';

/**
 * The WebGPU adapter a run asking for a backend would train on, for the GPU memory check (main/contract/gpu-memory.ts)
 * and for `auto`'s choice. Dawn (about 150 ms and a GPU instance) is loaded only when the answer is not known: this
 * host's last probe is kept in the workspace's machine-speed.json (readHardwareAdapter), so under `auto` a run, a
 * preflight or a study start on a host without a hardware adapter never loads Dawn once one probe has said so.
 */

const require = createRequire(import.meta.url);

/** Whether tfjs-node-gpu is installed: `auto` tries it before webgpu (whether it sees a GPU takes seconds to learn). */
export function nodeGpuInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node-gpu');
    return true;
  } catch {
    return false;
  }
}

/** What a probe answered: the adapter the run would use, and the hardware adapter found (for the host's cache). */
export interface AdapterAnswer {
  adapter: GpuAdapter | null;
  /** Set when Dawn was asked: the hardware adapter, or null for none. */
  probed?: GpuAdapter | null;
}

/**
 * In this thread: the adapter of a run asking for `request` (any adapter for `webgpu`; for `auto` the hardware one
 * auto would pick, `known` when the host's cache tells, none while tfjs-node-gpu is installed), or null when the run
 * would not train on webgpu.
 */
export async function webgpuAdapterFor(request: BackendRequest | string, known?: GpuAdapter | null): Promise<AdapterAnswer> {
  if (request !== 'webgpu' && request !== 'auto') return { adapter: null };
  if (request === 'auto' && nodeGpuInstalled()) return { adapter: null };
  if (request === 'auto' && known !== undefined) return { adapter: known };
  const { probeWebgpu } = await import('./webgpu');
  const probe = await probeWebgpu();
  const any = 'adapter' in probe ? probe.adapter : null;
  const hardware = any && !any.fallback ? any : null;
  return { adapter: request === 'webgpu' ? any : hardware, probed: hardware };
}

/**
 * For a door's thread (a study's start): the adapter the study's runs asking for `request` would use, from the host's
 * cache or else probed in a worker thread of its own (Dawn never loads in the caller's thread), the probe kept.
 */
export async function webgpuAdapterForRuns(workspace: string, request: BackendRequest): Promise<GpuAdapter | null> {
  if (request !== 'webgpu' && request !== 'auto') return null;
  if (request === 'auto' && nodeGpuInstalled()) return null;
  const known = readHardwareAdapter(workspace) ?? (request === 'auto' ? probedHere : undefined);
  if (request === 'auto' && known !== undefined) {
    // a workspace that has not seen this process's probe keeps it too
    if (readHardwareAdapter(workspace) === undefined) recordHardwareAdapter(workspace, known);
    return known;
  }
  const worker = spawnWorker(new URL('./adapter-probe-worker.ts', import.meta.url), { workerData: { request, known } });
  const answer = await new Promise<AdapterAnswer>((resolve, reject) => {
    worker.once('message', (m: AdapterAnswer & { error?: string }) => {
      void worker.terminate();
      if (m.error !== undefined) reject(new Error(`probing the GPU adapters failed: ${m.error}`));
      else resolve(m);
    });
    worker.once('error', (e) => reject(new Error(`probing the GPU adapters failed: ${e.message}`)));
    worker.once('exit', (code) => reject(new Error(`probing the GPU adapters stopped (exit code ${code})`)));
  });
  if (answer.probed !== undefined) {
    probedHere = answer.probed;
    recordHardwareAdapter(workspace, answer.probed);
  }
  return answer.adapter;
}

/** This process's own probe (the host's answer, whatever the workspace), once it has made one. */
let probedHere: GpuAdapter | null | undefined;

/** An adapter in the words of a field error: vendor and name. */
export function adapterLabel(a: GpuAdapter): string {
  return `the adapter ${[a.vendor, a.description || a.device].filter(Boolean).join(' ')}${a.fallback ? ' (software)' : ''}`;
}
