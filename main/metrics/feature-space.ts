import type { FeatureSpaceSpec } from '../contract/feature-space-spec';
import { fitPca, pcaTransform, type Pca } from './pca';
import type { ReferenceClassifier } from './reference-classifier';

// Where FID and precision/recall are computed (raw data, the reference classifier's features, or K PCA axes) is named
// as main/contract/feature-space-spec.ts names every feature space.

export interface FeatureExtractor {
  space: FeatureSpaceSpec;
  /** Dimension of the features. */
  dim: number;
  /** Features of n rows of x (the data's flattened rows), row-major [n, dim]. */
  apply(x: Float32Array, n: number): Promise<Float32Array | Float64Array>;
}

/**
 * A feature map for a space. `reference` needs a classifier; `pca:K` is fitted on `fitOn` (the real data), with
 * K ≤ the data dimension.
 */
export function makeFeatureExtractor(
  space: FeatureSpaceSpec,
  dataDim: number,
  ctx: { classifier?: ReferenceClassifier; fitOn?: { x: Float32Array; n: number }; seed?: number; datasetName?: string },
): FeatureExtractor {
  if (space === 'raw') return { space, dim: dataDim, apply: async (x) => x };
  if (space === 'reference') {
    const clf = ctx.classifier;
    if (!clf) {
      throw new Error(
        `features "reference" need a reference classifier${ctx.datasetName ? ` for dataset "${ctx.datasetName}"` : ''}: ` +
          'the built-in ones cover mnist and fashion-mnist; train one with `collapse-lab train-reference`, or use raw or pca:K',
      );
    }
    if (clf.inputDim !== dataDim) {
      throw new Error(`the reference classifier in ${clf.dir} takes ${clf.inputDim} inputs but the data have ${dataDim} dimensions`);
    }
    return { space, dim: clf.featureDim, apply: async (x, n) => (await clf.run(x, n)).features };
  }
  const k = Number(space.slice(4));
  if (k > dataDim) throw new RangeError(`features ${space}: K = ${k} exceeds the data dimension ${dataDim}`);
  if (!ctx.fitOn) throw new Error(`features ${space} need real data to fit the PCA on`);
  const pca: Pca = fitPca(ctx.fitOn.x, ctx.fitOn.n, dataDim, k, ctx.seed ?? 0);
  return { space, dim: k, apply: async (x, n) => pcaTransform(pca, x, n) };
}
