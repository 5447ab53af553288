import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';

/**
 * Zero gradients for comparison and logical kernels. Their outputs are piecewise constant, so the gradient is zero,
 * but TensorFlow.js registers one only for GreaterEqual. Second-order gradients need them: the gradient of leakyRelu
 * is where(x > 0, dy, α·dy), so differentiating it again (WGAN-GP's gradient penalty) walks back through `Greater`
 * and failed with "gradient function not found for Greater". Likewise max/min (Equal) and clipByValue (LogicalAnd).
 * Zeros are float32 whatever the input's dtype: the tape demands float32 gradients.
 */
const binary = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr', 'LogicalXor'];
const unary = ['LogicalNot'];

export function registerComparisonGradients(): void {
  for (const kernelName of binary) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [a, b] = saved;
        return { a: () => tf.zeros(a.shape, 'float32'), b: () => tf.zeros(b.shape, 'float32') };
      },
    });
  }
  for (const kernelName of unary) {
    if (tf.getGradient(kernelName)) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['x'],
      gradFunc: (_dy: Tensor | Tensor[], saved: Tensor[]) => ({ x: () => tf.zeros(saved[0].shape, 'float32') }),
    });
  }
}
