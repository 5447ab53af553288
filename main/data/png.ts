import { PNG } from 'pngjs';
import { readInputFile, readInputFileHead } from './read-input-file';
import { isImageShape, type SampleShape } from './samples';
import { DataFileError } from './data-file-error';

/**
 * PNG in and out (pngjs does the codec): decode a PNG to float pixels in [0, 1], render image samples as one grid
 * at true pixel size, and draw vector samples as a 2-D scatter (the per-generation picture of vector datasets).
 */

export interface DecodedImage {
  /** [height, width, channels]: 1 when every pixel is grey (R = G = B), else 3. */
  shape: [number, number, number];
  /** Row-major, channels last, values in [0, 1]. */
  data: Float32Array;
}

export function readPng(path: string): DecodedImage {
  const buf = readInputFile(path, 'PNG file');
  checkPngSize(pngHeader(buf, path), path);
  return decodePng(buf, path);
}

/** Largest image read (pixels): 16 megapixels, 4096 × 4096 (64 MB decoded); the lab's images are far smaller. */
export const MAX_PNG_PIXELS = 4096 * 4096;

export interface PngHeader {
  width: number;
  height: number;
  /** 1 for grey colour types, 3 for colour ones (what decodePng yields at most). */
  channels: number;
}

/** Width, height and channels from a PNG's IHDR chunk (its first 26 bytes), without decoding anything. */
export function pngHeader(buf: Uint8Array, source: string): PngHeader {
  if (buf.length < 8 || PNG_SIGNATURE.some((b, i) => buf[i] !== b)) {
    throw new DataFileError('format', source, `${source} is not a PNG file (it lacks the PNG signature)`);
  }
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 26 || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw new DataFileError('format', source, `PNG file ${source} is corrupt: it does not begin with an IHDR chunk`);
  }
  const colourType = b[25];
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), channels: colourType === 0 || colourType === 4 ? 1 : 3 };
}

/** The header of a PNG file, reading only its first bytes. */
export function readPngHeader(path: string): PngHeader {
  const h = pngHeader(readInputFileHead(path, 'PNG file', 26).head, path);
  checkPngSize(h, path);
  return h;
}

/** Refuse an image too large to decode (a few hundred KB of PNG can inflate to gigabytes), naming the file. */
export function checkPngSize(h: PngHeader, source: string): void {
  if (h.width === 0 || h.height === 0)
    throw new DataFileError('format', source, `PNG file ${source} is corrupt: it is ${h.width}×${h.height} pixels`);
  if (h.width * h.height > MAX_PNG_PIXELS) {
    throw new DataFileError(
      'size',
      source,
      `PNG file ${source} is ${h.width}×${h.height} pixels (width × height), more than the ${MAX_PNG_PIXELS / 2 ** 20} megapixels ` +
        'an image may have here',
    );
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Decode PNG bytes; `source` names the origin in error messages. Pixels with transparency are composited over black
 * (alpha multiplies the colour); 16-bit images are reduced to 8 bits by pngjs.
 */
export function decodePng(buf: Uint8Array, source: string): DecodedImage {
  if (buf.length < 8 || PNG_SIGNATURE.some((b, i) => buf[i] !== b)) {
    throw new DataFileError('format', source, `${source} is not a PNG file (it lacks the PNG signature)`);
  }
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength));
  } catch (err) {
    throw new DataFileError('format', source, `PNG file ${source} is corrupt: ${(err as Error).message ?? String(err)}`, { cause: err });
  }
  const { width: w, height: h, data: rgba } = png;
  const pixels = w * h;
  let grey = true;
  let opaque = true;
  for (let p = 0, o = 0; p < pixels; p++, o += 4) {
    if (rgba[o] !== rgba[o + 1] || rgba[o] !== rgba[o + 2]) grey = false;
    if (rgba[o + 3] !== 255) opaque = false;
  }
  const c = grey ? 1 : 3;
  const data = new Float32Array(pixels * c);
  if (opaque) {
    const s = 1 / 255;
    if (c === 1) for (let p = 0; p < pixels; p++) data[p] = rgba[4 * p] * s;
    else {
      for (let p = 0, o = 0, q = 0; p < pixels; p++, o += 4, q += 3) {
        data[q] = rgba[o] * s;
        data[q + 1] = rgba[o + 1] * s;
        data[q + 2] = rgba[o + 2] * s;
      }
    }
  } else {
    const s = 1 / (255 * 255);
    for (let p = 0, o = 0; p < pixels; p++, o += 4) {
      const a = rgba[o + 3] * s;
      for (let k = 0; k < c; k++) data[p * c + k] = rgba[o + k] * a;
    }
  }
  return { shape: [h, w, c], data };
}

