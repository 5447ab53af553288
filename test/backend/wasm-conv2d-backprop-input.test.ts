import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { inputGradientPads } from '../../main/backend/kernels/conv-gradients-as-convolutions';
import { inputGradientPhases, phaseAxis } from '../../main/backend/kernels/conv-input-gradient-by-phases';
import { patchGeometry } from '../../main/backend/kernels/conv-patch-geometry';
import { setColumnBufferLimit, setFastConv2DBackpropInput } from '../../main/backend/kernels/wasm-conv2d-backprop-input';
import { maxRelErr, randomArray, runOn } from './compare';

/** The wasm Conv2DBackpropInput (XNNPACK matmul + col2im) against the cpu backend's kernel. */

type Pad = 'valid' | 'same' | number;
interface Case {
  /** The conv2d input shape (= the shape conv2dTranspose produces). */
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: [number, number];
  pad: Pad;
}

const cases: Case[] = [
  // WGAN-GP generator: 4→7 (k4 s1 p0 'valid'), 7→14 (k3 s2 p1), 14→28 (k4 s2 p1), and the critic's k4 s2 p1 convs.
  { x: [3, 7, 7, 16], k: [4, 4], co: 32, stride: [1, 1], pad: 'valid' },
  { x: [3, 13, 13, 8], k: [3, 3], co: 16, stride: [2, 2], pad: 1 },
  { x: [3, 28, 28, 1], k: [4, 4], co: 8, stride: [2, 2], pad: 1 },
  { x: [3, 14, 14, 8], k: [4, 4], co: 16, stride: [2, 2], pad: 1 },
  { x: [2, 8, 8, 8], k: [3, 3], co: 5, stride: [1, 1], pad: 'same' },
  { x: [3, 9, 7, 8], k: [5, 3], co: 4, stride: [2, 1], pad: 'same' },
  { x: [2, 10, 11, 9], k: [3, 2], co: 6, stride: [3, 2], pad: 'valid' },
  { x: [1, 5, 5, 8], k: [1, 1], co: 3, stride: [1, 1], pad: 0 },
];

