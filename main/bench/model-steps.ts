import * as tf from '@tensorflow/tfjs';
import type { Samples } from '../data/samples';
import { ADAM_DEFAULTS } from '../models/adam-flat';
import { ddpmParams, vaeConvParams, vaeMlpParams, wganGpParams } from '../contract/models/catalog';
import { DdpmModel } from '../models/ddpm';
import { minibatchStep } from '../models/minibatch-training';
import { VaeConvModel } from '../models/vae-conv';
import { VaeMlpModel } from '../models/vae-mlp';
import { initParams, paramCount, type VaeMlpArch } from '../models/vae-mlp-net';
import { VaeMlpTrainer } from '../models/vae-mlp-trainer';
import { WganGpModel } from '../models/wgan-gp';
import { Rng } from '../util/random';
import { benchModels, isBenchModel, type BenchModel } from './bench-models';
import { parseBenchParams as parseParams } from './bench-params';
import type { ModelSteps, ModelStepsOptions } from './bench-step-types';
import { registrySteps } from './registry-steps';
import { ddpmFlops, vaeConvFlops, vaeMlpFlops, wganGpFlops } from './training-flops';

/**
 * The refined timed steps of the neural models, on MNIST-shaped data (28×28×1, pixels uniform in [0, 1]: speed does not depend
 * on them), each as one call that handles `perCall` images and runs the same code as the model's fit or sample:
 *   vae-mlp   train (VaeMlpTrainer.step: rows, noise, Adam), sample (decoder means of N latents)
 *   vae-conv  train (loss + Adam, as trainMinibatches), sample
 *   wgan-gp   critic (one critic update with the gradient penalty), generator (one generator update), sample
 *   ddpm      train (ε-prediction loss + Adam, as trainMinibatches), sample (DDIM, `samplingSteps` U-Net passes)
 * with the FLOPs per image of each step (main/bench/training-flops.ts) and the parameter count (to compare with the
 * PyTorch references, which must have as many). Every other kind of the model catalog is timed through the model
 * registry (./registry-steps.ts).
 */
export { benchModels, isBenchModel, type BenchModel };
export type { ModelSteps, ModelStepsOptions, TimedStep } from './bench-step-types';

const SHAPE: [number, number, number] = [28, 28, 1];
const DIM = 784;

function syntheticImages(n: number, seed: number): Samples {
  const rng = new Rng(seed);
  const x = new Float32Array(n * DIM);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return { x, n, dim: DIM };
}

function trainableCount(vars: tf.Variable[]): number {
  return vars.reduce((a, v) => a + v.size, 0);
}

/** The kinds with refined steps; the others are timed through the model registry. */
const refinedSteps: Partial<Record<BenchModel, (opts: ModelStepsOptions) => Promise<ModelSteps>>> = {
  'vae-mlp': vaeMlpSteps,
  'vae-conv': vaeConvSteps,
  'wgan-gp': wganGpSteps,
  ddpm: ddpmSteps,
};

export async function openModelSteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  if (!isBenchModel(opts.model)) throw new Error(`bench: --model must be one of ${benchModels.join(', ')}, got "${opts.model}"`);
  if (!Number.isInteger(opts.batch) || opts.batch < 1) throw new RangeError(`bench: --batch must be a positive integer, got ${opts.batch}`);
  if (!Number.isInteger(opts.samples) || opts.samples < 1)
    throw new RangeError(`bench: --samples must be a positive integer, got ${opts.samples}`);
  if (opts.workers === 2 && opts.model !== 'vae-mlp') throw new RangeError(`bench: --workers 2 exists for vae-mlp only, not ${opts.model}`);
  return (refinedSteps[opts.model] ?? registrySteps)(opts);
}

async function vaeMlpSteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  const p = parseParams(vaeMlpParams, 'vae-mlp', opts.params ?? {});
  const arch: VaeMlpArch = { dim: DIM, hidden: p.hidden, latent: p.latent };
  const batch = opts.batch;
  const n = Math.max(batch * 16, 2048);
  const data = syntheticImages(n, 1);
  const weights = initParams(arch, new Rng(2));
  const trainer = await VaeMlpTrainer.open({
    arch,
    data,
    params: weights,
    adam: { lr: p.learningRate, ...ADAM_DEFAULTS },
    maxBatch: batch,
    threads: opts.workers ?? 1,
  });
  const order = new Rng(3).permutation(n);
  const noise = new Rng(4);
  let k = 0;
  const sampler = new VaeMlpModel(p, SHAPE);
  sampler.weights = weights;
  let seed = 0;
  return {
    model: 'vae-mlp',
    threads: trainer.threads,
    setting: `${DIM}-${p.hidden.join('-')}-${p.latent}, batch ${batch}`,
    params: paramCount(arch),
    steps: [
      {
        name: 'train',
        perCall: batch,
        run: () => {
          const from = (k * batch) % (n - batch + 1);
          k++;
          return trainer.step(order.subarray(from, from + batch), noise.fillNormal(new Float32Array(batch * arch.latent)) as Float32Array);
        },
      },
      { name: 'sample', perCall: opts.samples, run: () => sampler.sample(opts.samples, seed++) },
    ],
    flops: vaeMlpFlops(arch),
    close: () => trainer.close(),
  };
}

