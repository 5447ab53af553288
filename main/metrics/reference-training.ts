import { writeFileSync } from 'node:fs';
import { ensureWorkspace } from '../runs/workspace';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { currentBackend, initBackend } from '../backend/select-backend';
import { isImageShape, takeRows, type Samples, type SampleShape } from '../data/samples';
import { stratifiedChoice, complementRows } from '../data/stratified-choice';
import { Rng, deriveSeed } from '../util/random';
import type { ReferenceModelFile } from './reference-classifier';

export interface TrainReferenceOptions {
  /** Folder to write model.json and weights.bin into (created). */
  outDir: string;
  /** cnn (images of at least 16×16) or mlp; default cnn when possible. */
  arch?: 'cnn' | 'mlp';
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  /** Share of the labelled data held out to measure accuracy (stratified, seeded; default 0.1). */
  holdOut?: number;
  seed?: number;
  /** Name recorded in model.json. */
  datasetName?: string;
  onEpoch?: (e: { epoch: number; epochs: number; loss: number; heldOutAccuracy: number }) => void;
}

export interface TrainReferenceResult {
  dir: string;
  arch: 'cnn' | 'mlp';
  heldOutAccuracy: number;
  trainSize: number;
  heldOutSize: number;
  seconds: number;
}

/**
 * Train a reference classifier for a user's labelled dataset with TensorFlow.js (the active backend; wasm has the
 * conv-filter gradient kernel main/backend registers) and store it where loadReferenceClassifier reads it.
 * Architectures as in reference-classifier.ts: the built-ins' CNN for images of at least 16×16, else an MLP
 * (dense 256 → ReLU → dense 128 → ReLU = features → dense K). Adam, seeded initialisation and mini-batches.
 */