function toByte(v: number): number {
  // NaN → 0; clamp to [0, 1]
  return v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0;
}

export interface GridOptions {
  /** Tiles per row; ceil(sqrt(n)) by default. */
  cols?: number;
  /** Width of the padding line between tiles in pixels (default 1). */
  pad?: number;
  /** Grey level of the padding line in [0, 1] (default 0.5). */
  padValue?: number;
}

/**
 * Render the first n image samples of `x` (rows of dim h·w·c, channels last, values clamped to [0, 1]) as one PNG grid
 * at true pixel size: one image pixel is one PNG pixel, tiles separated by `pad`-pixel lines. Grey PNG for c = 1;
 * RGB for c ≥ 3 (the first three channels); c = 2 shows its first channel as grey.
 */
export function encodeSampleGrid(x: Float32Array, n: number, shape: SampleShape, opts: GridOptions = {}): Buffer {
  if (!isImageShape(shape)) {
    throw new RangeError(`encodeSampleGrid needs an image shape [h, w, c], got [${shape.join(', ')}]; use encodeScatterPng`);
  }
  const [h, w, c] = shape;
  const dim = h * w * c;
  const count = Math.min(Math.floor(n), Math.floor(x.length / dim));
  if (!(count >= 1)) throw new RangeError(`encodeSampleGrid needs at least one sample (n = ${n}, rows = ${x.length / dim})`);
  const cols = Math.max(1, Math.min(count, Math.floor(opts.cols ?? Math.ceil(Math.sqrt(count)))));
  const rows = Math.ceil(count / cols);
  const pad = Math.max(0, Math.floor(opts.pad ?? 1));
  const width = cols * w + (cols - 1) * pad;
  const height = rows * h + (rows - 1) * pad;
  const png = new PNG({ width, height });
  const out = png.data;
  const padByte = toByte(opts.padValue ?? 0.5);
  out.fill(padByte);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  const rgb = c >= 3;
  for (let s = 0; s < count; s++) {
    const x0 = (s % cols) * (w + pad);
    const y0 = Math.floor(s / cols) * (h + pad);
    const base = s * dim;
    for (let r = 0; r < h; r++) {
      let o = ((y0 + r) * width + x0) * 4;
      let q = base + r * w * c;
      for (let col = 0; col < w; col++, o += 4, q += c) {
        if (rgb) {
          out[o] = toByte(x[q]);
          out[o + 1] = toByte(x[q + 1]);
          out[o + 2] = toByte(x[q + 2]);
        } else {
          const v = toByte(x[q]);
          out[o] = v;
          out[o + 1] = v;
          out[o + 2] = v;
        }
      }
    }
  }
  return PNG.sync.write(png, { colorType: rgb ? 2 : 0 });
}

export interface ScatterOptions {
  /** Side of the square picture in pixels (default 256). */
  size?: number;
  /** Reference points (e.g. the real data), drawn underneath in another colour; rows of the same dim. */
  reference?: { x: Float32Array; n: number };
  /** The samples' name in the key, in capitals (default GENERATED; an island's or the training set's real rows say so). */
  label?: ScatterLabel;
  /** Fixed axes [xmin, xmax, ymin, ymax]; by default the span of samples and reference together, equal scales. */
  range?: [number, number, number, number];
}

const WHITE: Rgb = [255, 255, 255];
const AXIS: Rgb = [215, 215, 215];
const FRAME: Rgb = [120, 120, 120];
const TEXT: Rgb = [60, 60, 60];
const SAMPLE: Rgb = [31, 119, 180];
const REFERENCE: Rgb = [255, 127, 14];
type Rgb = [number, number, number];
type Put = (px: number, py: number, col: Rgb) => void;

