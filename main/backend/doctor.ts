import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import type { BackendDiagnosis, ComputeCheck, ComputeReport } from '../contract/compute-report';
import { openModelSteps } from '../bench/model-steps';
import { smoke } from '../presets/smoke';
import { autoPreference, initBackend, type AutoCandidate, type BackendName } from './select-backend';
import { cudaLibraries, findLibrary, librarySearchPath, vulkanLoader } from './native-libraries';
import { wantedWasmThreads } from './wasm-threads';
import { describeAdapter, listWebgpuAdapters, probeWebgpu } from './webgpu';

/**
 * The doctor: every backend of the one list, available or exactly why not, each available one timed on the smoke
 * preset's training step (vae-mlp), and the backend `auto` picks. It activates each backend in turn, so it runs in a
 * thread of its own (main/backend/doctor-worker.ts, started by runDoctor in doctor-client.ts), never in a run's.
 */
export interface DoctorOptions {
  /** Time each available backend's training step (default true). */
  measure?: boolean;
  /** Timed seconds per backend (default 2). */
  seconds?: number;
}

const require = createRequire(import.meta.url);

function installed(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch {
    return false;
  }
}

const firstLine = (e: unknown) => ((e as Error)?.message ?? String(e)).split('\n')[0];

/** The smoke preset's model and batch: the step every backend is timed on. */
const smokeModel = smoke.config.model as { kind: 'vae-mlp'; params: { batchSize: number; latent: number } };

/** Training images per second of the smoke model's step on the active backend: two warm-up steps, then `seconds`. */
export async function measureSmokeStep(seconds: number): Promise<number> {
  const batch = smokeModel.params.batchSize;
  const steps = await openModelSteps({ model: 'vae-mlp', batch, samples: 64, params: { latent: smokeModel.params.latent } });
  try {
    const train = steps.steps.find((s) => s.name === 'train')!;
    for (let i = 0; i < 2; i++) await train.run();
    let calls = 0;
    const t0 = performance.now();
    while (calls < 3 || performance.now() - t0 < seconds * 1000) {
      await train.run();
      calls++;
    }
    return (calls * batch) / ((performance.now() - t0) / 1000);
  } finally {
    await steps.close();
  }
}

async function timed(
  backend: BackendName,
  measure: boolean,
  seconds: number,
): Promise<Pick<BackendDiagnosis, 'imagesPerSecond' | 'measureError'>> {
  if (!measure) return { imagesPerSecond: null };
  try {
    await initBackend(backend);
    return { imagesPerSecond: await measureSmokeStep(seconds) };
  } catch (e) {
    return { imagesPerSecond: null, measureError: firstLine(e) };
  }
}

function cudaChecks(): ComputeCheck[] {
  const dirs = librarySearchPath();
  return cudaLibraries().map((lib) => {
    const found = findLibrary(lib, dirs);
    return {
      label: lib,
      ok: found !== null,
      detail: found ?? `not found in ${dirs.length} folders (LD_LIBRARY_PATH, /usr/local/cuda/lib64, system folders)`,
    };
  });
}

async function diagnoseTensorflow(
  pkg: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node',
  measure: boolean,
  seconds: number,
): Promise<BackendDiagnosis> {
  const gpu = pkg.endsWith('-gpu');
  const checks: ComputeCheck[] = [{ label: pkg, ok: installed(pkg), detail: installed(pkg) ? 'installed' : 'not installed' }];
  if (gpu) checks.push(...cudaChecks());
  const base = { backend: 'tensorflow' as const, via: pkg, checks, imagesPerSecond: null };
  if (!installed(pkg)) {
    const how = gpu
      ? 'npm install @tensorflow/tfjs-node-gpu (needs CUDA 11.2 and cuDNN 8.1 exactly; see README "Training on a GPU")'
      : 'npm install @tensorflow/tfjs-node';
    return { ...base, available: false, why: `${pkg} is not installed: ${how}` };
  }
  const missing = checks.filter((c) => !c.ok).map((c) => c.label);
  try {
    const info = await initBackend('tensorflow');
    if (info.package !== pkg) return { ...base, available: false, why: `${info.package} was loaded instead` };
  } catch (e) {
    const why = firstLine(e) + (missing.length ? `; missing: ${missing.join(', ')}` : '');
    return { ...base, available: false, why };
  }
  return { ...base, available: true, ...(await timed('tensorflow', measure, seconds)) };
}

