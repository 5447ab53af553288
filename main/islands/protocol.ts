/**
 * The island protocol: plain, serialisable messages between the selector and an island agent. An island answers
 * with statistics, scores or proxies computed on its own side; its raw samples never appear in a response. Messages
 * hold only numbers, strings and typed arrays, so an agent can live in a worker thread today and on another machine
 * later. New schemes add request kinds here and their handling in island-agent.ts.
 */
export type IslandRequest =
  | { type: 'describe' }
  | { type: 'moments'; features: FeatureSpace };

export interface FeatureSpace {
  /** 'raw' uses the samples as they are; 'projection' multiplies centred samples by a matrix sent by the selector. */
  kind: 'raw' | 'projection';
  /** For 'projection': row-major [dim, k] matrix and the centre [dim] (computed from public, synthetic data). */
  matrix?: Float32Array;
  centre?: Float32Array;
  k?: number;
}

export type IslandResponse =
  | { type: 'describe'; island: number; size: number; classCounts: number[] }
  | { type: 'moments'; island: number; n: number; mean: Float64Array; covariance: Float64Array; dim: number };

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