/** The plot area inside a scatter picture: left and top pixel and side (square, so both axes keep one scale). */
interface PlotArea {
  left: number;
  top: number;
  inner: number;
}

/** A 3×5 bitmap font (rows top to bottom, 3 bits each, high bit left) for tick labels and the legend. */
const GLYPHS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
  '-': [0, 0, 7, 0, 0],
  '.': [0, 0, 0, 0, 2],
  ' ': [0, 0, 0, 0, 0],
  A: [2, 5, 7, 5, 5],
  C: [3, 4, 4, 4, 3],
  D: [6, 5, 5, 5, 6],
  E: [7, 4, 6, 4, 7],
  F: [7, 4, 6, 4, 4],
  G: [3, 4, 5, 5, 3],
  I: [7, 2, 2, 2, 7],
  L: [4, 4, 4, 4, 7],
  N: [5, 7, 7, 5, 5],
  S: [3, 4, 2, 1, 6],
  R: [6, 5, 6, 5, 5],
  T: [7, 2, 2, 2, 2],
};
const GLYPH_W = 4; // 3 pixels and a space

/** Width in pixels of `text` in the bitmap font. */
export function textWidth(text: string): number {
  return text.length * GLYPH_W - 1;
}

function drawText(text: string, x: number, y: number, put: Put, col: Rgb = TEXT): void {
  for (let i = 0; i < text.length; i++) {
    const g = GLYPHS[text[i]] ?? GLYPHS[' '];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) if (g[r] & (4 >> c)) put(x + i * GLYPH_W + c, y + r, col);
  }
}

/** Round tick values (1, 2 or 5 × 10^k apart, about `target` of them) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, target = 5): { values: number[]; step: number } {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return { values: [], step: 0 };
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  // the 1-2-5 step nearest the raw one (in ratio): between about target/2 and 2·target ticks
  const step = [1, 2, 5, 10].map((m) => m * mag).reduce((a, b) => (Math.abs(Math.log(b / raw)) < Math.abs(Math.log(a / raw)) ? b : a));
  const values: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return { values, step };
}

/** A tick label in the bitmap font's characters: fixed decimals from the step, exponent form ("2E5") when long. */
export function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  let t = v.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(t)) t = t.slice(1);
  if (t.length > 5) t = v.toExponential(0).replace('e+', 'E').replace('e', 'E');
  return t;
}

/** The axes of the plot area: lines on its left and bottom, ticks at round values, labelled when `labels`. */
function drawAxes(area: PlotArea, xRange: [number, number] | null, yRange: [number, number] | null, labels: boolean, put: Put): void {
  const ax = area.left - 1;
  const ay = area.top + area.inner;
  for (let py = area.top; py <= ay; py++) put(ax, py, FRAME);
  for (let px = ax; px < area.left + area.inner; px++) put(px, ay, FRAME);
  const span = (r: [number, number]) => (area.inner - 1) / (r[1] - r[0] || 1);
  if (xRange) {
    const { values, step } = niceTicks(xRange[0], xRange[1]);
    for (const v of values) {
      const px = Math.round(area.left + (v - xRange[0]) * span(xRange));
      for (let k = 1; k <= 3; k++) put(px, ay + k, FRAME);
      if (labels) {
        const t = tickLabel(v, step);
        drawText(t, px - Math.floor(textWidth(t) / 2), ay + 5, put);
      }
    }
  }
  if (yRange) {
    const { values, step } = niceTicks(yRange[0], yRange[1]);
    for (const v of values) {
      const py = Math.round(area.top + area.inner - 1 - (v - yRange[0]) * span(yRange));
      for (let k = 1; k <= 3; k++) put(ax - k, py, FRAME);
      if (labels) {
        const t = tickLabel(v, step);
        drawText(t, ax - 5 - textWidth(t), py - 2, put);
      }
    }
  }
}

/** What a scatter's samples are, as its key names them (the bitmap font has the letters of these only). */
export type ScatterLabel = 'GENERATED' | 'ISLAND' | 'TRAIN';