async function vaeConvSteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  const p = parseParams(vaeConvParams, 'vae-conv', { ...opts.params, batchSize: opts.batch });
  const m = new VaeConvModel(p, SHAPE);
  m.initialise(1);
  const batch = opts.batch;
  const n = batch * 8;
  const data = syntheticImages(n, 2);
  const rng = new Rng(3);
  const order = rng.permutation(n);
  const opt: tf.Optimizer = tf.train.adam(p.learningRate);
  const vars = m.weights.list();
  const lossOf = m.batchLossOf(data, rng);
  let k = 0;
  let seed = 0;
  return {
    model: 'vae-conv',
    threads: 1,
    setting: `channels [${p.channels.join(', ')}], latent ${p.latent}, batch ${batch}`,
    params: trainableCount(vars),
    steps: [
      {
        name: 'train',
        perCall: batch,
        run: () => {
          const from = (k++ % 8) * batch;
          return minibatchStep(opt, vars, () => lossOf(order, from, from + batch));
        },
      },
      { name: 'sample', perCall: opts.samples, run: () => m.sample(opts.samples, seed++) },
    ],
    flops: vaeConvFlops({ h: 28, w: 28, c: 1, channels: p.channels, latent: p.latent }),
    close: async () => {
      opt.dispose();
      m.dispose();
    },
  };
}

async function wganGpSteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  const p = parseParams(wganGpParams, 'wgan-gp', { ...opts.params, batchSize: Math.max(2, opts.batch) });
  const m = new WganGpModel(p, SHAPE);
  m.initialise(1);
  const batch = opts.batch;
  const real = tf.tensor4d(syntheticImages(batch, 1).x, [batch, 28, 28, 1]);
  const rng = new Rng(2);
  const oc = m.makeOptimizer();
  const og = m.makeOptimizer();
  let seed = 0;
  return {
    model: 'wgan-gp',
    threads: 1,
    setting: `width ${p.width}, batch ${batch}`,
    params: trainableCount([...m.gen.list(), ...m.critic.list()]),
    steps: [
      { name: 'critic', perCall: batch, run: () => m.criticStep(oc, real, rng) },
      { name: 'generator', perCall: batch, run: () => m.generatorStep(og, batch, rng) },
      { name: 'sample', perCall: opts.samples, run: () => m.sample(opts.samples, seed++) },
    ],
    flops: wganGpFlops({ width: p.width, noiseDim: p.noiseDim, c: 1 }),
    criticSteps: p.criticSteps,
    close: async () => {
      real.dispose();
      oc.dispose();
      og.dispose();
      m.dispose();
    },
  };
}

async function ddpmSteps(opts: ModelStepsOptions): Promise<ModelSteps> {
  const p = parseParams(ddpmParams, 'ddpm', { samplingSteps: 10, ...opts.params, batchSize: opts.batch, epochs: 1 });
  const batch = opts.batch;
  const m = new DdpmModel(p, SHAPE);
  m.initialise(1);
  const vars = m.trainableVariables();
  const n = batch * 8;
  const data = syntheticImages(n, 2);
  const rng = new Rng(3);
  const order = rng.permutation(n);
  const opt: tf.Optimizer = tf.train.adam(p.learningRate);
  const lossOf = m.batchLossOf(data, rng);
  let k = 0;
  let seed = 0;
  return {
    model: 'ddpm',
    threads: 1,
    setting: `channels [${p.channels.join(', ')}], batch ${batch}, DDIM ${p.samplingSteps} steps`,
    params: trainableCount(vars),
    steps: [
      {
        name: 'train',
        perCall: batch,
        run: () => {
          const from = (k++ % 8) * batch;
          return minibatchStep(opt, vars, () => lossOf(order, from, from + batch));
        },
      },
      { name: 'sample', perCall: opts.samples, run: () => m.sample(opts.samples, seed++) },
    ],
    flops: ddpmFlops({
      h: 28,
      w: 28,
      c: 1,
      c1: p.channels[0],
      c2: p.channels[1],
      timeEmbedding: p.timeEmbedding,
      samplingSteps: p.samplingSteps,
    }),
    close: async () => {
      opt.dispose();
      m.dispose();
    },
  };
}
