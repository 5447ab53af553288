import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng, encodeSampleGrid, encodeScatterPng, niceTicks, readPng, tickLabel } from '../../main/data/png';
import { Rng } from '../../main/util/random';

const tmp = mkdtempSync(join(tmpdir(), 'png-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A PNG from an RGBA pixel function. */
function makePng(w: number, h: number, rgba: (x: number, y: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) png.data.set(rgba(x, y), (y * w + x) * 4);
  }
  return PNG.sync.write(png);
}

describe('readPng', () => {
  it('grey content gives one channel, values /255', () => {
    const path = join(tmp, 'grey.png');
    writeFileSync(
      path,
      makePng(3, 2, (x, y) => [x * 100 + y, x * 100 + y, x * 100 + y, 255]),
    );
    const img = readPng(path);
    expect(img.shape).toEqual([2, 3, 1]);
    expect(img.data[0]).toBe(0);
    expect(img.data[2]).toBeCloseTo(200 / 255, 6);
    expect(img.data[3]).toBeCloseTo(1 / 255, 6); // row 1, col 0
  });

  it('colour content gives three channels, channels last', () => {
    const img = decodePng(
      makePng(2, 1, (x) => [255, x * 51, 0, 255]),
      'mem',
    );
    expect(img.shape).toEqual([1, 2, 3]);
    expect(Array.from(img.data)).toEqual([1, 0, 0, 1, 0.2, 0].map((v) => Math.fround(v)));
  });

  it('transparency is composited over black', () => {
    const img = decodePng(
      makePng(1, 1, () => [200, 100, 0, 51]),
      'mem',
    );
    expect(img.shape).toEqual([1, 1, 3]);
    expect(img.data[0]).toBeCloseTo((200 / 255) * 0.2, 6);
  });

  it('a corrupt PNG names the file', () => {
    const path = join(tmp, 'corrupt.png');
    const good = makePng(4, 4, () => [1, 2, 3, 255]);
    writeFileSync(path, good.subarray(0, 40));
    expect(() => readPng(path)).toThrow(`PNG file ${path} is corrupt`);
    const other = join(tmp, 'text.png');
    writeFileSync(other, 'not a png');
    expect(() => readPng(other)).toThrow(`${other} is not a PNG file`);
  });
});

describe('encodeSampleGrid', () => {
  it('renders tiles at true pixel size with padding lines, and a tile decodes back to its image', () => {
    const rng = new Rng(1);
    const h = 5;
    const w = 4;
    const n = 7;
    const x = new Float32Array(n * h * w);
    for (let i = 0; i < x.length; i++) x[i] = Math.round(rng.uniform() * 255) / 255;
    const png = PNG.sync.read(encodeSampleGrid(x, n, [h, w, 1], { cols: 3, pad: 2 }));
    // 3 columns, 3 rows: 3·4 + 2·2 wide, 3·5 + 2·2 high
    expect(png.width).toBe(16);
    expect(png.height).toBe(19);
    for (const s of [0, 4, 6]) {
      const x0 = (s % 3) * (w + 2);
      const y0 = Math.floor(s / 3) * (h + 2);
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const o = ((y0 + r) * png.width + x0 + c) * 4;
          const v = Math.round(x[s * h * w + r * w + c] * 255);
          expect([png.data[o], png.data[o + 1], png.data[o + 2]]).toEqual([v, v, v]);
        }
      }
    }
    // the padding line between tile 0 and tile 1 is mid grey
    expect(png.data[(0 * png.width + 4) * 4]).toBe(128);
  });

  it('defaults to a square-ish grid and clamps values to [0, 1]', () => {
    // four 1×1 RGB images
    const x = Float32Array.from([-1, 2, 0.5, Number.NaN, 0, 1, 0, 1, 0, 1, 0, 1]);
    const png = PNG.sync.read(encodeSampleGrid(x, 4, [1, 1, 3]));
    expect(png.width).toBe(2 + 1); // ceil(sqrt(4)) = 2 columns, 1-px pad
    expect(png.height).toBe(3);
    expect(Array.from(png.data.subarray(0, 3))).toEqual([0, 255, 128]);
    expect(Array.from(png.data.subarray(8, 11))).toEqual([0, 0, 255]); // second sample: NaN→0, 0, 1
  });

  it('caps n at the rows available and refuses vector shapes', () => {
    const png = PNG.sync.read(encodeSampleGrid(new Float32Array(2 * 4), 100, [2, 2, 1]));
    expect(png.width).toBe(2 * 2 + 1);
    expect(png.height).toBe(2);
    expect(() => encodeSampleGrid(new Float32Array(4), 2, [2])).toThrow(/image shape/);
  });
});