/** The colour key above the plot: a swatch and a name per set (the samples, and reference when drawn). */
function drawLegend(x: number, y: number, label: ScatterLabel, withReference: boolean, put: Put): void {
  const entry = (col: Rgb, name: string) => {
    for (let dy = 0; dy < 5; dy++) for (let dx = 0; dx < 5; dx++) put(x + dx, y + dy, col);
    drawText(name, x + 8, y, put);
    x += 8 + textWidth(name) + 10;
  };
  entry(SAMPLE, label);
  if (withReference) entry(REFERENCE, 'REFERENCE');
}

/**
 * A fixed-size PNG scatter plot of the first two coordinates of n vector samples (rows of `dim`), reference points
 * in orange under the samples in blue, with axes (ticks at round values, labelled from 128 pixels up) and a colour
 * key above the plot. For dim = 1 it draws the two histograms instead (the x axis labelled, the y axis their height).
 */
export function encodeScatterPng(x: Float32Array, n: number, dim: number, opts: ScatterOptions = {}): Buffer {
  if (!(dim >= 1)) throw new RangeError(`encodeScatterPng needs dim >= 1, got ${dim}`);
  const size = Math.max(16, Math.floor(opts.size ?? 256));
  const count = Math.max(0, Math.min(Math.floor(n), Math.floor(x.length / dim)));
  const ref = opts.reference;
  const refCount = ref ? Math.max(0, Math.min(Math.floor(ref.n), Math.floor(ref.x.length / dim))) : 0;
  const png = new PNG({ width: size, height: size });
  const img = png.data;
  const put: Put = (px, py, col) => {
    if (px < 0 || py < 0 || px >= size || py >= size) return;
    const o = (py * size + px) * 4;
    img[o] = col[0];
    img[o + 1] = col[1];
    img[o + 2] = col[2];
  };
  for (let p = 0; p < size * size; p++) {
    img[4 * p] = WHITE[0];
    img[4 * p + 1] = WHITE[1];
    img[4 * p + 2] = WHITE[2];
    img[4 * p + 3] = 255;
  }
  // labels and the key from 128 pixels up; below, the axes' ticks only. left + right = top + bottom: a square plot
  const labels = size >= 128;
  // the bottom pad (18 or 6) is what the square leaves below: inner = size − left − right
  const [padLeft, padRight, padTop] = labels ? [26, 6, 14] : [6, 2, 2];
  const area: PlotArea = { left: padLeft, top: padTop, inner: size - padLeft - padRight };
  if (dim === 1) {
    const [lo, hi] = opts.range ? [opts.range[0], opts.range[1]] : histogramRange(x, count, ref?.x, refCount);
    drawHistograms(x, count, ref?.x, refCount, area, lo, hi, put);
    drawAxes(area, [lo, hi], null, labels, put);
  } else {
    const [xmin, xmax, ymin, ymax] = opts.range ?? squareRange(x, count, ref?.x, refCount, dim);
    const sx = (area.inner - 1) / (xmax - xmin || 1);
    const sy = (area.inner - 1) / (ymax - ymin || 1);
    const bottom = area.top + area.inner - 1;
    const toPx = (v: number) => Math.round(area.left + (v - xmin) * sx);
    const toPy = (v: number) => Math.round(bottom - (v - ymin) * sy);
    if (xmin < 0 && xmax > 0) for (let py = area.top; py <= bottom; py++) put(toPx(0), py, AXIS);
    if (ymin < 0 && ymax > 0) for (let px = area.left; px < area.left + area.inner; px++) put(px, toPy(0), AXIS);
    const r = size >= 384 ? 2 : 1;
    const dot = (vx: number, vy: number, col: Rgb) => {
      if (!Number.isFinite(vx) || !Number.isFinite(vy)) return;
      const cx = toPx(vx);
      const cy = toPy(vy);
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) {
          const px = cx + dx;
          const py = cy + dy;
          if (px >= area.left && px < area.left + area.inner && py >= area.top && py <= bottom) put(px, py, col);
        }
      }
    };
    if (ref) for (let i = 0; i < refCount; i++) dot(ref.x[i * dim], ref.x[i * dim + 1], REFERENCE);
    for (let i = 0; i < count; i++) dot(x[i * dim], x[i * dim + 1], SAMPLE);
    drawAxes(area, [xmin, xmax], [ymin, ymax], labels, put);
  }
  if (labels) drawLegend(area.left, 4, opts.label ?? 'GENERATED', refCount > 0, put);
  for (let k = 0; k < size; k++) {
    put(k, 0, FRAME);
    put(k, size - 1, FRAME);
    put(0, k, FRAME);
    put(size - 1, k, FRAME);
  }
  return PNG.sync.write(png, { colorType: 2 });
}

