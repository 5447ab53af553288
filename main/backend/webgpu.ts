import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import type { GpuAdapter } from '../contract/run-record';

/**
 * The `webgpu` backend: `@tensorflow/tfjs-backend-webgpu` on Dawn's Node binding (the `webgpu` npm package, prebuilt
 * for linux-x64, darwin-universal and win32-x64). WebGPU maps to Vulkan, Metal and D3D12, so one backend serves
 * NVIDIA, AMD, Intel and Apple GPUs without CUDA. Both packages are loaded on first use only (Dawn's `.node` binary
 * starts a GPU instance), never by importing the engine.
 *
 * Dawn needs `navigator.gpu` and the WebGPU globals (`GPUBufferUsage` …) before tfjs-backend-webgpu creates its
 * backend; the engine registers its own factory (not the package's, which registers only when `navigator.gpu` exists
 * at import time) so that it chooses the adapter, records what it is, and watches the device for loss.
 */

export type { GpuAdapter };

/** A device loss (driver reset, GPU removed, out of memory in the driver, …), named for the run's error. */
export class GpuDeviceLostError extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`GPU device lost: ${detail || reason}`);
    this.name = 'GpuDeviceLostError';
  }
}

interface DawnModule {
  create(options: string[]): GPU;
  globals: object;
}

interface WebgpuState {
  gpu: GPU;
  adapter: GPUAdapter;
  info: GpuAdapter;
}

const require = createRequire(import.meta.url);

/** The first probe's outcome (an adapter, or why none): loading Dawn and asking for an adapter is done once. */
let probe: Promise<WebgpuState | string> | null = null;
let device: GPUDevice | null = null;
let lost: GpuDeviceLostError | null = null;
const lostListeners = new Set<(e: GpuDeviceLostError) => void>();

