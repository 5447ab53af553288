import type { FeatureFingerprint } from '../contract/feature-fingerprint';
import { onnxModelPath, type FeatureSpaceSpec } from '../contract/feature-space-spec';
import type { SampleShape } from '../data/samples';
import { OnnxFeatureNetwork } from './onnx-network';
import { fitPca, pcaTransform, type Pca } from './pca';
import type { ReferenceClassifier } from './reference-classifier';

// Where FID and precision/recall are computed (raw data, the reference classifier's features, K PCA axes, or an ONNX
// feature network) is named as main/contract/feature-space-spec.ts names every feature space.

/** A feature network as a metric's fingerprint records it (the sample counts are added per metric). */
export type FeatureNetworkIdentity = Omit<FeatureFingerprint, 'nReal' | 'nGenerated'>;

export interface FeatureExtractor {
  space: FeatureSpaceSpec;
  /** Dimension of the features. */
  dim: number;
  /** The network and how it was fed. */
  identity: FeatureNetworkIdentity;
  /** Features of n rows of x (the data's flattened rows), row-major [n, dim]. */
  apply(x: Float32Array, n: number): Promise<Float32Array | Float64Array>;
}

/** The reference classifier as a fingerprint names it. */
export function referenceIdentity(clf: ReferenceClassifier, space: FeatureSpaceSpec = 'reference'): FeatureNetworkIdentity {
  return {
    space,
    network: `reference classifier (${clf.dataset})`,
    family: 'reference',
    weightsSha256: clf.weightsSha256,
    layer: `penultimate (${clf.featureDim} units)`,
    inputSize: clf.inputShape.slice(0, 2),
    preprocessing: 'none: pixels in [0, 1]',
    featureDim: clf.featureDim,
  };
}

/**
 * A feature map for a space. `reference` needs a classifier; `pca:K` is fitted on `fitOn` (the real data), with
 * K ≤ the data dimension; `onnx:PATH` loads the network (onnxruntime-node) and needs images (`shape`).
 */
export async function makeFeatureExtractor(
  space: FeatureSpaceSpec,
  dataDim: number,
  ctx: {
    classifier?: ReferenceClassifier;
    fitOn?: { x: Float32Array; n: number };
    seed?: number;
    datasetName?: string;
    shape?: SampleShape;
  },
): Promise<FeatureExtractor> {
  if (space === 'raw') {
    return {
      space,
      dim: dataDim,
      // images are compared pixel by pixel; vectors (toy kinds, .npy samples) in their own coordinates
      identity: { space, network: ctx.shape?.length === 3 ? 'pixels' : 'raw data', family: 'pixels', featureDim: dataDim },
      apply: async (x) => x,
    };
  }
  if (space === 'reference') {
    const clf = ctx.classifier;
    if (!clf) {
      throw new Error(
        `features "reference" need a reference classifier${ctx.datasetName ? ` for dataset "${ctx.datasetName}"` : ''}: ` +
          'the built-in ones cover mnist and fashion-mnist; train one with `collapse-lab train-reference`, or use raw, pca:K or onnx:PATH',
      );
    }
    if (clf.inputDim !== dataDim) {
      throw new Error(`the reference classifier in ${clf.dir} takes ${clf.inputDim} inputs but the data have ${dataDim} dimensions`);
    }
    return { space, dim: clf.featureDim, identity: referenceIdentity(clf), apply: async (x, n) => (await clf.run(x, n)).features };
  }
  const path = onnxModelPath(space);
  if (path !== undefined) {
    const net = await OnnxFeatureNetwork.load(path);
    const shape = ctx.shape ?? [dataDim];
    return {
      space,
      dim: net.featureDim,
      identity: {
        space,
        network: net.name,
        family: net.family,
        weightsSha256: net.weightsSha256,
        layer: net.layer,
        inputSize: [...net.inputSize],
        preprocessing: net.preprocessing,
        featureDim: net.featureDim,
      },
      apply: (x, n) => net.features(x, n, shape),
    };
  }
  const k = Number(space.slice(4));
  if (k > dataDim) throw new RangeError(`features ${space}: K = ${k} exceeds the data dimension ${dataDim}`);
  if (!ctx.fitOn) throw new Error(`features ${space} need real data to fit the PCA on`);
  const pca: Pca = fitPca(ctx.fitOn.x, ctx.fitOn.n, dataDim, k, ctx.seed ?? 0);
  return {
    space,
    dim: k,
    identity: { space, network: `PCA-${k}`, family: 'pca', preprocessing: 'principal axes of the real samples', featureDim: k },
    apply: async (x, n) => pcaTransform(pca, x, n),
  };
}
