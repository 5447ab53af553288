import type { TensorInfo } from '@tensorflow/tfjs';

/**
 * Input and output for kernels written in plain JS over Float32Arrays and registered on both the cpu and the wasm
 * backend: read a tensor's values, and wrap a result as the backend's output.
 */
interface ReadableBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo?(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
  makeOutput?(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): TensorInfo;
}

export function readFloats(backend: unknown, t: TensorInfo): Float32Array {
  const values = (backend as ReadableBackend).readSync(t.dataId);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

export function outputFloats(backend: unknown, shape: number[], values: Float32Array): TensorInfo {
  const b = backend as ReadableBackend;
  // cpu: makeTensorInfo(shape, dtype, values) (its makeOutput takes other arguments); wasm: makeOutput only.
  if (b.makeTensorInfo) return b.makeTensorInfo(shape, 'float32', values);
  if (b.makeOutput) return b.makeOutput(shape, 'float32', undefined, values);
  throw new Error('outputFloats: backend has neither makeOutput nor makeTensorInfo');
}