/** Software adapters as Dawn describes them: the fallback flag, or a known CPU rasteriser's name. */
export function isSoftwareAdapter(info: Pick<GpuAdapter, 'vendor' | 'architecture' | 'device' | 'description' | 'fallback'>): boolean {
  if (info.fallback) return true;
  const text = `${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  return /\b(software|llvmpipe|lavapipe|swiftshader|warp|microsoft basic render)\b/.test(text);
}

/** One line naming an adapter: `NVIDIA ampere (driver …)`, `mesa software (llvmpipe …), software`. */
export function describeAdapter(a: GpuAdapter): string {
  const name = [a.vendor, a.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  const detail = a.description || a.device;
  return `${name}${detail ? ` (${detail})` : ''}${a.fallback ? ', software' : ''}`;
}

async function loadDawn(): Promise<DawnModule> {
  // Vulkan's loader on Linux wants a runtime directory; a desktop session sets one, a service or CI may not
  if (process.platform === 'linux' && !process.env.XDG_RUNTIME_DIR) {
    const fs = await import('node:fs');
    const dir = `/tmp/collapse-lab-xdg-${process.getuid?.() ?? 'user'}`;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    process.env.XDG_RUNTIME_DIR = dir;
  }
  return (await import('webgpu')) as unknown as DawnModule;
}

async function probeOnce(): Promise<WebgpuState | string> {
  let dawn: DawnModule;
  try {
    dawn = await loadDawn();
  } catch (err) {
    return `the "webgpu" package (Dawn for Node) did not load: ${(err as Error).message.split('\n')[0]}`;
  }
  Object.assign(globalThis, dawn.globals);
  let gpu: GPU;
  try {
    gpu = dawn.create([]);
  } catch (err) {
    return `Dawn could not start: ${(err as Error).message.split('\n')[0]}`;
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!adapter) {
    return process.platform === 'linux'
      ? "no adapter: Dawn found no Vulkan device (install libvulkan1 and your GPU vendor's Vulkan driver; Mesa ≥ 24 for llvmpipe)"
      : 'no adapter: Dawn found no GPU (Metal on macOS, D3D12 on Windows)';
  }
  return { gpu, adapter, info: adapterRecord(adapter) };
}

function adapterRecord(adapter: GPUAdapter): GpuAdapter {
  const i = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const raw = {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    fallback: Boolean(i.isFallbackAdapter ?? (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
  };
  return {
    ...raw,
    fallback: isSoftwareAdapter(raw),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/**
 * Every adapter Dawn offers (WebGPU hands out one per request: the high-performance one, the low-power one and the
 * fallback one), each once; empty where Dawn does not load or finds none.
 */
export async function listWebgpuAdapters(): Promise<GpuAdapter[]> {
  probe ??= probeOnce();
  const state = await probe;
  if (typeof state === 'string') return [];
  const seen = new Map<string, GpuAdapter>();
  const options: GPURequestAdapterOptions[] = [
    { powerPreference: 'high-performance' },
    { powerPreference: 'low-power' },
    { forceFallbackAdapter: true },
  ];
  for (const o of options) {
    const a = await state.gpu.requestAdapter(o).catch(() => null);
    if (!a) continue;
    const r = adapterRecord(a);
    seen.set(`${r.vendor}|${r.architecture}|${r.device}|${r.description}`, r);
  }
  return [...seen.values()];
}

/** Load Dawn and look for an adapter (once per process): the adapter, or why there is none. */
export async function probeWebgpu(): Promise<{ adapter: GpuAdapter } | { unavailable: string }> {
  probe ??= probeOnce();
  const state = await probe;
  return typeof state === 'string' ? { unavailable: state } : { adapter: state.info };
}

function navigatorWithGpu(gpu: GPU): void {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (!g.navigator.gpu) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
}

/**
 * Register the `webgpu` backend's factory with TensorFlow.js, after a successful probe. Returns why it cannot be,
 * or null. The device is requested when tfjs first activates the backend.
 */
export async function registerWebgpuBackend(): Promise<string | null> {
  if (tf.findBackendFactory('webgpu')) return null;
  probe ??= probeOnce();
  const state = await probe;
  if (typeof state === 'string') return state;
  navigatorWithGpu(state.gpu);
  let WebGPUBackend: new (device: GPUDevice, info?: GPUAdapterInfo) => tf.KernelBackend;
  try {
    ({ WebGPUBackend } = require('@tensorflow/tfjs-backend-webgpu') as {
      WebGPUBackend: new (device: GPUDevice, info?: GPUAdapterInfo) => tf.KernelBackend;
    });
  } catch (err) {
    return `@tensorflow/tfjs-backend-webgpu did not load: ${(err as Error).message.split('\n')[0]}`;
  }
  // the package registers its own factory when navigator.gpu existed at its import; the engine's replaces it
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend(
    'webgpu',
    async () => {
      const { adapter } = state;
      const l = adapter.limits;
      const requiredFeatures = (['timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));
      const d = await adapter.requestDevice({
        requiredFeatures,
        requiredLimits: {
          maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
          maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
          maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
          maxBufferSize: l.maxBufferSize,
          maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
          maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
        },
      });
      watchDevice(d);
      return new WebGPUBackend(d, adapter.info);
    },
    // below wasm's and cpu's own priorities: the engine, never tfjs's default choice, decides when webgpu runs
    0,
  );
  return null;
}

function watchDevice(d: GPUDevice): void {
  device = d;
  lost = null;
  void d.lost.then((info) => {
    if (device !== d) return;
    lost = new GpuDeviceLostError(info.reason, info.message);
    for (const listener of lostListeners) listener(lost);
  });
}

/** The device loss of this process's WebGPU device, if it happened. */
export function webgpuDeviceLoss(): GpuDeviceLostError | null {
  return lost;
}

/** Call `listener` when this process's WebGPU device is lost (at once if it already was). Returns an unsubscribe. */
export function onWebgpuDeviceLost(listener: (e: GpuDeviceLostError) => void): () => void {
  if (lost) listener(lost);
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}

/**
 * Make the device report a loss, as a driver reset would (the tests' stand-in for a GPU fault): the device is
 * destroyed, so every later GPU call fails, and the loss listeners hear of it.
 */
export function loseWebgpuDeviceForTest(): void {
  if (!device) throw new Error('no WebGPU device to lose: the webgpu backend has not started');
  device.destroy();
}
