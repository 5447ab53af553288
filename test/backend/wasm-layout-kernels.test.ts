import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { broadcastRuns, stockBroadcastsWell, tiledShape } from '../../main/backend/kernels/wasm-broadcast-arithmetic';
import { reductionRuns, stockReducesInPlace, sumIntoKeptLast } from '../../main/backend/kernels/wasm-strided-reductions';
import { registerMissingKernels } from '../../main/backend/kernels';
import { wrapWasmKernel } from '../../main/backend/kernels/wrap-wasm-kernel';
import { initBackend } from '../../main/backend/select-backend';
import { maxRelErr, randomArray, runOn } from './compare';

/**
 * The wasm wrappers for Sum / Mean over strided axes, Identity / Cast sharing data, Concat / SplitV and broadcast
 * arithmetic, against cpu.
 */

const reductionCases: { shape: number[]; axes: number[]; keepDims?: boolean }[] = [
  { shape: [6, 5, 4, 3], axes: [0, 1, 2] }, // a bias gradient: everything but the channels
  { shape: [4, 5, 6, 2, 3], axes: [1, 2, 4], keepDims: true }, // GroupNorm moments: pixels and channels of a group
  { shape: [4, 5, 6, 2, 3], axes: [1, 2] },
  { shape: [3, 7, 5], axes: [0] },
  { shape: [3, 1, 7, 1, 5], axes: [0, 1, 3] }, // size-1 axes between the runs
  { shape: [2, 3, 4, 5], axes: [0, 2] }, // reduced, kept, reduced, kept
  { shape: [2, 3, 4, 5], axes: [1, 3] }, // trailing reduced axis after a kept one
  { shape: [2, 3, 4, 5], axes: [2, 3] }, // innermost only: the stock kernel
  { shape: [200, 9], axes: [0] }, // more rows than one block of 128, columns not a multiple of 4
];

describe('Sum and Mean over strided axes on wasm', () => {
  reductionCases.forEach((c, i) => {
    it(`equal cpu (shape ${c.shape}, axes ${c.axes}${c.keepDims ? ', keepDims' : ''})`, async () => {
      const values = randomArray(
        c.shape.reduce((a, b) => a * b, 1),
        500 + i,
      );
      const f = () => {
        const x = tf.tensor(values, c.shape);
        return [tf.sum(x, c.axes, c.keepDims), tf.mean(x, c.axes, c.keepDims)];
      };
      const wasm = await runOn('wasm', f);
      const cpu = await runOn('cpu', f);
      expect(maxRelErr(wasm[0], cpu[0])).toBeLessThan(1e-5);
      expect(maxRelErr(wasm[1], cpu[1])).toBeLessThan(1e-5);
      await initBackend('wasm');
      const shapes = tf.tidy(() => {
        const x = tf.tensor(values, c.shape);
        return [tf.sum(x, c.axes, c.keepDims).shape, tf.mean(x, c.axes, c.keepDims).shape];
      });
      await initBackend('cpu');
      const cpuShapes = tf.tidy(() => {
        const x = tf.tensor(values, c.shape);
        return [tf.sum(x, c.axes, c.keepDims).shape, tf.mean(x, c.axes, c.keepDims).shape];
      });
      expect(shapes).toEqual(cpuShapes);
    });
  });

  it('leaves innermost-only reductions to the stock kernel and merges runs across size-1 axes', () => {
    expect(stockReducesInPlace(reductionRuns([2, 3, 4, 5], [2, 3]))).toBe(true);
    expect(stockReducesInPlace(reductionRuns([2, 3, 4, 5], [0, 2]))).toBe(false);
    expect(reductionRuns([3, 1, 7, 1, 5], [0, 1, 3])).toEqual([
      { size: 3, reduced: true },
      { size: 35, reduced: false },
    ]);
  });

  it('sums rows × columns blocks exactly as a plain loop does (in float64)', () => {
    const rows = 300;
    const cols = 7;
    const x = randomArray(2 * rows * cols, 9);
    const out = new Float64Array(2 * cols);
    sumIntoKeptLast(
      x,
      [
        { size: 2, reduced: false },
        { size: rows, reduced: true },
        { size: cols, reduced: false },
      ],
      out,
    );
    for (let b = 0; b < 2; b++)
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += x[(b * rows + r) * cols + j];
        expect(out[b * cols + j]).toBeCloseTo(s, 10);
      }
  });

  it('reduces int32 tensors through the stock kernel', async () => {
    await initBackend('wasm');
    const s = tf.tidy(() => tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0).arraySync());
    expect(s).toEqual([9, 12]);
  });
});

describe('Identity and same-dtype Cast on wasm share data', () => {
  it('return the same values, and the input stays valid after the copy is disposed and vice versa', async () => {
    await initBackend('wasm');
    const backend = tf.backend() as unknown as { refCount(dataId: object): number };
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.engine().runKernel('Identity', { x }) as tf.Tensor;
    const z = tf.cast(x, 'float32');
    expect(y.dataId).toBe(x.dataId); // one buffer for three tensors
    expect(z.dataId).toBe(x.dataId);
    expect(backend.refCount(x.dataId)).toBe(3);
    y.dispose();
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    x.dispose();
    expect(Array.from(z.dataSync())).toEqual([1, 2, 3, 4]);
    expect(backend.refCount(z.dataId)).toBe(1);
    z.dispose();
    const i = tf.tensor([1.5, -2.5], [2]);
    const asInt = tf.cast(i, 'int32'); // a real cast still converts
    expect(Array.from(asInt.dataSync())).toEqual([1, -2]);
    tf.dispose([i, asInt]);
  });
});