function finiteSpan(values: (i: number) => number, count: number, acc: { min: number; max: number }): { min: number; max: number } {
  for (let i = 0; i < count; i++) {
    const v = values(i);
    if (Number.isFinite(v)) {
      if (v < acc.min) acc.min = v;
      if (v > acc.max) acc.max = v;
    }
  }
  return acc;
}

/** Span of both sets on the first two coordinates, padded by 5%, with one scale for both axes. */
function squareRange(
  x: Float32Array,
  count: number,
  refX: Float32Array | undefined,
  refCount: number,
  dim: number,
): [number, number, number, number] {
  const sx = finiteSpan((i) => x[i * dim], count, { min: Infinity, max: -Infinity });
  const sy = finiteSpan((i) => x[i * dim + 1], count, { min: Infinity, max: -Infinity });
  if (refX) {
    finiteSpan((i) => refX[i * dim], refCount, sx);
    finiteSpan((i) => refX[i * dim + 1], refCount, sy);
  }
  if (!(sx.max >= sx.min)) Object.assign(sx, { min: -1, max: 1 });
  if (!(sy.max >= sy.min)) Object.assign(sy, { min: -1, max: 1 });
  const half = (Math.max(sx.max - sx.min, sy.max - sy.min, 1e-9) / 2) * 1.05;
  const cx = (sx.min + sx.max) / 2;
  const cy = (sy.min + sy.max) / 2;
  return [cx - half, cx + half, cy - half, cy + half];
}

/** The span of one-dimensional samples and reference, padded by 2.5% each side. */
function histogramRange(x: Float32Array, count: number, refX: Float32Array | undefined, refCount: number): [number, number] {
  const s = finiteSpan((i) => x[i], count, { min: Infinity, max: -Infinity });
  if (refX) finiteSpan((i) => refX[i], refCount, s);
  if (!(s.max >= s.min)) Object.assign(s, { min: -1, max: 1 });
  const pad = Math.max(s.max - s.min, 1e-9) * 0.025;
  return [s.min - pad, s.max + pad];
}

function drawHistograms(
  x: Float32Array,
  count: number,
  refX: Float32Array | undefined,
  refCount: number,
  area: PlotArea,
  lo: number,
  hi: number,
  put: Put,
): void {
  const inner = area.inner;
  const baseline = area.top + inner - 1;
  const bins = Math.max(8, Math.min(64, Math.floor(inner / 5)));
  const hist = (vals: Float32Array | undefined, m: number) => {
    const hgt = new Float64Array(bins);
    if (!vals || m === 0) return hgt;
    for (let i = 0; i < m; i++) {
      const v = vals[i];
      if (!Number.isFinite(v) || v < lo || v > hi) continue;
      hgt[Math.min(bins - 1, Math.floor(((v - lo) / (hi - lo || 1)) * bins))] += 1 / m;
    }
    return hgt;
  };
  const hs = hist(x, count);
  const hr = hist(refX, refCount);
  let top = 0;
  for (let b = 0; b < bins; b++) top = Math.max(top, hs[b], hr[b]);
  if (top === 0) return;
  const binW = inner / bins;
  const bar = (frac: number, col: Rgb, x0: number, x1: number) => {
    const hpx = Math.round(frac * (inner - 1));
    for (let px = x0; px < x1; px++) for (let k = 0; k < hpx; k++) put(px, baseline - k, col);
  };
  for (let b = 0; b < bins; b++) {
    const x0 = Math.round(area.left + b * binW);
    const x1 = Math.round(area.left + (b + 1) * binW);
    const mid = Math.round((x0 + x1) / 2);
    // reference on the left half of each bin, samples on the right half, so neither hides the other
    if (refCount > 0) bar(hr[b] / top, REFERENCE, x0, mid);
    bar(hs[b] / top, SAMPLE, refCount > 0 ? mid : x0, Math.max(mid + 1, x1 - 1));
  }
}
