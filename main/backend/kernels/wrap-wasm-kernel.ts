import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';

/** Marks on a kernel function: the keys of the wrappers already around it. */
const WRAPPERS = Symbol.for('collapse-lab.wasm-kernel-wrappers');

type Marked = KernelFunc & { [WRAPPERS]?: string[] };

/**
 * Replace the wasm backend's kernel `name` by `wrap(original)`, once per `key`: registering again (every initBackend
 * does) leaves a kernel that already carries this wrapper alone. The original stays reachable from the wrapper, for
 * the shapes it handles best. Returns false when the kernel does not exist on wasm.
 */
export function wrapWasmKernel(name: string, key: string, wrap: (original: KernelFunc) => KernelFunc): boolean {
  const config = tf.getKernel(name, 'wasm');
  if (!config) return false;
  const original = config.kernelFunc as Marked;
  const keys = original[WRAPPERS] ?? [];
  if (keys.includes(key)) return true;
  const wrapped = wrap(original) as Marked;
  wrapped[WRAPPERS] = [...keys, key];
  const replacement: KernelConfig = { ...config, kernelFunc: wrapped };
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel(replacement);
  return true;
}
