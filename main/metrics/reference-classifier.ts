import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { currentBackend, initBackend } from '../backend/select-backend';

/**
 * The reference classifier of a dataset: a small CNN whose 128-unit penultimate layer gives the features for FID and
 * precision/recall and whose argmax gives class labels. Weights are shipped in resources/reference/<dataset>/
 * (model.json + weights.bin, a TensorFlow.js weights manifest), made by scripts/train_reference.py (built-in datasets)
 * or by `collapse-lab train-reference` (a user's labelled data; then an MLP, see reference-training.ts).
 *
 * Architectures (model.json "kind"):
 *  - "cnn" (default): conv 5×5·32 → ReLU → max-pool 2 → conv 5×5·64 → ReLU → max-pool 2 → flatten (h, w, c)
 *    → dense 128 → ReLU (features) → dense K (logits); valid padding, channels last.
 *  - "mlp": flatten → dense H → ReLU → dense F → ReLU (features) → dense K (logits).
 */

export interface ReferenceModelFile {
  format: string;
  kind?: 'cnn' | 'mlp';
  dataset: string;
  inputShape: number[];
  numClasses: number;
  featureDim: number;
  testAccuracy?: number;
  weightsManifest: tf.io.WeightsManifestConfig;
}

export interface ReferenceOutputs {
  /** Penultimate-layer features, row-major [n, featureDim]. */
  features: Float32Array;
  /** Logits, row-major [n, numClasses]. */
  logits: Float32Array;
  /** argmax of the logits. */
  labels: Int32Array;
}

export interface ReferenceClassifier {
  dataset: string;
  dir: string;
  inputShape: number[];
  inputDim: number;
  numClasses: number;
  featureDim: number;
  /** Test accuracy recorded when the weights were made. */
  testAccuracy?: number;
  /** sha256 of its weights (the weight files in manifest order): what a metric's fingerprint records. */
  weightsSha256: string;
  /** Features, logits and labels of n samples (rows of x, flattened channels-last, pixels in [0, 1]). */
  run(x: Float32Array, n: number): Promise<ReferenceOutputs>;
}

export { builtinReferenceDir, referenceRoot } from './reference-dir';

const cache = new Map<string, Promise<ReferenceClassifier>>();

/** Load (once per process) the classifier stored in `dir` (a folder holding model.json and its weight files). */
export function loadReferenceClassifier(dir: string): Promise<ReferenceClassifier> {
  const key = resolve(dir);
  let p = cache.get(key);
  if (!p) {
    p = load(key);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function load(dir: string): Promise<ReferenceClassifier> {
  const file = join(dir, 'model.json');
  if (!existsSync(file)) throw new Error(`reference classifier: ${file} does not exist`);
  let spec: ReferenceModelFile;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8')) as ReferenceModelFile;
  } catch (err) {
    throw new Error(`reference classifier: ${file} is not valid JSON (${(err as Error).message})`);
  }
  if (!spec.format?.startsWith('collapse-lab-reference-classifier/')) {
    throw new Error(`reference classifier: ${file} has format "${spec.format}", expected collapse-lab-reference-classifier/1`);
  }
  if (!currentBackend()) await initBackend('auto');
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of spec.weightsManifest) {
    for (const p of group.paths) buffers.push(readFileSync(join(dir, p)));
    specs.push(...group.weights);
  }
  const all = Buffer.concat(buffers);
  const weightsSha256 = createHash('sha256').update(all).digest('hex');
  const named = tf.io.decodeWeights(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), specs);
  const need = (name: string): tf.Tensor => {
    const t = named[name];
    if (!t) throw new Error(`reference classifier: ${file} lacks weight "${name}"`);
    return t;
  };
  /** The kernel and bias of the layer `name` (Keras weight names `<name>/kernel`, `<name>/bias`). */
  const layer = <K extends tf.Tensor>(name: string) => ({ kernel: need(`${name}/kernel`) as K, bias: need(`${name}/bias`) as tf.Tensor1D });
  const kind = spec.kind ?? 'cnn';
  const inputDim = spec.inputShape.reduce((a, b) => a * b, 1);

  let forward: (x: tf.Tensor2D) => { features: tf.Tensor2D; logits: tf.Tensor2D };
  if (kind === 'cnn') {
    const [h, w, c] = spec.inputShape;
    const [conv1, conv2] = [layer<tf.Tensor4D>('conv1'), layer<tf.Tensor4D>('conv2')];
    const [dense1, dense2] = [layer<tf.Tensor2D>('dense1'), layer<tf.Tensor2D>('dense2')];
    // fused conv + bias + ReLU (one pass over each activation map instead of three), then 2×2 max-pool
    const convBlock = (a: tf.Tensor4D, l: typeof conv1) =>
      tf.maxPool(tf.fused.conv2d({ x: a, filter: l.kernel, bias: l.bias, activation: 'relu', strides: 1, pad: 'valid' }), 2, 2, 'valid');
    forward = (x) => {
      const img = x.reshape([x.shape[0], h, w, c]) as tf.Tensor4D;
      const a2 = convBlock(convBlock(img, conv1), conv2);
      const flat = a2.reshape([x.shape[0], -1]) as tf.Tensor2D;
      const features = tf.fused.matMul({ a: flat, b: dense1.kernel, bias: dense1.bias, activation: 'relu' }) as tf.Tensor2D;
      const logits = tf.fused.matMul({ a: features, b: dense2.kernel, bias: dense2.bias }) as tf.Tensor2D;
      return { features, logits };
    };
  } else if (kind === 'mlp') {
    const [dense1, dense2, dense3] = ['dense1', 'dense2', 'dense3'].map((n) => layer<tf.Tensor2D>(n));
    const affine = (a: tf.Tensor2D, l: typeof dense1) => tf.add(tf.matMul(a, l.kernel), l.bias) as tf.Tensor2D;
    forward = (x) => {
      const hdn = tf.relu(affine(x, dense1));
      const features = tf.relu(affine(hdn, dense2));
      const logits = affine(features, dense3);
      return { features, logits };
    };
  } else {
    throw new Error(`reference classifier: ${file} has unknown kind "${String(kind)}"`);
  }

  const { numClasses, featureDim } = spec;
  const run = async (x: Float32Array, n: number): Promise<ReferenceOutputs> => {
    if (x.length !== n * inputDim) {
      throw new RangeError(
        `reference classifier (${spec.dataset}): input holds ${x.length} values, expected ${n} × ${inputDim} (${spec.inputShape.join('×')})`,
      );
    }
    const features = new Float32Array(n * featureDim);
    const logits = new Float32Array(n * numClasses);
    const labels = new Int32Array(n);
    const batch = 500;
    for (let s = 0; s < n; s += batch) {
      const e = Math.min(n, s + batch);
      const out = tf.tidy(() => forward(tf.tensor2d(x.subarray(s * inputDim, e * inputDim), [e - s, inputDim])));
      features.set((await out.features.data()) as Float32Array, s * featureDim);
      logits.set((await out.logits.data()) as Float32Array, s * numClasses);
      out.features.dispose();
      out.logits.dispose();
    }
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < numClasses; c++) if (logits[i * numClasses + c] > logits[i * numClasses + best]) best = c;
      labels[i] = best;
    }
    return { features, logits, labels };
  };

  return {
    dataset: spec.dataset,
    dir,
    inputShape: spec.inputShape,
    inputDim,
    numClasses,
    featureDim,
    testAccuracy: spec.testAccuracy,
    weightsSha256,
    run,
  };
}
