import { onnxModelPath, parseFeatureSpaceSpec, pcaComponents } from '../contract/feature-space-spec';
import type { Samples, SampleShape } from '../data/samples';
import { networkOutputs, projectFeatures } from '../islands/island-agent';
import type { IslandChannel } from '../islands/island-channel';
import type { IslandFeatureMap } from '../islands/protocol';
import { symmetricEigen } from '../metrics/symmetric-eigen';
import { schemeUsesFeatures } from '../contract/selection/catalog';
import { islandMoments, poolMoments } from './reference-moments';

/**
 * The feature space of a run's selection (config.selection.features), the same for every generation of the run:
 * - `raw`: the samples as they are.
 * - `pca:K`: the top K principal axes of the islands' pooled real data. Each island sends its mean and covariance
 *   (d × d statistics, never a row) once, at the first selection; the server pools them exactly, takes the axes and
 *   broadcasts the projection (matrix and centre) with every request, so each island projects its own data.
 *   Why real data through moments rather than the candidates: the axes stay fixed across generations (Scheme II's
 *   cached barycenter and the per-run OT scale stay valid, a resumed run recomputes the same space) and describe the
 *   real distribution rather than a collapsing model.
 * - `reference`: the penultimate-layer features of the dataset's reference classifier (resources/reference); each
 *   island runs the same shipped weights on its own data.
 * - `onnx:PATH`: the output of an ONNX feature network (e.g. DINOv2, as the selection-bias paper selects in); the
 *   selector loads it first (a missing file or onnxruntime fails before any island works), then each island runs
 *   the same file on its own images.
 * A scheme that ignores features (none, random) gets the raw candidates and no island is asked anything.
 */
export interface SelectionView {
  candidates: Samples;
  features: IslandFeatureMap;
  /** In a reference classifier's space: its predicted label of each candidate and its weights' sha256. */
  classifier?: { labels: Int32Array; weightsSha256: string };
}

export interface SelectionFeatures {
  readonly spec: string;
  /** The candidates in the run's feature space and the space as the islands apply it. */
  view(candidates: Samples): Promise<SelectionView>;
}

export interface SelectionFeatureContext {
  scheme: string;
  /** The dataset's name (for the reference classifier of a built-in dataset). */
  datasetName: string;
  /** A classifier folder to use instead of the built-in one. */
  classifierDir?: string;
  /** The samples' shape (an ONNX network takes images). */
  shape?: SampleShape;
  /** The space of a measurement in it (the per-class covariance gap): made even for a scheme that ignores features. */
  measuring?: boolean;
}

const RAW: IslandFeatureMap = { kind: 'raw', key: 'raw' };

export function selectionFeatures(spec: string, channels: IslandChannel[], ctx: SelectionFeatureContext): SelectionFeatures {
  const space = parseFeatureSpaceSpec(spec, 'selection.features');
  if ((!ctx.measuring && !schemeUsesFeatures(ctx.scheme)) || space === 'raw') {
    return { spec, view: async (candidates) => ({ candidates, features: RAW }) };
  }
  const k = pcaComponents(space);
  if (k !== undefined) {
    let projection: Promise<IslandFeatureMap> | null = null;
    return {
      spec,
      async view(candidates) {
        projection ??= pooledPca(channels, k, candidates.dim);
        const s = await projection;
        return { candidates: projectFeatures(candidates, s), features: s };
      },
    };
  }
  const onnx = onnxModelPath(space);
  let network: Promise<IslandFeatureMap> | null = null;
  return {
    spec,
    async view(candidates) {
      network ??= onnx !== undefined ? onnxSpace(onnx, ctx) : classifierSpace(ctx);
      const s = await network;
      const out = await networkOutputs(candidates, s);
      return { candidates: out.features, features: s, ...(out.classifier ? { classifier: out.classifier } : {}) };
    },
  };
}

/** An ONNX network's space, keyed by its weights' sha256 (onnxruntime is loaded only here, when the run asks for it). */
async function onnxSpace(path: string, ctx: SelectionFeatureContext): Promise<IslandFeatureMap> {
  const { OnnxFeatureNetwork } = await import('../metrics/onnx-network');
  const net = await OnnxFeatureNetwork.load(path);
  if (!ctx.shape || ctx.shape.length !== 3) {
    throw new Error(`selection.features = onnx:${path} needs images; dataset "${ctx.datasetName}" has vectors`);
  }
  return { kind: 'onnx', onnx: path, shape: [...ctx.shape], key: `onnx:${net.weightsSha256}` };
}

/** The reference classifier's space (TensorFlow.js is loaded only here, when the run asks for it). */
async function classifierSpace(ctx: SelectionFeatureContext): Promise<IslandFeatureMap> {
  const { builtinReferenceDir } = await import('../metrics/reference-classifier');
  const dir = ctx.classifierDir ?? builtinReferenceDir(ctx.datasetName);
  if (!dir) {
    throw new Error(
      `selection.features = "reference" needs a reference classifier for dataset "${ctx.datasetName}": the built-in ` +
        'ones cover mnist and fashion-mnist; use raw or pca:K for this dataset',
    );
  }
  return { kind: 'classifier', classifier: dir, key: `classifier:${dir}` };
}

/** The top-k axes of the pooled covariance of the islands' raw data. */
async function pooledPca(channels: IslandChannel[], k: number, dim: number): Promise<IslandFeatureMap> {
  if (k > dim) throw new Error(`selection.features = pca:${k}, but the samples have only ${dim} dimensions`);
  const m = poolMoments(await islandMoments(channels, { kind: 'raw', key: 'raw' }));
  const { vectors } = symmetricEigen(m.covariance, dim, true);
  const matrix = new Float32Array(dim * k);
  for (let c = 0; c < k; c++) {
    const src = dim - 1 - c; // eigenvalues ascend
    // a deterministic sign: the largest component of each axis is positive
    let big = 0;
    for (let j = 0; j < dim; j++) if (Math.abs(vectors![src * dim + j]) > Math.abs(big)) big = vectors![src * dim + j];
    const sign = big < 0 ? -1 : 1;
    for (let j = 0; j < dim; j++) matrix[j * k + c] = sign * vectors![src * dim + j];
  }
  const centre = Float32Array.from(m.mean);
  let sum = 0;
  for (let q = 0; q < matrix.length; q += 97) sum += matrix[q];
  return { kind: 'projection', matrix, centre, k, key: `pca:${k}:${sum.toFixed(6)}` };
}
