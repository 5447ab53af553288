/**
 * The island protocol: plain, serialisable messages between the selector and an island agent. An island answers
 * with statistics, scores or proxies computed on its own side; its raw samples never appear in a response. Messages
 * hold only numbers, strings and typed arrays, so an agent can live in a worker thread today and on another machine
 * later. New schemes add request kinds here and their handling in island-agent.ts.
 *
 * Requests carry everything they need (the feature space, the candidates, the OT settings), so any request can be
 * answered by a fresh agent; an agent may cache work keyed by `IslandFeatureMap.key` (its data in that space) and the last
 * potentials of an interpolation (a warm start), which changes speed, never answers beyond the solver's tolerance.
 */
export type IslandRequest =
  | { type: 'describe' }
  | {
      type: 'moments';
      features: IslandFeatureMap;
      /** Answer on the island's rows of this class only (a class-conditional pool's selection); absent: all rows. */
      ofClass?: number;
      /** Send the covariance matrix too (default true); without it only the mean and the variance trace travel. */
      covariance?: boolean;
    }
  | {
      /** Scheme I: the calibrated OT gradient of the candidates against the island's data (or its geodesic proxy). */
      type: 'ot-scores';
      features: IslandFeatureMap;
      ofClass?: number;
      /** The candidates in the feature space, row-major [n, dim]. */
      candidates: Float32Array;
      n: number;
      dim: number;
      ot: OtSettings;
      /** 'data': OT between the candidates and the island's data; 'geodesic': against η = (1−t)·X + t·T(X). */
      proxy: 'data' | 'geodesic';
      t: number;
    }
  | {
      /** Scheme II: the island's step toward its data along the OT map, (1−t)·ξ + t·T(ξ), of a broadcast support. */
      type: 'ot-interpolate';
      features: IslandFeatureMap;
      ofClass?: number;
      support: Float32Array;
      n: number;
      dim: number;
      ot: OtSettings;
      t: number;
      /** Start from the island's last potentials for a support of this size (the support moved only a little). */
      warmStart?: boolean;
    };

/**
 * The feature map an island applies to its own data before it answers: the selection's feature space as the islands
 * see it (made by main/selection/feature-space.ts from the run's `selection.features` spec).
 */
export interface IslandFeatureMap {
  /**
   * 'raw' uses the samples as they are; 'projection' multiplies centred samples by a matrix sent by the selector;
   * 'classifier' takes the penultimate-layer features of a reference classifier the island holds too (the shipped
   * weights of a built-in dataset, named by `classifier`, a folder of resources/reference); 'onnx' the output of an
   * ONNX feature network (the file `onnx`, which the island runs on its own images of `shape`).
   */
  kind: 'raw' | 'projection' | 'classifier' | 'onnx';
  /** For 'projection': row-major [dim, k] matrix and the centre [dim]. */
  matrix?: Float32Array;
  centre?: Float32Array;
  k?: number;
  /** For 'classifier': the classifier's folder. */
  classifier?: string;
  /** For 'onnx': the network's file (its declaration beside it) and the samples' image shape [h, w, c]. */
  onnx?: string;
  shape?: number[];
  /** A name for this space within a run: the island keeps its data projected under it instead of redoing it. */
  key?: string;
}

/** Entropic OT as the schemes use it: cost ½‖x − y‖², regularisation ε (in cost units), annealed Sinkhorn. */
export interface OtSettings {
  epsilon: number;
  /** ε-scaling ratio per stage, iterations per intermediate stage, the limit and tolerance at the target ε. */
  ratio: number;
  itersPerStage: number;
  maxIter: number;
  /** ‖Pᵀ1 − b‖₁ (total mass 1). */
  tol: number;
  /** Kernel truncation θ and the first ε as a fraction of max C (see sinkhorn-annealed.ts). */
  truncation?: number;
  startFraction?: number;
  /**
   * At most this many of the candidates carry the candidates' own N-point side (the self-transport of the debiasing
   * term, the geodesic proxy); the potential is extended to all N by the soft c-transform. Absent: all N (cost N²).
   */
  anchors?: number;
}

export type IslandResponse =
  | { type: 'describe'; island: number; size: number; classCounts: number[] }
  | {
      type: 'moments';
      island: number;
      n: number;
      mean: Float64Array;
      /** Row-major [dim, dim], unbiased (n − 1); empty when not asked for. */
      covariance: Float64Array;
      /** Trace of the unbiased covariance. */
      varianceTrace: number;
      dim: number;
    }
  | {
      type: 'ot-scores';
      island: number;
      /** Calibrated gradient S(x_i) = f(x_i) − mean_{j≠i} f(x_j), one per candidate. */
      scores: Float64Array;
      iterations: number;
      marginalError: number;
    }
  | {
      type: 'ot-interpolate';
      island: number;
      /** (1−t)·ξ + t·T(ξ), row-major [n, dim]. */
      points: Float32Array;
      iterations: number;
      marginalError: number;
    };

export type ResponseOf<R extends IslandRequest> = Extract<IslandResponse, { type: R['type'] }>;

/** Bytes a message occupies on the wire: typed arrays by their size, everything else as JSON. */
export function messageBytes(msg: unknown): number {
  let bytes = 0;
  const json = JSON.stringify(msg, (_k, v) => {
    if (ArrayBuffer.isView(v)) {
      bytes += (v as ArrayBufferView).byteLength;
      return null;
    }
    return v;
  });
  return bytes + Buffer.byteLength(json ?? '');
}

/** The typed arrays' buffers in a message, for a transfer list. */
export function transferables(msg: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
      return;
    }
    for (const x of Object.values(v as Record<string, unknown>)) walk(x);
  };
  walk(msg);
  return [...out];
}
