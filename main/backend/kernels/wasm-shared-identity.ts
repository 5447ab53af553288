import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

/**
 * `Identity`, and `Cast` to the dtype a tensor already has, on wasm without a copy: the output shares the input's
 * data and the backend counts the reference, exactly as the wasm `Reshape` kernel and the cpu backend's `Identity`
 * do. Tensors are immutable, so sharing is safe. The stock kernels copy the whole tensor; a DDPM training step made
 * 318 such copies (75–95 ms of 2.2 s), mostly from gradients that pass dy through unchanged.
 */

const WRAPPED = Symbol.for('collapse-lab.shared-identity');

type Args = { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { dtype?: string } };

function shared(name: 'Identity' | 'Cast', original: KernelFunc): KernelFunc {
  const wrapped = ((args: Args) => {
    const { x } = args.inputs;
    const sameType = name === 'Identity' || args.attrs.dtype === x.dtype;
    if (!sameType || x.dtype === 'string') return original(args as never);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as KernelFunc;
  (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  return wrapped;
}

/** Replace the wasm Identity and Cast kernels by the sharing wrappers (once). */
export function registerWasmSharedIdentity(): void {
  for (const name of ['Identity', 'Cast'] as const) {
    const config = tf.getKernel(name, 'wasm');
    if (!config || (config.kernelFunc as unknown as Record<symbol, boolean>)[WRAPPED]) continue;
    const replacement: KernelConfig = { ...config, kernelFunc: shared(name, config.kernelFunc) };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(replacement);
  }
}
