import { backend_util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';

/**
 * The geometry both wasm conv-gradient kernels unroll patches by (NHWC): each output pixel r = (b, oh, ow) covers
 * the kh × kw input pixels (oh·sh + fh − top, ow·sw + fw − left) of every input channel, k = kh·kw·ci values.
 */
export interface PatchGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  ci: number;
  outHeight: number;
  outWidth: number;
  co: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  top: number;
  left: number;
  /** Values per patch, kh·kw·ci. */
  k: number;
  rowsPerImage: number;
}

/** The geometry of a conv2d of the given input and filter shapes (tfjs's own computeConv2DInfo). */
export function patchGeometry(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: Pick<Conv2DBackpropFilterAttrs, 'strides' | 'pad' | 'dataFormat' | 'dimRoundingMode'>,
): { geometry: PatchGeometry; channelsLast: boolean; inShape: number[] } {
  const info = backend_util.computeConv2DInfo(
    inShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const { batchSize, inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  return {
    geometry: {
      batchSize,
      inHeight,
      inWidth,
      ci,
      outHeight,
      outWidth,
      co,
      kh,
      kw,
      sh,
      sw,
      top: info.padInfo.top,
      left: info.padInfo.left,
      k: kh * kw * ci,
      rowsPerImage: outHeight * outWidth,
    },
    channelsLast: info.dataFormat === 'channelsLast',
    inShape: info.inShape,
  };
}

/** Images per chunk so that a [rows, k] buffer of unrolled patches stays within `maxFloats`. */
export function imagesPerChunk(g: PatchGeometry, maxFloats: number): number {
  return Math.max(1, Math.min(g.batchSize, Math.floor(maxFloats / Math.max(1, g.k * g.rowsPerImage))));
}

/**
 * dy's rows of images b0 … b0 + nb − 1 as a [rows, co] matrix: dy itself when the chunk is the whole batch, else a
 * copy on the wasm heap (`owned`: the caller disposes it).
 */
export function dyRowsOfChunk(
  backend: BackendWasm,
  dy: TensorInfo,
  g: PatchGeometry,
  b0: number,
  nb: number,
): { rows: TensorInfo; owned: boolean } {
  const rows = nb * g.rowsPerImage;
  if (nb === g.batchSize) return { rows: { dataId: dy.dataId, shape: [rows, g.co], dtype: 'float32' }, owned: false };
  const part = backend.makeOutput([rows, g.co], 'float32');
  // views after the allocation: an allocation can grow (and so detach) the wasm heap
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array;
  (backend.typedArrayFromHeap(part) as Float32Array).set(dyv.subarray(b0 * g.rowsPerImage * g.co, (b0 + nb) * g.rowsPerImage * g.co));
  return { rows: part, owned: true };
}
