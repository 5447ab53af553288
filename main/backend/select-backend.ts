import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { backendRequests, type BackendRequest } from '../contract/backend-request';
import { registerMissingKernels } from './kernels';
import { installWasmThreadShim, unrefWasmWorkers, wantedWasmThreads, withCoresForThreads } from './wasm-threads';
import { probeWebgpu, registerWebgpuBackend, type GpuAdapter } from './webgpu';

/**
 * Choosing the TensorFlow.js backend. `auto` prefers, in order: `tensorflow` from `@tensorflow/tfjs-node-gpu`
 * (CUDA), `webgpu` on a hardware adapter (main/backend/webgpu.ts), `tensorflow` from `@tensorflow/tfjs-node` (CPU),
 * `wasm` (`@tensorflow/tfjs-backend-wasm`), `cpu` (plain JS). A software WebGPU adapter (llvmpipe, SwiftShader) is
 * slower than wasm: `auto` never picks it, `--backend webgpu` does.
 * The two native packages are optional dependencies (their install downloads libtensorflow and fails offline), so they
 * are loaded here with `require` inside try/catch, never imported statically; Dawn and tfjs-backend-webgpu are loaded
 * on first use too.
 * `@tensorflow/tfjs` (not tfjs-core alone) is used because only the full bundle registers the chained tensor ops.
 */

export type { BackendRequest };
/** A backend the engine can activate: any request but `auto`. */
export type BackendName = Exclude<BackendRequest, 'auto'>;

export interface BackendInfo {
  name: BackendName;
  /** The npm package that provides the backend. */
  package: string;
  version: string;
  device?: 'gpu' | 'cpu';
  simd?: boolean;
  threads?: number;
  /** The WebGPU adapter (webgpu only). */
  adapter?: GpuAdapter;
}

const require = createRequire(import.meta.url);

let current: BackendInfo | null = null;
/** Serialises concurrent initBackend calls (setBackend is async and global). */
let pending: Promise<unknown> = Promise.resolve();
/** Which native package provided the `tensorflow` backend once one was loaded (a process can load only one). */
let nativePackage: { name: string; version: string; device: 'gpu' | 'cpu' } | null = null;

function packageVersion(pkg: string): string {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return tf.version.tfjs;
  }
}

/** Load one of the native packages (registers the `tensorflow` backend). Returns why it failed, or null. */
function loadNative(pkg: NativePackage): string | null {
  if (nativePackage) return nativePackage.name === pkg ? null : `${nativePackage.name} is already loaded`;
  try {
    require(pkg);
  } catch (err) {
    return (err as Error).message.split('\n')[0];
  }
  if (!tf.findBackendFactory('tensorflow')) return `${pkg} loaded but registered no "tensorflow" backend`;
  nativePackage = { name: pkg, version: packageVersion(pkg), device: pkg.endsWith('-gpu') ? 'gpu' : 'cpu' };
  return null;
}

export interface BackendOptions {
  /** Threads of the wasm backend if this call first initialises it (default: wantedWasmThreads(), from the env). */
  wasmThreads?: number;
  /**
   * `auto` skips webgpu: this host is known to have no hardware adapter (main/backend/run-adapter.ts), so Dawn is not
   * loaded to find that out again.
   */
  noHardwareAdapter?: boolean;
}

