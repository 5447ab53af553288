import fs from 'node:fs';
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';

/**
 * Bad input files for the fuzz suite, made fresh in a folder: .npy arrays, IDX files and PNG folders that are
 * truncated, garbage, lying about their sizes, of unsupported types, or holding NaN/Inf, plus paths that are not what
 * they claim to be. Every one must be refused (a clean error naming the file), never read to exhaustion.
 */

export type BadFileKind = 'npy' | 'idx' | 'png-folder' | 'path';

export interface BadFile {
  name: string;
  kind: BadFileKind;
  path: string;
}

/** A deterministic byte stream (xorshift32), so that every run of the suite tries the same garbage. */
export function garbage(n: number, seed: number): Buffer {
  const out = Buffer.alloc(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}

/** A .npy file with this header dict text and data bytes (version 1.0, header padded as numpy does). */
export function npyBytes(header: string, data: Buffer, opts: { version?: [number, number]; headerLength?: number } = {}): Buffer {
  const [major, minor] = opts.version ?? [1, 0];
  let text = header;
  const unpadded = 10 + text.length + 1;
  text += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]).copy(head, 0);
  head[6] = major;
  head[7] = minor;
  head.writeUInt16LE(opts.headerLength ?? text.length, 8);
  return Buffer.concat([head, Buffer.from(text, 'latin1'), data]);
}

