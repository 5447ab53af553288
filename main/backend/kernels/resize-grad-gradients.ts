import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';

/**
 * Gradients of the resize gradients (ResizeNearestNeighborGrad, ResizeBilinearGrad), which TensorFlow.js lacks, so a
 * gradient penalty can differentiate through an upsampling layer. A resize is linear in the image and its Grad
 * kernel is its transpose, so the gradient of the Grad kernel with respect to dy is the resize itself; it does not
 * depend on the images input (only its shape is used), whose gradient is zero.
 */
export function registerResizeGradGradients(): void {
  const pairs: [string, (g: Tensor4D, size: [number, number], alignCorners: boolean, half: boolean) => Tensor][] = [
    ['ResizeNearestNeighborGrad', (g, size, ac, half) => tf.image.resizeNearestNeighbor(g, size, ac, half)],
    ['ResizeBilinearGrad', (g, size, ac, half) => tf.image.resizeBilinear(g, size, ac, half)],
  ];
  for (const [kernelName, resize] of pairs) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['images', 'dy'],
      gradFunc: (g: Tensor | Tensor[], saved: Tensor[], attrs?: NamedAttrMap) => {
        const [images, dy] = saved;
        const { alignCorners, halfPixelCenters } = attrs as { alignCorners: boolean; halfPixelCenters: boolean };
        return {
          images: () => tf.zeros(images.shape, 'float32'),
          dy: () => resize(g as Tensor4D, [dy.shape[1]!, dy.shape[2]!], alignCorners, halfPixelCenters),
        };
      },
    });
  }
}
