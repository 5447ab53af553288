import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  filterGradientPads,
  inputGradientPads,
  setFilterGradientChunkFloats,
} from '../../main/backend/kernels/conv-gradients-as-convolutions';
import { patchGeometry } from '../../main/backend/kernels/conv-patch-geometry';
import { setPatchBufferLimit } from '../../main/backend/kernels/wasm-conv2d-backprop-filter';
import { maxRelErr, randomArray, runOn } from './compare';

/** Kernels added to (or replaced on) wasm and cpu, checked against a direct loop and across backends. */

type Pad = 'valid' | 'same' | number;
interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: [number, number];
  pad: Pad;
}

const cases: ConvCase[] = [
  { x: [2, 8, 8, 8], k: [3, 3], co: 5, stride: [1, 1], pad: 'same' },
  { x: [3, 9, 7, 8], k: [4, 4], co: 4, stride: [2, 2], pad: 1 },
  { x: [2, 10, 10, 1], k: [5, 3], co: 6, stride: [2, 1], pad: 'valid' },
  { x: [4, 7, 7, 8], k: [3, 3], co: 16, stride: [2, 2], pad: 'same' },
  { x: [1, 4, 4, 4], k: [4, 4], co: 2, stride: [1, 1], pad: 0 },
  { x: [2, 9, 7, 12], k: [3, 2], co: 6, stride: [1, 1], pad: 'valid' },
];

/** The textbook definition, loop by loop, independent of the kernels under test. */
function directFilterGradient(x: Float32Array, dy: Float32Array, c: ConvCase): Float32Array {
  const info = backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.co], c.stride, 1, c.pad);
  const [n, h, w, ci] = c.x;
  const out = new Float32Array(c.k[0] * c.k[1] * ci * c.co);
  for (let fh = 0; fh < c.k[0]; fh++)
    for (let fw = 0; fw < c.k[1]; fw++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < c.co; o++) {
          let s = 0;
          for (let b = 0; b < n; b++)
            for (let oh = 0; oh < info.outHeight; oh++)
              for (let ow = 0; ow < info.outWidth; ow++) {
                const ih = oh * c.stride[0] + fh - info.padInfo.top;
                const iw = ow * c.stride[1] + fw - info.padInfo.left;
                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                s += x[((b * h + ih) * w + iw) * ci + i] * dy[((b * info.outHeight + oh) * info.outWidth + ow) * c.co + o];
              }
          out[((fh * c.k[1] + fw) * ci + i) * c.co + o] = s;
        }
  return out;
}

function filterGradientOf(c: ConvCase, x: Float32Array, dy: Float32Array) {
  return () => {
    const info = backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.co], c.stride, 1, c.pad);
    return tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor4d(x, c.x), dy: tf.tensor(dy, info.outShape) },
        { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k[0], c.k[1], c.x[3], c.co] },
      ) as tf.Tensor;
  };
}