async function diagnoseWebgpu(measure: boolean, seconds: number): Promise<BackendDiagnosis> {
  const checks: ComputeCheck[] = [];
  const dawn = installed('webgpu');
  checks.push({
    label: 'webgpu (Dawn for Node)',
    ok: dawn,
    detail: dawn ? 'installed' : 'not installed (an optional dependency: npm ci installs it)',
  });
  const loader = vulkanLoader();
  if (loader) {
    const found = findLibrary(loader, librarySearchPath());
    checks.push({ label: loader, ok: found !== null, detail: found ?? 'not found: install the Vulkan loader (Debian/Ubuntu: libvulkan1)' });
  }
  const probe = await probeWebgpu();
  const adapters = await listWebgpuAdapters();
  for (const a of adapters) checks.push({ label: 'adapter', ok: true, detail: describeAdapter(a) });
  const base = { backend: 'webgpu' as const, checks, imagesPerSecond: null };
  if ('unavailable' in probe) return { ...base, via: 'no adapter', available: false, why: probe.unavailable };
  const via = probe.adapter.fallback ? 'a software adapter' : 'a hardware adapter';
  try {
    await initBackend('webgpu');
  } catch (e) {
    return { ...base, via, adapter: probe.adapter, available: false, why: firstLine(e) };
  }
  return { ...base, via, adapter: probe.adapter, available: true, ...(await timed('webgpu', measure, seconds)) };
}

async function diagnoseWasm(measure: boolean, seconds: number): Promise<BackendDiagnosis> {
  const base = { backend: 'wasm' as const, via: '@tensorflow/tfjs-backend-wasm', imagesPerSecond: null };
  let threads = 1;
  try {
    threads = wantedWasmThreads();
  } catch (e) {
    return { ...base, available: false, why: firstLine(e), checks: [] };
  }
  try {
    const info = await initBackend('wasm');
    const checks: ComputeCheck[] = [
      { label: 'SIMD', ok: info.simd === true, detail: info.simd ? 'used' : 'not supported by this runtime (about 3× slower)' },
      { label: 'threads', ok: true, detail: `${info.threads ?? threads} (COLLAPSE_LAB_WASM_THREADS; a lone run takes every core)` },
    ];
    return { ...base, available: true, checks, ...(await timed('wasm', measure, seconds)) };
  } catch (e) {
    return { ...base, available: false, why: firstLine(e), checks: [] };
  }
}

async function diagnoseCpu(measure: boolean, seconds: number): Promise<BackendDiagnosis> {
  const base = { backend: 'cpu' as const, via: '@tensorflow/tfjs-backend-cpu', imagesPerSecond: null };
  try {
    await initBackend('cpu');
    const checks = [{ label: 'plain JavaScript', ok: true, detail: 'always there; the slowest' }];
    return { ...base, available: true, checks, ...(await timed('cpu', measure, seconds)) };
  } catch (e) {
    return { ...base, available: false, why: firstLine(e), checks: [] };
  }
}

/** Whether `d` is what auto's step `c` asks for (a hardware adapter for webgpu, the same package for tensorflow). */
function satisfies(d: BackendDiagnosis, c: AutoCandidate): boolean {
  return d.available && d.backend === c.backend && d.via === c.via;
}

/** Diagnose every backend in this thread (it activates each in turn: run it in a thread of its own). */
export async function diagnoseCompute(opts: DoctorOptions = {}): Promise<ComputeReport> {
  const measure = opts.measure ?? true;
  const seconds = opts.seconds ?? 2;
  const loadBefore = loadavg()[0];
  const backends = [
    await diagnoseTensorflow('@tensorflow/tfjs-node-gpu', measure, seconds),
    await diagnoseWebgpu(measure, seconds),
    await diagnoseTensorflow('@tensorflow/tfjs-node', measure, seconds),
    await diagnoseWasm(measure, seconds),
    await diagnoseCpu(measure, seconds),
  ];
  const pick = autoPreference.find((c) => backends.some((d) => satisfies(d, c))) ?? autoPreference[autoPreference.length - 1];
  await tf.ready();
  return {
    backends,
    auto: { backend: pick.backend, via: pick.via },
    measuredModel: `${smokeModel.kind} (the smoke preset's), batch ${smokeModel.params.batchSize}`,
    load: `${loadBefore.toFixed(2)} → ${loadavg()[0].toFixed(2)}`,
    measuredAt: new Date().toISOString(),
  };
}
