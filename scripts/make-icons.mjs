#!/usr/bin/env node
// Draws the app icon and writes every format the packagers want, with no tool beyond pngjs (a dependency):
//   resources/icon.png            512×512 (electron-builder's default)
//   resources/icons/NxN.png       16…512 (Linux: AppImage and deb)
//   resources/icon.ico            16, 24, 32, 48, 64, 128, 256 (Windows, PNG-compressed entries, Vista+)
//   resources/icon.icns           128, 256, 512, 1024 (macOS, PNG-compressed entries: ic07 ic08 ic09 ic10)
// The picture: a blue rounded square, its lower-right half orange (a distribution drifting), white pixel squares
// fading toward the corner (samples thinning generation after generation). Run: node scripts/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'resources');

const BLUE = [47, 111, 222];
const ORANGE = [232, 89, 12];
const WHITE = [255, 255, 255];

/** Coverage-weighted colour at (u, v) in [0, 1]² of the 64-unit design (same as renderer/public/favicon.svg). */
function shade(u, v) {
  const x = u * 64;
  const y = v * 64;
  // rounded square, radius 12
  const r = 12;
  const cx = Math.min(Math.max(x, r), 64 - r);
  const cy = Math.min(Math.max(y, r), 64 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return null;
  const col = x + y >= 64 ? ORANGE : BLUE;
  const squares = [
    [14, 14, 8, 1],
    [26, 14, 8, 1],
    [14, 26, 8, 1],
    [42, 26, 6, 0.5],
    [26, 42, 6, 0.5],
    [38, 38, 8, 0.7],
  ];
  for (const [sx, sy, s, a] of squares) {
    if (x >= sx && x < sx + s && y >= sy && y < sy + s) return col.map((c, i) => c + (WHITE[i] - c) * a);
  }
  return col;
}

/** Render at `size` with 4×4 supersampling (smooth edges). */
function render(size) {
  const png = new PNG({ width: size, height: size });
  const k = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < k; sy++) {
        for (let sx = 0; sx < k; sx++) {
          const c = shade((px + (sx + 0.5) / k) / size, (py + (sy + 0.5) / k) / size);
          if (c) {
            r += c[0];
            g += c[1];
            b += c[2];
            a += 1;
          }
        }
      }
      const o = (py * size + px) * 4;
      png.data[o] = a ? Math.round(r / a) : 0;
      png.data[o + 1] = a ? Math.round(g / a) : 0;
      png.data[o + 2] = a ? Math.round(b / a) : 0;
      png.data[o + 3] = Math.round((255 * a) / (k * k));
    }
  }
  return PNG.sync.write(png);
}

/** ICO with PNG entries: ICONDIR, then one ICONDIRENTRY per image, then the PNGs. */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, e);
    header.writeUInt8(size >= 256 ? 0 : size, e + 1);
    header.writeUInt8(0, e + 2);
    header.writeUInt8(0, e + 3);
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.data)]);
}

/** ICNS with PNG entries (type codes by pixel size). */
function icns(images) {
  const types = { 128: 'ic07', 256: 'ic08', 512: 'ic09', 1024: 'ic10' };
  const chunks = images.map(({ size, data }) => {
    const h = Buffer.alloc(8);
    h.write(types[size], 0, 'ascii');
    h.writeUInt32BE(data.length + 8, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(chunks);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((s) => [s, render(s)]));
fs.mkdirSync(path.join(out, 'icons'), { recursive: true });
fs.writeFileSync(path.join(out, 'icon.png'), pngs.get(512));
for (const s of [16, 24, 32, 48, 64, 128, 256, 512]) fs.writeFileSync(path.join(out, 'icons', `${s}x${s}.png`), pngs.get(s));
fs.writeFileSync(path.join(out, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, data: pngs.get(size) }))));
fs.writeFileSync(path.join(out, 'icon.icns'), icns([128, 256, 512, 1024].map((size) => ({ size, data: pngs.get(size) }))));
process.stdout.write(`icons written to ${path.relative(process.cwd(), out) || '.'}: icon.png, icons/*.png, icon.ico, icon.icns\n`);