describe('Concat and SplitV on wasm', () => {
  const shapes: { parts: number[][]; axis: number }[] = [
    {
      parts: [
        [2, 3, 4, 5],
        [2, 3, 4, 7],
      ],
      axis: 3,
    }, // a U-Net skip connection: along the channels
    {
      parts: [
        [2, 3, 4],
        [2, 1, 4],
        [2, 5, 4],
      ],
      axis: 1,
    },
    {
      parts: [
        [3, 4],
        [2, 4],
      ],
      axis: 0,
    },
  ];
  shapes.forEach((c, i) => {
    it(`concat and its gradient (a split) equal cpu (axis ${c.axis}, ${c.parts.length} parts)`, async () => {
      const values = c.parts.map((s, k) =>
        randomArray(
          s.reduce((a, b) => a * b, 1),
          700 + 10 * i + k,
        ),
      );
      const weights = randomArray(
        c.parts.reduce((a, s) => a + s.reduce((p, q) => p * q, 1), 0),
        800 + i,
      );
      const f = () => {
        const xs = c.parts.map((s, k) => tf.tensor(values[k], s));
        const joined = tf.concat(xs, c.axis);
        const grads = tf.grads((...ts: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(ts, c.axis), tf.tensor(weights, joined.shape))))(xs);
        const sizes = c.parts.map((s) => s[c.axis]);
        return [joined, ...grads, ...tf.split(joined, sizes, c.axis)];
      };
      const wasm = await runOn('wasm', f);
      const cpu = await runOn('cpu', f);
      expect(wasm.length).toBe(cpu.length);
      wasm.forEach((w, k) => expect(maxRelErr(w, cpu[k])).toBe(0));
    });
  });
});

describe('broadcast arithmetic on wasm', () => {
  const pairs: [number[], number[]][] = [
    [
      [4, 5, 6, 2, 3],
      [4, 1, 1, 2, 1],
    ], // GroupNorm: activations against a statistic
    [
      [4, 1, 1, 2, 1],
      [4, 5, 6, 2, 3],
    ], // the statistic on the left (the gradient's products)
    [
      [3, 20, 4],
      [3, 1, 1],
    ],
    [
      [3, 1, 8],
      [1, 20, 1],
    ], // both broadcast: no tiling, the stock kernel
    [[5, 6, 7], [7]], // a bias: the stock kernel
  ];
  pairs.forEach(([sa, sb], i) => {
    it(`Add, Sub, Multiply, RealDiv and their gradients equal cpu (${sa} with ${sb})`, async () => {
      const va = randomArray(
        sa.reduce((p, q) => p * q, 1),
        900 + i,
      );
      const vb = randomArray(
        sb.reduce((p, q) => p * q, 1),
        950 + i,
      ).map((v) => v + 3); // away from 0 for the division
      const f = () => {
        const a = tf.tensor(va, sa);
        const b = tf.tensor(vb, sb);
        const outs = [tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, b)];
        const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.div(tf.sub(x, y), y), tf.add(x, y))))([a, b]);
        return [...outs, ...grads];
      };
      const wasm = await runOn('wasm', f);
      const cpu = await runOn('cpu', f);
      wasm.forEach((w, k) => expect(maxRelErr(w, cpu[k])).toBeLessThan(1e-5));
    });
  });

  it('tiles only the operand with trailing broadcast axes, and only when the copy is small', () => {
    expect(stockBroadcastsWell([64, 28, 28, 8, 4], [64, 1, 1, 8, 1])).toBe(false);
    expect(stockBroadcastsWell([64, 28, 28, 32], [32])).toBe(true);
    expect(tiledShape([64, 1, 1, 8, 1], [64, 28, 28, 8, 4])).toEqual([64, 1, 1, 8, 4]);
    expect(tiledShape([64, 28, 28, 8, 4], [64, 28, 28, 8, 4])).toBeNull();
    expect(tiledShape([2, 1], [2, 3])).toBeNull(); // the copy would be the whole output
    expect(broadcastRuns([64, 28, 28, 8, 4], [64, 1, 1, 8, 4], [64, 28, 28, 8, 4])).toEqual([
      { size: 64, aStride: 25088, bStride: 32 },
      { size: 784, aStride: 32, bStride: 0 },
      { size: 32, aStride: 1, bStride: 1 },
    ]);
  });
});

describe('wrapping wasm kernels', () => {
  it('wraps each kernel once however often the kernels are registered, and skips kernels wasm lacks', async () => {
    await initBackend('wasm');
    const before = ['Sum', 'Concat', 'Add', 'Identity', 'BatchMatMul', 'Conv2DBackpropInput'].map(
      (k) => tf.getKernel(k, 'wasm')!.kernelFunc,
    );
    registerMissingKernels();
    registerMissingKernels();
    const after = ['Sum', 'Concat', 'Add', 'Identity', 'BatchMatMul', 'Conv2DBackpropInput'].map(
      (k) => tf.getKernel(k, 'wasm')!.kernelFunc,
    );
    after.forEach((f, i) => expect(f).toBe(before[i]));
    expect(wrapWasmKernel('NoSuchKernel', 'test', (original) => original)).toBe(false);
    // a second wrapper with another key goes around the first, and both run
    const calls: string[] = [];
    wrapWasmKernel('Neg', 'test-outer', (original) => ((args: never) => (calls.push('outer'), original(args))) as never);
    wrapWasmKernel('Neg', 'test-outer', (original) => ((args: never) => (calls.push('twice'), original(args))) as never);
    expect(Array.from(tf.tidy(() => tf.neg(tf.tensor([1, -2])).dataSync()))).toEqual([-1, 2]);
    expect(calls).toEqual(['outer']);
  });
});