describe('Conv2DBackpropFilter', () => {
  cases.forEach((c, i) => {
    it(`matches a direct loop on wasm and cpu (case ${i}: x ${c.x}, k ${c.k}, stride ${c.stride}, pad ${c.pad})`, async () => {
      const info = backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.co], c.stride, 1, c.pad);
      const x = randomArray(
        c.x.reduce((a, b) => a * b),
        10 + i,
      );
      const dy = randomArray(
        info.outShape.reduce((a, b) => a * b),
        20 + i,
      );
      const expected = directFilterGradient(x, dy, c);
      const [wasm] = await runOn('wasm', filterGradientOf(c, x, dy));
      const [cpu] = await runOn('cpu', filterGradientOf(c, x, dy));
      expect(maxRelErr(wasm, expected)).toBeLessThan(1e-5);
      expect(maxRelErr(cpu, expected)).toBeLessThan(1e-5);
    });
  });

  const geometryOf = (c: ConvCase) =>
    patchGeometry(c.x, [c.k[0], c.k[1], c.x[3], c.co], { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' }).geometry;

  it('runs as a forward convolution where the padding allows it, else as im2col + matmul', () => {
    // im2col: case 2 (1 channel in; 'valid' at stride 2 also leaves its last input row unread), case 3 (3×3 at
    // stride 2: under four taps per phase), case 4 (a 1×1 output)
    expect(cases.map((c) => filterGradientPads(geometryOf(c)) !== null)).toEqual([true, true, false, false, false, true]);
    expect(filterGradientPads(geometryOf(cases[1]))).toEqual({ top: 1, bottom: 0, left: 1, right: 0 });
    // the DDPM U-Net's and WGAN-GP's layers: which filter gradients run as a convolution
    const layers: [ConvCase, boolean][] = [
      [{ x: [64, 28, 28, 32], k: [3, 3], co: 32, stride: [1, 1], pad: 1 }, true],
      [{ x: [64, 28, 28, 64], k: [1, 1], co: 32, stride: [1, 1], pad: 0 }, true],
      [{ x: [64, 28, 28, 32], k: [3, 3], co: 1, stride: [1, 1], pad: 1 }, true], // the U-Net's output layer
      [{ x: [64, 28, 28, 32], k: [3, 3], co: 64, stride: [2, 2], pad: 1 }, false], // 3×3 at stride 2
      [{ x: [64, 14, 14, 64], k: [4, 4], co: 128, stride: [2, 2], pad: 1 }, true], // 4×4 at stride 2
      [{ x: [64, 28, 28, 1], k: [4, 4], co: 64, stride: [2, 2], pad: 1 }, false], // one channel in
    ];
    expect(layers.map(([c]) => filterGradientPads(geometryOf(c)) !== null)).toEqual(layers.map(([, conv]) => conv));
    expect(inputGradientPads(geometryOf(layers[0][0]))).not.toBeNull();
    expect(inputGradientPads(geometryOf(cases[1]))).toBeNull(); // stride 2: phases (conv-input-gradient-by-phases.ts)
  });

  it('gives the same result when processed in batch chunks, on both wasm paths', async () => {
    for (const [c, seed] of [
      [cases[0], 31], // convolution
      [cases[3], 33], // im2col
    ] as const) {
      const info = backend_util.computeConv2DInfo(c.x, [c.k[0], c.k[1], c.x[3], c.co], c.stride, 1, c.pad);
      const x = randomArray(
        c.x.reduce((a, b) => a * b),
        seed,
      );
      const dy = randomArray(
        info.outShape.reduce((a, b) => a * b),
        seed + 1,
      );
      // one image per chunk on either path
      const previousPatches = setPatchBufferLimit(c.k[0] * c.k[1] * c.x[3] * info.outHeight * info.outWidth);
      const previousChunk = setFilterGradientChunkFloats(c.x[1] * c.x[2] * c.x[3] + info.outHeight * info.outWidth * c.co);
      try {
        const [chunked] = await runOn('wasm', filterGradientOf(c, x, dy));
        expect(maxRelErr(chunked, directFilterGradient(x, dy, c))).toBeLessThan(1e-5);
      } finally {
        setPatchBufferLimit(previousPatches);
        setFilterGradientChunkFloats(previousChunk);
      }
    }
  });

  it('trains conv2d and conv2dTranspose weights on wasm (gradients equal cpu)', async () => {
    const xs = randomArray(2 * 6 * 6 * 3, 41);
    const w1 = randomArray(3 * 3 * 3 * 4, 42, 0.3);
    const w2 = randomArray(4 * 4 * 2 * 4, 43, 0.3);
    const f = () => {
      const x = tf.tensor4d(xs, [2, 6, 6, 3]);
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => {
        const h = tf.conv2d(x, a as tf.Tensor4D, 1, 'same');
        const up = tf.conv2dTranspose(h, b as tf.Tensor4D, [2, 12, 12, 2], 2, 'same');
        return tf.sum(tf.square(up));
      })([tf.tensor4d(w1, [3, 3, 3, 4]), tf.tensor4d(w2, [4, 4, 2, 4])]);
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    expect(maxRelErr(wasm[0], cpu[0])).toBeLessThan(1e-4);
    expect(maxRelErr(wasm[1], cpu[1])).toBeLessThan(1e-4);
  });
});

