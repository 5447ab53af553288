/**
 * Before/after of the wasm Conv2DBackpropInput kernel (main/backend/kernels/wasm-conv2d-backprop-input.ts): one
 * width-64 WGAN-GP critic step and generator step at batch 64 on wasm (`npx tsx scripts/bench-wasm-conv2d-backprop-input.ts`,
 * with STOCK=1 for the stock kernel, N=steps to average). An order of magnitude: run it on an idle machine.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../main/backend/select-backend';
import { WganGpModel } from '../main/models/wgan-gp';
import { Rng } from '../main/util/random';
import { setFastConv2DBackpropInput } from '../main/backend/kernels/wasm-conv2d-backprop-input';

await initBackend('wasm');
if (process.env.STOCK === '1') setFastConv2DBackpropInput(false);
const m = new WganGpModel({ width: 64 }, [28, 28, 1]);
m.initialise(1);
const opt = m.makeOptimizer();
const optG = m.makeOptimizer();
const rng = new Rng(5);
const xs = new Float32Array(64 * 784).map(() => rng.uniform());
const real = tf.tensor4d(xs, [64, 28, 28, 1]);
m.criticStep(opt, real, rng); // warm-up
const n = Number(process.env.N ?? 3);
let t = performance.now();
for (let i = 0; i < n; i++) m.criticStep(opt, real, rng);
const critic = (performance.now() - t) / n / 1000;
m.generatorStep(optG, 64, rng);
t = performance.now();
for (let i = 0; i < n; i++) m.generatorStep(optG, 64, rng);
const gen = (performance.now() - t) / n / 1000;
console.log(
  `${process.env.STOCK === '1' ? 'stock' : 'new'}: critic step ${critic.toFixed(2)} s, generator step ${gen.toFixed(2)} s (batch 64, width 64, wasm)`,
);