function outShapeOf(c: Case): [number, number, number, number] {
  return backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.co], c.stride, 1, c.pad).outShape;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** conv2dTranspose of dy with the filter back to c.x (the kernel's forward use). */
function transposeOf(c: Case, dy: Float32Array, w: Float32Array) {
  return () =>
    tf.conv2dTranspose(tf.tensor(dy, outShapeOf(c)) as tf.Tensor4D, tf.tensor4d(w, [c.k[0], c.k[1], c.x[3], c.co]), c.x, c.stride, c.pad);
}

/** The gradient of sum(conv2d(x, w) · dy) with respect to x (the kernel's backward use). */
function inputGradientOf(c: Case, x: Float32Array, dy: Float32Array, w: Float32Array) {
  return () =>
    tf.grad((a: tf.Tensor) =>
      tf.sum(
        tf.mul(tf.conv2d(a as tf.Tensor4D, tf.tensor4d(w, [c.k[0], c.k[1], c.x[3], c.co]), c.stride, c.pad), tf.tensor(dy, outShapeOf(c))),
      ),
    )(tf.tensor4d(x, c.x));
}

describe('Conv2DBackpropInput on wasm', () => {
  cases.forEach((c, i) => {
    it(`equals cpu for conv2dTranspose and the conv2d input gradient (x ${c.x}, k ${c.k}, co ${c.co}, stride ${c.stride}, pad ${c.pad})`, async () => {
      const dy = randomArray(size(outShapeOf(c)), 100 + i);
      const w = randomArray(c.k[0] * c.k[1] * c.x[3] * c.co, 200 + i, 0.3);
      const x = randomArray(size(c.x), 300 + i);
      const [wasmT] = await runOn('wasm', transposeOf(c, dy, w));
      const [cpuT] = await runOn('cpu', transposeOf(c, dy, w));
      expect(maxRelErr(wasmT, cpuT)).toBeLessThan(1e-4);
      const [wasmG] = await runOn('wasm', inputGradientOf(c, x, dy, w));
      const [cpuG] = await runOn('cpu', inputGradientOf(c, x, dy, w));
      expect(maxRelErr(wasmG, cpuG)).toBeLessThan(1e-4);
      expect(maxRelErr(wasmG, wasmT)).toBeLessThan(1e-6);
    });
  });

  it('takes one convolution at stride 1, one per phase at larger strides, im2col when a phase would need cropping', () => {
    const geometry = (c: Case) =>
      patchGeometry(c.x, [c.k[0], c.k[1], c.x[3], c.co], { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' }).geometry;
    const path = (c: Case) => (inputGradientPads(geometry(c)) ? 'convolution' : inputGradientPhases(geometry(c)) ? 'phases' : 'im2col');
    // im2col: case 0 (dy 4×4 padded by 3 on each side for a 4×4 filter: mostly padding), case 2 (1 channel in)
    expect(cases.map(path)).toEqual(['im2col', 'phases', 'im2col', 'phases', 'convolution', 'phases', 'phases', 'convolution']);
    // 4×4 stride 2 pad 1 (the WGAN-GP and vae-conv layers): four 2×2 sub-filters, each phase 7 of 14 rows
    expect(inputGradientPhases(geometry(cases[3]))!.map((p) => [p.h.taps, p.w.taps, p.h.count, p.w.count])).toEqual([
      [2, 2, 7, 7],
      [2, 2, 7, 7],
      [2, 2, 7, 7],
      [2, 2, 7, 7],
    ]);
    // padding 3 with a 2-tap filter at stride 2: the first rows of the phase lie before dy (cropping): im2col
    expect(phaseAxis(0, 10, 7, 2, 2, 3)).toBeNull();
    // a generator's first layer (dy 1×1 → 4×4, stride 1 'valid'): mostly padding, so im2col
    expect(inputGradientPads(geometry({ x: [8, 4, 4, 16], k: [4, 4], co: 32, stride: [1, 1], pad: 'valid' }))).toBeNull();
  });

  it('gives the same result when processed in batch chunks', async () => {
    const c = cases[3];
    const dy = randomArray(size(outShapeOf(c)), 41);
    const w = randomArray(c.k[0] * c.k[1] * c.x[3] * c.co, 42, 0.3);
    const [cpu] = await runOn('cpu', transposeOf(c, dy, w));
    const [h, wd] = outShapeOf(c).slice(1, 3);
    const previous = setColumnBufferLimit(h * wd * c.k[0] * c.k[1] * c.x[3]); // one image per chunk
    try {
      const [chunked] = await runOn('wasm', transposeOf(c, dy, w));
      expect(maxRelErr(chunked, cpu)).toBeLessThan(1e-4);
    } finally {
      setColumnBufferLimit(previous);
    }
  });

  it('equals the stock wasm kernel it replaces (still reachable as the fallback)', async () => {
    const c = cases[2];
    const dy = randomArray(size(outShapeOf(c)), 61);
    const w = randomArray(c.k[0] * c.k[1] * c.x[3] * c.co, 62, 0.3);
    const [fast] = await runOn('wasm', transposeOf(c, dy, w));
    const previous = setFastConv2DBackpropInput(false);
    try {
      const [stock] = await runOn('wasm', transposeOf(c, dy, w));
      expect(maxRelErr(fast, stock)).toBeLessThan(1e-4);
    } finally {
      setFastConv2DBackpropInput(previous);
    }
  });

  it('leaves no temporary tensors behind', async () => {
    await runOn('wasm', () => tf.zeros([1]));
    const c = cases[1];
    const numDataIds = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const before = numDataIds();
    const dy = tf.tensor(randomArray(size(outShapeOf(c)), 51), outShapeOf(c)) as tf.Tensor4D;
    const w = tf.tensor4d(randomArray(c.k[0] * c.k[1] * c.x[3] * c.co, 52), [c.k[0], c.k[1], c.x[3], c.co]);
    const out = tf.conv2dTranspose(dy, w, c.x, c.stride, c.pad);
    tf.dispose([dy, w, out]);
    expect(numDataIds()).toBe(before);
  });
});
