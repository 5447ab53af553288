import { registerOnCpuAndWasm, resizeGradKernelFunc, resizeRatio } from './resize-grad-kernel';
import type { ResizeGradGeometry } from './resize-grad-kernel';

/**
 * `ResizeBilinearGrad` for cpu and wasm, replacing the stock kernels: tfjs-backend-cpu 4.22 returns a gradient of the
 * wrong shape for non-square images, and both ignore halfPixelCenters. This one is the exact transpose of the cpu
 * ResizeBilinear forward kernel (which wasm's forward kernel matches): each dy pixel is split over the four source
 * pixels with the forward pass's weights. Memory-bound; plain JS.
 */

interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float64Array;
}

/** For each output coordinate: the floor and ceil source coordinates and the weight of the ceil one. */
function taps(newSize: number, oldSize: number, alignCorners: boolean, halfPixelCenters: boolean): Taps {
  const r = resizeRatio(oldSize, newSize, alignCorners);
  const lo = new Int32Array(newSize);
  const hi = new Int32Array(newSize);
  const frac = new Float64Array(newSize);
  for (let i = 0; i < newSize; i++) {
    const src = halfPixelCenters ? r * (i + 0.5) - 0.5 : r * i;
    lo[i] = Math.max(0, Math.floor(src));
    hi[i] = Math.min(oldSize - 1, Math.ceil(src));
    frac[i] = src - lo[i];
  }
  return { lo, hi, frac };
}

function scatterBilinear(dyValues: Float32Array, out: Float32Array, geometry: ResizeGradGeometry): void {
  const { batch, oldHeight, oldWidth, depth, newHeight, newWidth, alignCorners, halfPixelCenters } = geometry;
  const rows = taps(newHeight, oldHeight, alignCorners, halfPixelCenters);
  const cols = taps(newWidth, oldWidth, alignCorners, halfPixelCenters);
  let k = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < newHeight; r++) {
      const top = (b * oldHeight + rows.lo[r]) * oldWidth;
      const bottom = (b * oldHeight + rows.hi[r]) * oldWidth;
      const fr = rows.frac[r];
      for (let c = 0; c < newWidth; c++) {
        const fc = cols.frac[c];
        const tl = (top + cols.lo[c]) * depth;
        const tr = (top + cols.hi[c]) * depth;
        const bl = (bottom + cols.lo[c]) * depth;
        const br = (bottom + cols.hi[c]) * depth;
        const wtl = (1 - fr) * (1 - fc);
        const wtr = (1 - fr) * fc;
        const wbl = fr * (1 - fc);
        const wbr = fr * fc;
        for (let d = 0; d < depth; d++) {
          const g = dyValues[k++];
          out[tl + d] += g * wtl;
          out[tr + d] += g * wtr;
          out[bl + d] += g * wbl;
          out[br + d] += g * wbr;
        }
      }
    }
  }
}

const kernelFunc = resizeGradKernelFunc(scatterBilinear);

export function registerResizeBilinearGrad(): void {
  registerOnCpuAndWasm('ResizeBilinearGrad', kernelFunc);
}
