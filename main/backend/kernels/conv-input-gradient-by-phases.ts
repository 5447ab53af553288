import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs';
import { convolutionGradientsEnabled, convolve, turnedFilter } from './conv-gradients-as-convolutions';
import type { PatchGeometry } from './conv-patch-geometry';

/**
 * The input gradient of a strided conv2d (and so the forward pass of a strided conv2dTranspose) as one stride-1
 * XNNPACK convolution per output phase. With stride s, the input rows ih with (ih + top) mod s = ρ only receive the
 * filter rows fh ≡ ρ (mod s): for ih = s·u + ρ − top,
 *   dx[ih] = Σ_m dy[u − m] · W[ρ + s·m],
 * a stride-1 correlation of dy with the sub-filter of those rows turned half a turn (likewise along the width). Each
 * phase's result is then copied into every s-th row and column of dx. Same multiply-adds as the im2col product, but
 * no column buffer (16× dy for a 4×4 filter) and no scatter-add over it. Returns null when a phase would need dy
 * cropped (its padding negative); the caller then uses im2col.
 */

export interface PhaseAxis {
  /** Filter taps of the phase along this axis (0: the phase receives nothing). */
  taps: number;
  /** First u (dx index = s·u + ρ − pad) of the phase, and how many. */
  u0: number;
  count: number;
  padBefore: number;
  padAfter: number;
}

/** One axis of one phase ρ: input size n, output (dy) size m, filter k, stride s, padding before `pad`. */
export function phaseAxis(rho: number, n: number, m: number, k: number, s: number, pad: number): PhaseAxis | null {
  const taps = Math.max(0, Math.ceil((k - rho) / s));
  const u0 = Math.ceil((pad - rho) / s);
  const u1 = Math.floor((n - 1 + pad - rho) / s);
  const count = Math.max(0, u1 - u0 + 1);
  if (taps === 0 || count === 0) return { taps, u0, count, padBefore: 0, padAfter: 0 };
  const padBefore = taps - 1 - u0;
  const padAfter = count - m - padBefore + taps - 1;
  if (padBefore < 0 || padAfter < 0) return null;
  return { taps, u0, count, padBefore, padAfter };
}

/**
 * Every phase of the geometry, or null when one needs cropping, the input has fewer than 8 channels, or the stride is
 * 1 (a single convolution does it).
 */
export function inputGradientPhases(g: PatchGeometry): { rh: number; rw: number; h: PhaseAxis; w: PhaseAxis }[] | null {
  // too few input channels (the convolutions' output channels): im2col measured 5× faster for 1
  if ((g.sh === 1 && g.sw === 1) || g.ci < 8) return null;
  const phases = [];
  for (let rh = 0; rh < g.sh; rh++) {
    const h = phaseAxis(rh, g.inHeight, g.outHeight, g.kh, g.sh, g.top);
    if (!h) return null;
    for (let rw = 0; rw < g.sw; rw++) {
      const w = phaseAxis(rw, g.inWidth, g.outWidth, g.kw, g.sw, g.left);
      if (!w) return null;
      phases.push({ rh, rw, h, w });
    }
  }
  return phases;
}

export function inputGradientByPhases(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: PatchGeometry): TensorInfo | null {
  const phases = convolutionGradientsEnabled() ? inputGradientPhases(g) : null;
  if (!phases) return null;
  const { batchSize, inHeight, inWidth, ci, outHeight, outWidth, co, sh, sw, top, left } = g;
  const dx = backend.makeOutput([batchSize, inHeight, inWidth, ci], 'float32');
  (backend.typedArrayFromHeap(dx) as Float32Array).fill(0);
  const dyInfo: TensorInfo = { dataId: dy.dataId, shape: [batchSize, outHeight, outWidth, co], dtype: 'float32' };
  for (const { rh, rw, h, w } of phases) {
    if (h.taps === 0 || h.count === 0 || w.taps === 0 || w.count === 0) continue;
    const sub = turnedFilter(backend, filter, g, rh, rw, h.taps, w.taps);
    let part: TensorInfo;
    try {
      part = convolve(backend, dyInfo, sub, { top: h.padBefore, bottom: h.padAfter, left: w.padBefore, right: w.padAfter });
    } finally {
      backend.disposeData(sub.dataId);
    }
    // dx[b, s·(u0 + y) + ρ − top, s·(u0′ + x) + ρ′ − left, :] = part[b, y, x, :]
    const pv = backend.typedArrayFromHeap(part) as Float32Array;
    const heap = new Float32Array(pv.buffer);
    const pOff = pv.byteOffset / 4;
    const dOff = (backend.typedArrayFromHeap(dx) as Float32Array).byteOffset / 4;
    for (let b = 0; b < batchSize; b++) {
      for (let y = 0; y < h.count; y++) {
        const ih = sh * (h.u0 + y) + rh - top;
        const rowDst = dOff + (b * inHeight + ih) * inWidth * ci;
        const rowSrc = pOff + (b * h.count + y) * w.count * ci;
        for (let x = 0; x < w.count; x++) {
          const iw = sw * (w.u0 + x) + rw - left;
          heap.copyWithin(rowDst + iw * ci, rowSrc + x * ci, rowSrc + (x + 1) * ci);
        }
      }
    }
    backend.disposeData(part.dataId);
  }
  return dx;
}
