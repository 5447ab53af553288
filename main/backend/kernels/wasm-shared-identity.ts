import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wrapWasmKernel } from './wrap-wasm-kernel';

/**
 * `Identity`, and `Cast` to the dtype a tensor already has, on wasm without a copy: the output shares the input's
 * data and the backend counts the reference, exactly as the wasm `Reshape` kernel and the cpu backend's `Identity`
 * do. Tensors are immutable, so sharing is safe. The stock kernels copy the whole tensor; a DDPM training step made
 * 318 such copies (75–95 ms of 2.2 s), mostly from gradients that pass dy through unchanged.
 */

type Args = { inputs: { x: TensorInfo }; backend: BackendWasm; attrs: { dtype?: string } };

function shared(name: 'Identity' | 'Cast', original: KernelFunc): KernelFunc {
  return ((args: Args) => {
    const { x } = args.inputs;
    const sameType = name === 'Identity' || args.attrs.dtype === x.dtype;
    if (!sameType || x.dtype === 'string') return original(args as never);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as KernelFunc;
}

/** Replace the wasm Identity and Cast kernels by the sharing wrappers (once). */
export function registerWasmSharedIdentity(): void {
  for (const name of ['Identity', 'Cast'] as const) wrapWasmKernel(name, 'shared-identity', (original) => shared(name, original));
}
