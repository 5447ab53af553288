import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { maxRelErr, randomArray, runOn } from './compare';

/** Gradients added to TensorFlow.js: zero gradients of comparisons, and gradients of two linear backprop kernels. */

describe('comparison and logical gradients', () => {
  const ops: [string, (x: tf.Tensor, y: tf.Tensor) => tf.Tensor][] = [
    ['greater', tf.greater],
    ['greaterEqual', tf.greaterEqual],
    ['less', tf.less],
    ['lessEqual', tf.lessEqual],
    ['equal', tf.equal],
    ['notEqual', tf.notEqual],
    ['logicalAnd', (x, y) => tf.logicalAnd(tf.greater(x, 0), tf.greater(y, 0))],
    ['logicalOr', (x, y) => tf.logicalOr(tf.greater(x, 0), tf.greater(y, 0))],
    ['logicalNot', (x, y) => tf.logicalNot(tf.greater(x, y))],
  ];
  const xs = [-1.5, -0.2, 0, 0.3, 2];
  const ys = [0.5, -0.2, 1, -3, 2];
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const [name, op] of ops) {
      it(`${name} has a zero gradient on ${backend}`, async () => {
        await initBackend(backend);
        // f(x, y) = Σ mask(x, y)·x  ⇒  ∂f/∂x = mask, ∂f/∂y = 0 (the mask is piecewise constant).
        const x = tf.tensor1d(xs);
        const y = tf.tensor1d(ys);
        const mask = tf.cast(op(x, y), 'float32');
        const [gx, gy] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.cast(op(a, b), 'float32'), a)))([x, y]);
        expect(Array.from(gx.dataSync())).toEqual(Array.from(mask.dataSync()));
        expect(Array.from(gy.dataSync())).toEqual([0, 0, 0, 0, 0]);
        tf.dispose([x, y, mask, gx, gy]);
      });
    }
  }

  it('lets leakyRelu, relu6, clipByValue and max be differentiated twice', async () => {
    await initBackend('wasm');
    const x = tf.tensor1d([-2, -0.5, 0.5, 3, 7]);
    const second = (f: (t: tf.Tensor) => tf.Tensor) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.grad((u: tf.Tensor) => tf.sum(f(u)))(t))))(x);
    // d/dx Σ (f'(x))² = 0 for piecewise-linear f away from the kinks.
    for (const f of [(t: tf.Tensor) => tf.leakyRelu(t, 0.2), tf.relu6, (t: tf.Tensor) => tf.clipByValue(t, -1, 1)]) {
      expect(Array.from(second(f).dataSync())).toEqual([0, 0, 0, 0, 0]);
    }
    const gm = second((t) => tf.mul(tf.max(t), t));
    // f = M·x with M = max x = x₄, S = Σx: f'ⱼ = M + [j = 4]·S, Σ f'² = 4M² + (M + S)², whose x₄-derivative is
    // 8M + 4(M + S) = 116 at x = (−2, −0.5, 0.5, 3, 7).
    expect(gm.dataSync()[4]).toBeCloseTo(116, 3);
  });
});

/** ∂⟨G, K(u)⟩/∂u for a linear K checked exactly: ⟨grad, v⟩ = ⟨G, K(v)⟩ for a random direction v. */
function directional(grad: Float32Array, v: Float32Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += grad[i] * v[i];
  return s;
}

