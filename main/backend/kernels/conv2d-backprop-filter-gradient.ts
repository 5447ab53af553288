import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, NamedAttrMap, Tensor, Tensor4D } from '@tensorflow/tfjs';

/**
 * The gradient of `Conv2DBackpropFilter` (dW = Σ x-patch · dy), which TensorFlow.js lacks, so that third-order
 * gradients and gradients of weight gradients work. dW is bilinear in (x, dy): with G = ∂L/∂dW,
 *   ∂L/∂dy = conv2d(x, G)                     (the forward convolution with G as filter),
 *   ∂L/∂x  = conv2DBackpropInput(dy, G)       (its adjoint with respect to the input).
 * Both are themselves differentiable kernels, so higher orders compose.
 */
export function registerConv2DBackpropFilterGradient(): void {
  if (tf.getGradient('Conv2DBackpropFilter')) return;
  tf.registerGradient({
    kernelName: 'Conv2DBackpropFilter',
    inputsToSave: ['x', 'dy'],
    gradFunc: (ddw: Tensor | Tensor[], saved: Tensor[], attrs?: NamedAttrMap) => {
      const [x, dy] = saved as Tensor4D[];
      const g = ddw as Tensor4D;
      const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DBackpropFilterAttrs;
      return {
        x: () =>
          tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: g }, {
            strides,
            pad,
            dataFormat,
            dimRoundingMode,
            inputShape: x.shape,
          } as unknown as NamedAttrMap) as Tensor,
        dy: () => tf.conv2d(x, g, strides, pad as never, dataFormat, 1, dimRoundingMode),
      };
    },
  });
}