async function activate(name: BackendName, opts: BackendOptions = {}): Promise<boolean> {
  registerMissingKernels();
  // the wasm backend's thread count is fixed when it first initialises (main/backend/wasm-threads.ts)
  const threads = name === 'wasm' && !tf.engine().registry.wasm ? (opts.wasmThreads ?? wantedWasmThreads()) : 1;
  if (threads > 1) {
    installWasmThreadShim();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    setThreadsCount(threads);
  }
  let ok: boolean;
  try {
    ok = threads > 1 ? await withCoresForThreads(threads, () => tf.setBackend(name)) : await tf.setBackend(name);
  } catch (err) {
    if (threads > 1)
      throw new Error(`the wasm backend failed to start ${threads} threads (COLLAPSE_LAB_WASM_THREADS): ${(err as Error).message}`);
    ok = false;
  }
  if (!ok) return false;
  await tf.ready();
  if (threads > 1) unrefWasmWorkers((tf.backend() as unknown as { wasm: unknown }).wasm);
  if (name === 'cpu') {
    // The cpu backend prints a "install tfjs-node" banner on first use; the engine records the backend instead.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
  return true;
}

async function describe(name: BackendName): Promise<BackendInfo> {
  if (name === 'webgpu') {
    const probe = await probeWebgpu();
    return {
      name,
      package: '@tensorflow/tfjs-backend-webgpu',
      version: packageVersion('@tensorflow/tfjs-backend-webgpu'),
      device: 'gpu',
      ...('adapter' in probe ? { adapter: probe.adapter } : {}),
    };
  }
  if (name === 'tensorflow') {
    const native = nativePackage ?? { name: '@tensorflow/tfjs-node', version: tf.version.tfjs, device: 'cpu' as const };
    return { name, package: native.name, version: native.version, device: native.device };
  }
  if (name === 'wasm') {
    const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
    return {
      name,
      package: '@tensorflow/tfjs-backend-wasm',
      version: packageVersion('@tensorflow/tfjs-backend-wasm'),
      device: 'cpu',
      simd,
      threads: getThreadsCount(),
    };
  }
  return {
    name,
    package: '@tensorflow/tfjs-backend-cpu',
    version: packageVersion('@tensorflow/tfjs-backend-cpu'),
    device: 'cpu',
    threads: 1,
  };
}

type NativePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

async function tryTensorflow(
  packages: readonly NativePackage[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'],
): Promise<string | null> {
  const why: string[] = [];
  for (const pkg of packages) {
    const failed = loadNative(pkg);
    if (failed === null) return (await activate('tensorflow')) ? null : 'the "tensorflow" backend failed to initialise';
    why.push(`${pkg}: ${failed}`);
  }
  return why.join('; ');
}

/** Start the webgpu backend; `hardwareOnly` refuses a software adapter. Returns why it cannot, or null. */
async function tryWebgpu(hardwareOnly: boolean): Promise<string | null> {
  const why = await registerWebgpuBackend();
  if (why !== null) return why;
  const probe = await probeWebgpu();
  if (hardwareOnly && 'adapter' in probe && probe.adapter.fallback) return 'its only adapter is a software one';
  let ok: boolean;
  try {
    ok = await activate('webgpu');
  } catch (err) {
    return `the device did not start: ${(err as Error).message}`;
  }
  return ok ? null : 'the device did not start';
}

/** One step of `auto`'s order of preference: a backend, and what provides it. */
export interface AutoCandidate {
  backend: BackendName;
  via:
    | '@tensorflow/tfjs-node-gpu'
    | 'a hardware adapter'
    | '@tensorflow/tfjs-node'
    | '@tensorflow/tfjs-backend-wasm'
    | '@tensorflow/tfjs-backend-cpu';
}

/** `auto`'s order of preference, best first (the doctor names the first one available here). */
export const autoPreference: readonly AutoCandidate[] = [
  { backend: 'tensorflow', via: '@tensorflow/tfjs-node-gpu' },
  { backend: 'webgpu', via: 'a hardware adapter' },
  { backend: 'tensorflow', via: '@tensorflow/tfjs-node' },
  { backend: 'wasm', via: '@tensorflow/tfjs-backend-wasm' },
  { backend: 'cpu', via: '@tensorflow/tfjs-backend-cpu' },
];

async function tryCandidate(c: AutoCandidate, opts: BackendOptions): Promise<boolean> {
  switch (c.via) {
    case '@tensorflow/tfjs-node-gpu':
    case '@tensorflow/tfjs-node':
      return (await tryTensorflow([c.via])) === null;
    case 'a hardware adapter':
      return (await tryWebgpu(true)) === null;
    case '@tensorflow/tfjs-backend-wasm':
      return activate('wasm', opts);
    case '@tensorflow/tfjs-backend-cpu':
      return activate('cpu');
  }
}

async function firstAvailable(opts: BackendOptions): Promise<BackendName | null> {
  for (const c of autoPreference) {
    if (opts.noHardwareAdapter && c.via === 'a hardware adapter') continue;
    if (await tryCandidate(c, opts)) return c.backend;
  }
  return null;
}

async function select(request: BackendRequest, opts: BackendOptions): Promise<BackendInfo> {
  if (!backendRequests.includes(request)) {
    throw new Error(`unknown backend "${String(request)}": expected one of ${backendRequests.join(', ')}`);
  }
  if (current && (request === 'auto' || request === current.name) && tf.getBackend() === current.name) return current;
  let name: BackendName;
  if (request === 'tensorflow') {
    const why = await tryTensorflow();
    if (why !== null) {
      throw new Error(
        `backend "tensorflow" is not available (${why}). Install @tensorflow/tfjs-node (CPU) or ` +
          `@tensorflow/tfjs-node-gpu (CUDA): npm install @tensorflow/tfjs-node`,
      );
    }
    name = 'tensorflow';
  } else if (request === 'webgpu') {
    const why = await tryWebgpu(false);
    if (why !== null) throw new Error(`backend "webgpu" is not available: ${why}. See \`collapse-lab doctor\``);
    name = 'webgpu';
  } else if (request === 'wasm' || request === 'cpu') {
    if (!(await activate(request, opts))) {
      const pkg = request === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu';
      throw new Error(`backend "${request}" failed to initialise; check that ${pkg} is installed (npm ci)`);
    }
    name = request;
  } else {
    const chosen = await firstAvailable(opts);
    if (!chosen) throw new Error('no TensorFlow.js backend could be initialised (tried tensorflow, webgpu, wasm, cpu)');
    name = chosen;
  }
  current = await describe(name);
  return current;
}

/**
 * Pick and initialise the backend (`auto`: the fastest available), register the kernels and gradients TensorFlow.js
 * lacks for training, and describe what was chosen. Safe to call more than once; concurrent calls are serialised.
 */
export function initBackend(request: BackendRequest = 'auto', opts: BackendOptions = {}): Promise<BackendInfo> {
  const run = pending.then(() => select(request, opts));
  pending = run.catch(() => undefined);
  return run;
}

/** The backend chosen by the last successful initBackend, or null before the first. */
export function currentBackend(): BackendInfo | null {
  return current;
}