describe('gradient of Conv2DBackpropFilter', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    it(`is the adjoint in x and in dy on ${backend}`, async () => {
      const xShape: [number, number, number, number] = [2, 7, 7, 3];
      const dyShape = [2, 4, 4, 5];
      const filterShape: [number, number, number, number] = [3, 3, 3, 5];
      const size = (s: number[]) => s.reduce((a, b) => a * b);
      const x = randomArray(size(xShape), 1);
      const dy = randomArray(size(dyShape), 2);
      const g = randomArray(size(filterShape), 3);
      const vx = randomArray(size(xShape), 4);
      const vdy = randomArray(size(dyShape), 5);
      const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', filterShape };
      const dw = (a: tf.Tensor, b: tf.Tensor) =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x: a, dy: b }, attrs as never) as tf.Tensor;
      const [gx, gdy, kvx, kvdy] = await runOn(backend, () => {
        const tx = tf.tensor4d(x, xShape);
        const tdy = tf.tensor(dy, dyShape);
        const tg = tf.tensor(g, filterShape);
        const [a, b] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tg, dw(p, q))))([tx, tdy]);
        return [a, b, dw(tf.tensor4d(vx, xShape), tdy), dw(tx, tf.tensor(vdy, dyShape))];
      });
      // ⟨∂L/∂x, vx⟩ = ⟨G, dW(vx, dy)⟩ and ⟨∂L/∂dy, vdy⟩ = ⟨G, dW(x, vdy)⟩, since dW is bilinear.
      expect(directional(gx, vx)).toBeCloseTo(directional(g, kvx), 2);
      expect(directional(gdy, vdy)).toBeCloseTo(directional(g, kvdy), 2);
      expect(Math.abs(directional(gx, vx))).toBeGreaterThan(1);
    });
  }
});

describe('resize gradients are the transpose of the resize', () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    for (const [name, resize] of [
      ['nearest', tf.image.resizeNearestNeighbor],
      ['bilinear', tf.image.resizeBilinear],
    ] as const) {
      for (const [alignCorners, halfPixelCenters] of [
        [false, false],
        [true, false],
        [false, true],
      ] as const) {
        for (const size of [
          [6, 5],
          [2, 3],
        ] as [number, number][]) {
          it(`${name} on ${backend}, alignCorners ${alignCorners}, halfPixelCenters ${halfPixelCenters}, 3×4 → ${size}`, async () => {
            const x = randomArray(2 * 3 * 4 * 2, 11);
            const y = randomArray(2 * size[0] * size[1] * 2, 12);
            const [rx, grad] = await runOn(backend, () => {
              const tx = tf.tensor4d(x, [2, 3, 4, 2]);
              const ty = tf.tensor4d(y, [2, size[0], size[1], 2]);
              const g = tf.grad((u: tf.Tensor) => tf.sum(tf.mul(ty, resize(u as tf.Tensor4D, size, alignCorners, halfPixelCenters))))(tx);
              return [resize(tx, size, alignCorners, halfPixelCenters), g];
            });
            // ⟨R x, y⟩ = ⟨x, Rᵀ y⟩
            expect(directional(grad, x)).toBeCloseTo(directional(rx, y), 3);
          });
        }
      }
    }
  }
});

describe('gradients of the resize gradients', () => {
  for (const [name, resize] of [
    ['nearest', tf.image.resizeNearestNeighbor],
    ['bilinear', tf.image.resizeBilinear],
  ] as const) {
    it(`differentiates through the gradient of resize ${name} (wasm equals cpu, adjoint identity)`, async () => {
      const img = randomArray(2 * 3 * 3 * 2, 6);
      const w = randomArray(2 * 6 * 6 * 2, 7);
      // L(img) = Σ (∂/∂img Σ w ⊙ resize(img))² is constant in img (resize is linear), so its gradient wrt w checks the
      // second-order path: ∂L/∂w = 2·resize(resizeᵀ(w)).
      const f = () => {
        const x = tf.tensor4d(img, [2, 3, 3, 2]);
        const gw = tf.grad((ww: tf.Tensor) => {
          const inner = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(ww, resize(xx as tf.Tensor4D, [6, 6]))))(x);
          return tf.sum(tf.square(inner));
        })(tf.tensor4d(w, [2, 6, 6, 2]));
        const adjoint = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.tensor4d(w, [2, 6, 6, 2]), resize(xx as tf.Tensor4D, [6, 6]))))(x);
        const expected = tf.mul(2, resize(adjoint as tf.Tensor4D, [6, 6]));
        return [gw, expected];
      };
      const wasm = await runOn('wasm', f);
      const cpu = await runOn('cpu', f);
      expect(maxRelErr(wasm[0], wasm[1])).toBeLessThan(1e-5);
      expect(maxRelErr(wasm[0], cpu[0])).toBeLessThan(1e-5);
    });
  }
});