export async function trainReferenceClassifier(
  data: Samples,
  shape: SampleShape,
  numClasses: number,
  opts: TrainReferenceOptions,
): Promise<TrainReferenceResult> {
  const t0 = performance.now();
  if (!data.labels) throw new Error('training a reference classifier needs labelled data');
  if (!(numClasses >= 2)) throw new Error(`training a reference classifier needs at least 2 classes, got ${numClasses}`);
  const canCnn = isImageShape(shape) && shape[0] >= 16 && shape[1] >= 16;
  const arch = opts.arch ?? (canCnn ? 'cnn' : 'mlp');
  if (arch === 'cnn' && !canCnn) throw new Error(`arch cnn needs images of at least 16×16; the data have shape ${shape.join('×')}`);
  const epochs = opts.epochs ?? (arch === 'cnn' ? 8 : 20);
  const batchSize = opts.batchSize ?? 128;
  const seed = opts.seed ?? 0;
  if (!currentBackend()) await initBackend('auto');

  const held = stratifiedChoice(
    data.n,
    Math.max(1, Math.round(data.n * (opts.holdOut ?? 0.1))),
    new Rng(deriveSeed(seed, 'reference', 'holdout')),
    data.labels,
  );
  const trainRows = takeRows(data, complementRows(data.n, held));
  const heldRows = takeRows(data, held);
  const dim = data.dim;

  // weights, seeded
  let s = deriveSeed(seed, 'reference', 'init');
  const glorot = (shp: number[], fanIn: number, fanOut: number) =>
    tf.variable(tf.randomUniform(shp, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)), 'float32', s++));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const vars: Record<string, tf.Variable> = {};
  let forward: (x: tf.Tensor2D, training: boolean) => { features: tf.Tensor2D; logits: tf.Tensor2D };
  if (arch === 'cnn') {
    const [h, w, c] = shape as [number, number, number];
    const h2 = Math.floor((Math.floor((h - 4) / 2) - 4) / 2);
    const w2 = Math.floor((Math.floor((w - 4) / 2) - 4) / 2);
    const flat = h2 * w2 * 64;
    vars['conv1/kernel'] = glorot([5, 5, c, 32], 25 * c, 25 * 32);
    vars['conv1/bias'] = zeros(32);
    vars['conv2/kernel'] = glorot([5, 5, 32, 64], 25 * 32, 25 * 64);
    vars['conv2/bias'] = zeros(64);
    vars['dense1/kernel'] = glorot([flat, 128], flat, 128);
    vars['dense1/bias'] = zeros(128);
    vars['dense2/kernel'] = glorot([128, numClasses], 128, numClasses);
    vars['dense2/bias'] = zeros(numClasses);
    forward = (x) => {
      const img = x.reshape([x.shape[0], h, w, c]) as tf.Tensor4D;
      const a1 = tf.maxPool(
        tf.relu(tf.add(tf.conv2d(img, vars['conv1/kernel'] as tf.Tensor4D, 1, 'valid'), vars['conv1/bias'])) as tf.Tensor4D,
        2,
        2,
        'valid',
      );
      const a2 = tf.maxPool(
        tf.relu(tf.add(tf.conv2d(a1, vars['conv2/kernel'] as tf.Tensor4D, 1, 'valid'), vars['conv2/bias'])) as tf.Tensor4D,
        2,
        2,
        'valid',
      );
      const features = tf.relu(
        tf.add(tf.matMul(a2.reshape([x.shape[0], flat]), vars['dense1/kernel']), vars['dense1/bias']),
      ) as tf.Tensor2D;
      return { features, logits: tf.add(tf.matMul(features, vars['dense2/kernel']), vars['dense2/bias']) as tf.Tensor2D };
    };
  } else {
    vars['dense1/kernel'] = glorot([dim, 256], dim, 256);
    vars['dense1/bias'] = zeros(256);
    vars['dense2/kernel'] = glorot([256, 128], 256, 128);
    vars['dense2/bias'] = zeros(128);
    vars['dense3/kernel'] = glorot([128, numClasses], 128, numClasses);
    vars['dense3/bias'] = zeros(numClasses);
    forward = (x) => {
      const hdn = tf.relu(tf.add(tf.matMul(x, vars['dense1/kernel']), vars['dense1/bias']));
      const features = tf.relu(tf.add(tf.matMul(hdn, vars['dense2/kernel']), vars['dense2/bias'])) as tf.Tensor2D;
      return { features, logits: tf.add(tf.matMul(features, vars['dense3/kernel']), vars['dense3/bias']) as tf.Tensor2D };
    };
  }

  const optimizer = tf.train.adam(opts.learningRate ?? 1e-3);
  const rng = new Rng(deriveSeed(seed, 'reference', 'batches'));
  const accuracy = async (): Promise<number> => {
    let correct = 0;
    for (let b = 0; b < heldRows.n; b += 500) {
      const e = Math.min(heldRows.n, b + 500);
      const pred = tf.tidy(() => forward(tf.tensor2d(heldRows.x.subarray(b * dim, e * dim), [e - b, dim]), false).logits.argMax(1));
      const p = await pred.data();
      pred.dispose();
      for (let i = b; i < e; i++) if (p[i - b] === heldRows.labels![i]) correct++;
    }
    return correct / heldRows.n;
  };
  let heldOutAccuracy = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = rng.permutation(trainRows.n);
    let lossSum = 0;
    let batches = 0;
    for (let b = 0; b < trainRows.n; b += batchSize) {
      const idx = order.subarray(b, Math.min(trainRows.n, b + batchSize));
      const xb = new Float32Array(idx.length * dim);
      const yb = new Int32Array(idx.length);
      idx.forEach((r, q) => {
        xb.set(trainRows.x.subarray(r * dim, (r + 1) * dim), q * dim);
        yb[q] = trainRows.labels![r];
      });
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xb, [idx.length, dim]);
        const y = tf.oneHot(tf.tensor1d(yb, 'int32'), numClasses);
        return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x, true).logits) as tf.Scalar, true)!;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      batches++;
    }
    heldOutAccuracy = await accuracy();
    opts.onEpoch?.({ epoch: epoch + 1, epochs, loss: lossSum / batches, heldOutAccuracy });
  }

  ensureWorkspace(opts.outDir); // refuses /proc, /sys, /dev, a file or a device by name (a recursive mkdir there can spin)
  const names = Object.keys(vars);
  const { data: bytes, specs } = await tf.io.encodeWeights(names.map((name) => ({ name, tensor: vars[name] })));
  writeFileSync(join(opts.outDir, 'weights.bin'), Buffer.from(bytes));
  const spec: ReferenceModelFile = {
    format: 'collapse-lab-reference-classifier/1',
    kind: arch,
    dataset: opts.datasetName ?? 'user',
    inputShape: [...shape],
    numClasses,
    featureDim: 128,
    testAccuracy: heldOutAccuracy,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  writeFileSync(
    join(opts.outDir, 'model.json'),
    JSON.stringify({ ...spec, trainedBy: 'collapse-lab train-reference', heldOutSize: heldRows.n }, null, 1),
  );
  for (const v of Object.values(vars)) v.dispose();
  optimizer.dispose();
  return {
    dir: opts.outDir,
    arch,
    heldOutAccuracy,
    trainSize: trainRows.n,
    heldOutSize: heldRows.n,
    seconds: (performance.now() - t0) / 1000,
  };
}
