/**
 * Bilinear resize of images as PyTorch's `F.interpolate(x, size=(h, w), mode='bilinear', align_corners=False)` computes
 * it (pytorch-fid resizes to 299×299 so): the source coordinate of output pixel o is (o + ½)·(in/out) − ½, clamped
 * at 0, and interpolated between its two neighbours (the last pixel repeated at the far edge). No antialiasing, as
 * PyTorch's default. Planar input and output: [channels, height, width] of one image.
 */
export function resizeBilinearPlanar(
  src: Float32Array,
  channels: number,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
  out: Float32Array = new Float32Array(channels * outH * outW),
): Float32Array {
  const ys = axisWeights(inH, outH);
  const xs = axisWeights(inW, outW);
  for (let c = 0; c < channels; c++) {
    const plane = c * inH * inW;
    const dst = c * outH * outW;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = ys.i0[oy];
      const y1 = ys.i1[oy];
      const ly = ys.lambda[oy];
      for (let ox = 0; ox < outW; ox++) {
        const x0 = xs.i0[ox];
        const x1 = xs.i1[ox];
        const lx = xs.lambda[ox];
        const top = (1 - lx) * src[plane + y0 * inW + x0] + lx * src[plane + y0 * inW + x1];
        const bottom = (1 - lx) * src[plane + y1 * inW + x0] + lx * src[plane + y1 * inW + x1];
        out[dst + oy * outW + ox] = (1 - ly) * top + ly * bottom;
      }
    }
  }
  return out;
}

/** For each output index: the two source indices and the weight of the second. */
function axisWeights(inSize: number, outSize: number): { i0: Int32Array; i1: Int32Array; lambda: Float64Array } {
  const scale = inSize / outSize;
  const i0 = new Int32Array(outSize);
  const i1 = new Int32Array(outSize);
  const lambda = new Float64Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const s = Math.max(0, scale * (o + 0.5) - 0.5);
    const lo = Math.min(Math.floor(s), inSize - 1);
    i0[o] = lo;
    i1[o] = lo < inSize - 1 ? lo + 1 : lo;
    lambda[o] = s - lo;
  }
  return { i0, i1, lambda };
}