describe('encodeScatterPng', () => {
  it('draws a fixed-size picture with samples and reference in two colours', () => {
    const x = Float32Array.from([1, 1, 0, 5, 5, 0]); // dim 3, two points (1,1) and (5,5)
    const ref = { x: Float32Array.from([-3, -3, 9]), n: 1 };
    const png = PNG.sync.read(encodeScatterPng(x, 2, 3, { size: 128, reference: ref }));
    expect([png.width, png.height]).toEqual([128, 128]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    expect(colours.has('31,119,180')).toBe(true); // samples
    expect(colours.has('255,127,14')).toBe(true); // reference
    // the reference point (-3,-3) is the lowest-left point: near the plot's bottom-left corner (left 26, bottom 109)
    const at = (px: number, py: number) => Array.from(png.data.subarray((py * 128 + px) * 4, (py * 128 + px) * 4 + 3));
    expect(at(28, 107)).toEqual([255, 127, 14]);
  });

  it('draws axes with ticks at round values, their labels, and a colour key (defect 9)', () => {
    const x = Float32Array.from([0, 0, 10, 10]); // (0,0) and (10,10): ticks at 0, 2, 4, …, 10 on both axes
    const ref = { x: Float32Array.from([5, 5]), n: 1 };
    const size = 256;
    const png = PNG.sync.read(encodeScatterPng(x, 2, 2, { size, reference: ref }));
    const at = (px: number, py: number) => Array.from(png.data.subarray((py * size + px) * 4, (py * size + px) * 4 + 3)).join(',');
    const frame = '120,120,120';
    const text = '60,60,60';
    const [left, top, inner] = [26, 14, 256 - 32];
    const axisY = top + inner;
    // the axis lines on the plot's left and bottom
    for (const py of [top, top + 50, axisY]) expect(at(left - 1, py)).toBe(frame);
    for (const px of [left, left + 100, left + inner - 1]) expect(at(px, axisY)).toBe(frame);
    // tick marks below the x axis and left of the y axis, at round values
    const ticksX = [];
    for (let px = left; px < left + inner; px++) if (at(px, axisY + 2) === frame) ticksX.push(px);
    expect(ticksX.length).toBeGreaterThanOrEqual(4);
    expect(ticksX.length).toBeLessThanOrEqual(8);
    const ticksY = [];
    for (let py = top; py < axisY; py++) if (at(left - 3, py) === frame) ticksY.push(py);
    expect(ticksY.length).toBe(ticksX.length);
    // labels under the x ticks and left of the y ticks (text pixels)
    const textIn = (x0: number, x1: number, y0: number, y1: number) => {
      let c = 0;
      for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) if (at(px, py) === text) c++;
      return c;
    };
    expect(textIn(left - 4, left + inner, axisY + 5, axisY + 10)).toBeGreaterThan(20);
    expect(textIn(1, left - 4, top, axisY)).toBeGreaterThan(20);
    // the key above the plot: a blue swatch (generated), an orange one (reference), and their names
    expect(at(left + 2, 6)).toBe('31,119,180');
    let orangeKey = 0;
    for (let px = left + 20; px < size; px++) if (at(px, 6) === '255,127,14') orangeKey++;
    expect(orangeKey).toBe(5);
    expect(textIn(left + 6, size, 4, 9)).toBeGreaterThan(40);
    // real rows (an island's, the training set's) are named so in the key, not "generated": the key's text differs,
    // the points do not
    const keyOf = (p: PNG) => [...p.data.subarray(4 * size * 4, 4 * size * 9)].join(',');
    const plotOf = (p: PNG) => [...p.data.subarray(4 * size * 12)].join(',');
    for (const label of ['ISLAND', 'TRAIN'] as const) {
      const named = PNG.sync.read(encodeScatterPng(x, 2, 2, { size, reference: ref, label }));
      expect(keyOf(named)).not.toBe(keyOf(png));
      expect(plotOf(named)).toBe(plotOf(png));
    }
    // no reference: the key names only the generated samples
    const alone = PNG.sync.read(encodeScatterPng(x, 2, 2, { size }));
    let orange = 0;
    for (let i = 0; i < alone.data.length; i += 4) if (alone.data[i] === 255 && alone.data[i + 1] === 127) orange++;
    expect(orange).toBe(0);
  });

  it('tick values are round and their labels short', () => {
    expect(niceTicks(0, 10).values).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-0.26, 0.31).values.map((v) => tickLabel(v, niceTicks(-0.26, 0.31).step))).toEqual([
      '-0.2',
      '-0.1',
      '0.0',
      '0.1',
      '0.2',
      '0.3',
    ]);
    expect(tickLabel(200000, 100000)).toBe('2E5');
    expect(niceTicks(1, 1).values).toEqual([]);
  });

  it('draws histograms for one-dimensional data', () => {
    const rng = new Rng(2);
    const x = Float32Array.from({ length: 500 }, () => rng.normal());
    const png = PNG.sync.read(encodeScatterPng(x, 500, 1, { size: 64 }));
    expect([png.width, png.height]).toEqual([64, 64]);
    let blue = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 31 && png.data[i + 2] === 180) blue++;
    expect(blue).toBeGreaterThan(100);
  });
});
