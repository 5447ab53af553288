import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { outputFloats, readFloats } from './js-kernel-io';

/**
 * The scaffold shared by the plain-JS resize gradient kernels (ResizeBilinearGrad, ResizeNearestNeighborGrad): read
 * dy and the attributes, let a scatter add every dy value into a zeroed gradient of the images' shape, and register
 * the kernel on both the cpu and the wasm backend in place of the stock one.
 */

export interface ResizeGradGeometry {
  batch: number;
  oldHeight: number;
  oldWidth: number;
  depth: number;
  newHeight: number;
  newWidth: number;
  alignCorners: boolean;
  halfPixelCenters: boolean;
}

/** Adds each value of dy ([batch, newHeight, newWidth, depth]) into out ([batch, oldHeight, oldWidth, depth]). */
export type ResizeGradScatter = (dy: Float32Array, out: Float32Array, geometry: ResizeGradGeometry) => void;

/** Source pixels per output pixel along one axis, as the cpu forward resize kernels compute it. */
export function resizeRatio(oldSize: number, newSize: number, alignCorners: boolean): number {
  return alignCorners && newSize > 1 ? (oldSize - 1) / (newSize - 1) : oldSize / newSize;
}

export function resizeGradKernelFunc(scatter: ResizeGradScatter): KernelFunc {
  const kernel = (args: {
    inputs: { images: TensorInfo; dy: TensorInfo };
    backend: unknown;
    attrs: { alignCorners: boolean; halfPixelCenters: boolean };
  }): TensorInfo => {
    const { inputs, backend, attrs } = args;
    const { images, dy } = inputs;
    const [batch, oldHeight, oldWidth, depth] = images.shape;
    const [, newHeight, newWidth] = dy.shape;
    const out = new Float32Array(batch * oldHeight * oldWidth * depth);
    scatter(readFloats(backend, dy), out, {
      batch,
      oldHeight,
      oldWidth,
      depth,
      newHeight,
      newWidth,
      alignCorners: Boolean(attrs.alignCorners),
      halfPixelCenters: Boolean(attrs.halfPixelCenters),
    });
    return outputFloats(backend, images.shape, out);
  };
  return kernel as unknown as KernelFunc;
}

/** Registers kernelFunc as kernelName on cpu and wasm, replacing any other kernel; idempotent. */
export function registerOnCpuAndWasm(kernelName: string, kernelFunc: KernelFunc): void {
  for (const backendName of ['cpu', 'wasm']) {
    const config = tf.getKernel(kernelName, backendName);
    if (config?.kernelFunc === kernelFunc) continue;
    if (config) tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ kernelName, backendName, kernelFunc });
  }
}
