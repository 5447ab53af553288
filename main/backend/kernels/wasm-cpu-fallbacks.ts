import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelBackend, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Kernels the wasm backend lacks but the cpu backend has, borrowed from the cpu backend: inputs are copied out of the
 * wasm heap into cpu tensors, the cpu kernel runs, and the results are copied back. Correct and simple; as fast as the
 * cpu backend, which is fine for these rarely hot kernels (the one hot gap, Conv2DBackpropFilter, has its own fast
 * kernel). UnsortedSegmentSum matters most: it is the gradient of gather (embedding tables).
 */
export const borrowedFromCpu = [
  'UnsortedSegmentSum',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'Einsum',
] as const;

function borrow(name: string, cpuKernel: KernelFunc): KernelFunc {
  return ((args: { inputs: Record<string, TensorInfo | TensorInfo[]>; backend: BackendWasm; attrs: NamedAttrMap }) => {
    const { inputs, backend, attrs } = args;
    const cpu = tf.findBackend('cpu') as KernelBackend | null;
    if (!cpu) throw new Error(`wasm ${name}: the cpu backend (borrowed for this kernel) is not registered`);
    const made: TensorInfo[] = [];
    const toCpu = (t: TensorInfo): TensorInfo => {
      const dataId = cpu.write(backend.readSync(t.dataId), t.shape, t.dtype);
      const info = { dataId, shape: t.shape, dtype: t.dtype };
      made.push(info);
      return info;
    };
    // Most kernels take named inputs; a few (Einsum) take an array of tensors.
    let cpuInputs: Record<string, TensorInfo | TensorInfo[]> | TensorInfo[];
    if (Array.isArray(inputs)) {
      cpuInputs = (inputs as TensorInfo[]).map(toCpu);
    } else {
      cpuInputs = {};
      for (const [key, value] of Object.entries(inputs)) {
        if (value == null) continue;
        cpuInputs[key] = Array.isArray(value) ? value.map(toCpu) : toCpu(value);
      }
    }
    try {
      const result = cpuKernel({ inputs: cpuInputs as never, backend: cpu, attrs });
      const outs = Array.isArray(result) ? result : [result];
      const back = outs.map((o) => {
        const values = cpu.readSync(o.dataId);
        cpu.disposeData(o.dataId);
        return backend.makeOutput(o.shape, o.dtype, undefined, values);
      });
      return Array.isArray(result) ? back : back[0];
    } finally {
      for (const t of made) cpu.disposeData(t.dataId);
    }
  }) as unknown as KernelFunc;
}

export function registerWasmCpuFallbacks(): void {
  for (const name of borrowedFromCpu) {
    if (tf.getKernel(name, 'wasm')) continue;
    const cpuConfig = tf.getKernel(name, 'cpu');
    if (!cpuConfig) continue;
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: borrow(name, cpuConfig.kernelFunc) });
  }
}