export const npyHeader = (descr: string, shape: string, fortran = 'False') =>
  `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

export function float32Bytes(values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

/** A good float32 [n, d] array (the other side of two-sided commands). */
export function goodNpy(file: string, n = 24, d = 4, seed = 1): string {
  const g = garbage(n * d, seed);
  fs.writeFileSync(file, npyBytes(npyHeader('<f4', `(${n}, ${d})`), float32Bytes(Array.from(g, (b) => b / 255))));
  return file;
}

function idxBytes(dtype: number, dims: number[], data: Buffer): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = dtype;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d >>> 0, 4 + 4 * i));
  return Buffer.concat([head, data]);
}

function crc32(buf: Buffer): number {
  let c = ~0 >>> 0;
  for (let i = 0; i < buf.length; i++) {
    c ^= buf[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function pngChunk(type: string, data: Buffer, badCrc = false): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(badCrc ? crc32(td) ^ 1 : crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A grayscale 8-bit PNG of w × h whose IHDR says (hw, hh) (lying when they differ). */
export function pngBytes(w: number, h: number, opts: { claim?: [number, number]; badCrc?: boolean; truncate?: number } = {}): Buffer {
  const [cw, ch] = opts.claim ?? [w, h];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(cw, 0);
  ihdr.writeUInt32BE(ch, 4);
  ihdr[8] = 8;
  ihdr[9] = 0;
  const raw = Buffer.alloc((w + 1) * h);
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw), opts.badCrc),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
  return opts.truncate ? png.subarray(0, opts.truncate) : png;
}

/** Write every bad file under `dir`; returns them. */
export function makeBadFiles(dir: string): BadFile[] {
  const out: BadFile[] = [];
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string, kind: BadFileKind, bytes: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    out.push({ name, kind, path: p });
  };
  const f32 = (n: number) => float32Bytes(Array.from({ length: n }, (_, i) => (i % 7) / 7));

  // ── .npy ──────────────────────────────────────────────────────────────────────────────────────────────────────────
  file('empty.npy', 'npy', Buffer.alloc(0));
  file('five-bytes.npy', 'npy', garbage(5, 1));
  file('garbage.npy', 'npy', garbage(4096, 2));
  file('magic-only.npy', 'npy', Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]));
  file('version-9.npy', 'npy', npyBytes(npyHeader('<f4', '(4, 2)'), f32(8), { version: [9, 9] }));
  file('header-length-lies.npy', 'npy', npyBytes(npyHeader('<f4', '(4, 2)'), f32(8), { headerLength: 65535 }));
  file('header-not-dict.npy', 'npy', npyBytes('hello world', f32(8)));
  file('header-no-shape.npy', 'npy', npyBytes("{'descr': '<f4', 'fortran_order': False, }", f32(8)));
  file('header-shape-string.npy', 'npy', npyBytes(npyHeader('<f4', "'big'"), f32(8)));
  file('negative-shape.npy', 'npy', npyBytes(npyHeader('<f4', '(-1, 4)'), f32(8)));
  file('complex.npy', 'npy', npyBytes(npyHeader('<c16', '(4, 2)'), Buffer.alloc(128)));
  file('object.npy', 'npy', npyBytes(npyHeader('|O', '(4, 2)'), Buffer.alloc(64)));
  file('unicode.npy', 'npy', npyBytes(npyHeader('<U5', '(4, 2)'), Buffer.alloc(160)));
  file('structured.npy', 'npy', npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }", Buffer.alloc(16)));
  file('zero-rows.npy', 'npy', npyBytes(npyHeader('<f4', '(0, 4)'), Buffer.alloc(0)));
  file('zero-cols.npy', 'npy', npyBytes(npyHeader('<f4', '(4, 0)'), Buffer.alloc(0)));
  file('scalar.npy', 'npy', npyBytes(npyHeader('<f4', '()'), f32(1)));
  file('huge-shape.npy', 'npy', npyBytes(npyHeader('<f4', '(1099511627776, 4)'), f32(8)));
  file('huge-cols.npy', 'npy', npyBytes(npyHeader('<f8', '(2, 4294967296)'), Buffer.alloc(64)));
  file('truncated-data.npy', 'npy', npyBytes(npyHeader('<f4', '(100, 4)'), f32(40)));
  file(
    'nan.npy',
    'npy',
    npyBytes(npyHeader('<f4', '(24, 4)'), float32Bytes(Array.from({ length: 96 }, (_, i) => (i === 37 ? NaN : i / 96)))),
  );
  file(
    'inf.npy',
    'npy',
    npyBytes(npyHeader('<f4', '(24, 4)'), float32Bytes(Array.from({ length: 96 }, (_, i) => (i === 5 ? Infinity : i / 96)))),
  );
  file('big-endian-garbage-descr.npy', 'npy', npyBytes(npyHeader('>q9', '(4, 2)'), Buffer.alloc(64)));

  // ── IDX ───────────────────────────────────────────────────────────────────────────────────────────────────────────
  file('empty-idx3-ubyte', 'idx', Buffer.alloc(0));
  file('garbage-idx3-ubyte', 'idx', garbage(2048, 3));
  file('bad-dtype-idx3-ubyte', 'idx', idxBytes(0x99, [4, 2, 2], Buffer.alloc(16)));
  file('zero-dims-idx3-ubyte', 'idx', idxBytes(0x08, [], Buffer.alloc(16)));
  file('huge-dims-idx3-ubyte', 'idx', idxBytes(0x08, [0xffffffff, 0xffffffff, 28], Buffer.alloc(64)));
  file('truncated-idx3-ubyte', 'idx', idxBytes(0x08, [100, 28, 28], Buffer.alloc(500)));
  file('garbage-idx3-ubyte.gz', 'idx', Buffer.concat([Buffer.from([0x1f, 0x8b]), garbage(500, 4)]));
  // cut before the end of the deflate stream (the whole gzip of mostly zeros is only about 50 bytes)
  const fullGz = gzipSync(idxBytes(0x08, [10, 28, 28], Buffer.alloc(7840)));
  file('truncated-idx3-ubyte.gz', 'idx', fullGz.subarray(0, fullGz.length - 12));
  file('bomb-idx3-ubyte.gz', 'idx', gzipSync(idxBytes(0x08, [60000, 28, 28], Buffer.alloc(0)).subarray(0, 16)));

  // ── PNG folders (one sub-folder per class) ────────────────────────────────────────────────────────────────────────
  const folder = (name: string, files: Record<string, Buffer>) => {
    const p = path.join(dir, name);
    for (const [rel, bytes] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(p, rel)), { recursive: true });
      fs.writeFileSync(path.join(p, rel), bytes);
    }
    fs.mkdirSync(p, { recursive: true });
    out.push({ name, kind: 'png-folder', path: p });
  };
  folder('empty-folder', {});
  folder('no-pngs', { 'a/readme.txt': Buffer.from('not an image') });
  folder('garbage-png', { 'a/x.png': garbage(300, 5), 'b/y.png': garbage(300, 6) });
  folder('truncated-png', { 'a/x.png': pngBytes(8, 8, { truncate: 40 }), 'b/y.png': pngBytes(8, 8) });
  folder('bad-crc-png', { 'a/x.png': pngBytes(8, 8, { badCrc: true }), 'b/y.png': pngBytes(8, 8) });
  folder('lying-size-png', { 'a/x.png': pngBytes(8, 8, { claim: [60000, 60000] }), 'b/y.png': pngBytes(8, 8) });
  folder('huge-png', { 'a/x.png': pngBytes(9000, 9000) });
  folder('mixed-sizes-png', { 'a/x.png': pngBytes(8, 8), 'b/y.png': pngBytes(12, 5) });
  folder('zero-size-png', { 'a/x.png': pngBytes(0, 0), 'b/y.png': pngBytes(8, 8) });

  // ── paths that are not what they claim ────────────────────────────────────────────────────────────────────────────
  out.push({ name: 'missing.npy', kind: 'path', path: path.join(dir, 'no-such-file.npy') });
  const asDir = path.join(dir, 'a-folder.npy');
  fs.mkdirSync(asDir, { recursive: true });
  out.push({ name: 'a-folder.npy', kind: 'path', path: asDir });
  out.push({ name: 'dev-null.npy', kind: 'path', path: '/dev/null' });
  const wrongExt = path.join(dir, 'data.csv');
  fs.writeFileSync(wrongExt, '1,2,3\n4,5,6\n');
  out.push({ name: 'data.csv', kind: 'path', path: wrongExt });
  return out;
}