describe('transpose-free matMul on wasm', () => {
  const shapes: [number, number, number][] = [
    [5, 7, 3],
    [32, 64, 16],
    [6, 1, 4],
    [1, 9, 5],
    [4, 8, 1],
  ];
  for (const [m, k, n] of shapes) {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      it(`matMul ${m}×${k}×${n} transposeA=${ta} transposeB=${tb} equals cpu`, async () => {
        const a = randomArray(m * k, m * 100 + k);
        const b = randomArray(k * n, n * 100 + k);
        const f = () => tf.matMul(tf.tensor2d(a, ta ? [k, m] : [m, k]), tf.tensor2d(b, tb ? [n, k] : [k, n]), ta, tb);
        const [wasm] = await runOn('wasm', f);
        const [cpu] = await runOn('cpu', f);
        expect(maxRelErr(wasm, cpu)).toBeLessThan(1e-5);
      });
    }
  }

  it('fused matMul with bias and relu, transposed, equals cpu', async () => {
    const a = randomArray(12 * 6, 1);
    const b = randomArray(5 * 12, 2);
    const bias = randomArray(5, 3);
    const f = () =>
      tf.fused.matMul({
        a: tf.tensor2d(a, [12, 6]),
        b: tf.tensor2d(b, [5, 12]),
        transposeA: true,
        transposeB: true,
        bias: tf.tensor1d(bias),
        activation: 'relu',
      });
    const [wasm] = await runOn('wasm', f);
    const [cpu] = await runOn('cpu', f);
    expect(maxRelErr(wasm, cpu)).toBeLessThan(1e-5);
  });

  it('keeps one tensor usable as a transposed and a plain right operand (XNNPACK caches by tensor id)', async () => {
    const v = randomArray(9, 4);
    const a = randomArray(3 * 9, 5);
    const c = randomArray(4, 6);
    const f = () => {
      const b = tf.tensor2d(v, [1, 9]);
      const first = tf.matMul(tf.tensor2d(a, [3, 9]), b, false, true); // [3, 1]
      const second = tf.matMul(tf.tensor2d(c, [4, 1]), b); // [4, 9]
      const third = tf.matMul(tf.tensor2d(a, [3, 9]), b, false, true);
      return [first, second, third];
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    for (let i = 0; i < 3; i++) expect(maxRelErr(wasm[i], cpu[i])).toBeLessThan(1e-5);
  });

  it('leaves no temporary tensors behind', async () => {
    await runOn('wasm', () => tf.zeros([1]));
    const before = tf.memory().numTensors;
    const backendBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const a = tf.tensor2d(randomArray(20, 7), [4, 5]);
    const out = tf.matMul(a, a, true, false);
    tf.dispose([a, out]);
    expect(tf.memory().numTensors).toBe(before);
    expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(backendBefore);
  });
});

describe('kernels borrowed from cpu on wasm', () => {
  it('unsortedSegmentSum and the gradient of gather equal cpu', async () => {
    const table = randomArray(6 * 3, 8);
    const f = () => {
      const t = tf.tensor2d(table, [6, 3]);
      const idx = tf.tensor1d([0, 2, 2, 5, 0, 1], 'int32');
      const seg = tf.unsortedSegmentSum(t, tf.tensor1d([1, 0, 1, 3, 3, 2], 'int32'), 4);
      const g = tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.gather(w, idx))))(t);
      return [seg, g];
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    expect(maxRelErr(wasm[0], cpu[0])).toBeLessThan(1e-6);
    expect(maxRelErr(wasm[1], cpu[1])).toBeLessThan(1e-6);
  });

  it('depthwise conv2d trains (both backprops) and einsum runs, equal to cpu', async () => {
    const xs = randomArray(2 * 5 * 5 * 3, 9);
    const ws = randomArray(3 * 3 * 3 * 2, 10);
    const f = () => {
      const x = tf.tensor4d(xs, [2, 5, 5, 3]);
      const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'))),
      )([x, tf.tensor4d(ws, [3, 3, 3, 2])]);
      const e = tf.einsum('ij,jk->ik', tf.tensor2d(xs.subarray(0, 6), [2, 3]), tf.tensor2d(ws.subarray(0, 12), [3, 4]));
      return [gx, gw, e];
    };
    const wasm = await runOn('wasm', f);
    const cpu = await runOn('cpu', f);
    for (let i = 0; i < 3; i++) expect(maxRelErr(wasm[i], cpu[i])).toBeLessThan(1e-5);
  });
});
