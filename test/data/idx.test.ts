import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, readIdx, writeIdx, type IdxData } from '../../main/data/idx';

const tmp = mkdtempSync(join(tmpdir(), 'idx-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('IDX round trip', () => {
  const cases: [string, IdxData, number[]][] = [
    ['ubyte', Uint8Array.from({ length: 24 }, (_, i) => i * 10), [2, 3, 4]],
    ['sbyte', Int8Array.from([-128, -1, 0, 1, 127, 5]), [6]],
    ['int16', Int16Array.from([-32768, -2, 0, 300, 32767, 9]), [3, 2]],
    ['int32', Int32Array.from([-(2 ** 31), -7, 0, 70000, 2 ** 31 - 1, 3]), [2, 3]],
    ['float32', Float32Array.from([0, -1.5, 3.25, 1e-20, 6e30, 0.1]), [1, 2, 3]],
    ['float64', Float64Array.from([0, -1 / 3, Math.PI, 1e-300, 1e300, 2]), [2, 1, 3]],
  ];
  for (const gzip of [false, true]) {
    for (const [name, data, shape] of cases) {
      it(`${name}${gzip ? ' gzipped' : ''}`, async () => {
        const path = join(tmp, `${name}${gzip ? '.gz' : ''}`);
        writeIdx(path, data, shape, { gzip });
        const raw = readFileSync(path);
        expect(raw[0] === 0x1f && raw[1] === 0x8b).toBe(gzip);
        const a = await readIdx(path);
        expect(a.shape).toEqual(shape);
        expect(a.data.constructor).toBe(data.constructor);
        expect(Array.from(a.data)).toEqual(Array.from(data));
      });
    }
  }

  for (const gzip of [false, true]) {
    it(`float64 over many chunks, elements split between them${gzip ? ' (gzipped)' : ''}`, async () => {
      // a 12-byte header puts element boundaries off the 64 KiB chunk boundaries
      const data = Float64Array.from({ length: 3 * 20_000 }, (_, i) => Math.sin(i) * 1e3);
      const path = join(tmp, `many-chunks${gzip ? '.gz' : ''}`);
      writeIdx(path, data, [3, 20_000], { gzip });
      const a = await readIdx(path);
      expect(a.data).toEqual(data);
    });
  }

  it('refuses a declared size above COLLAPSE_LAB_MEMORY_LIMIT before allocating it', async () => {
    const path = join(tmp, 'huge-declared.gz');
    const header = Buffer.from([0, 0, 0x0d, 2, 0, 1, 0, 0, 0, 1, 0, 0]); // float32 [65536, 65536]: 16 GB
    writeFileSync(path, gzipSync(Buffer.concat([header, Buffer.alloc(64)])));
    process.env.COLLAPSE_LAB_MEMORY_LIMIT = '1GB';
    try {
      await expect(readIdx(path)).rejects.toThrow(
        `IDX file ${path} declares shape [65536, 65536] of float32, 16 GB in memory, more than the 1.0 GB it may take (COLLAPSE_LAB_MEMORY_LIMIT)`,
      );
    } finally {
      delete process.env.COLLAPSE_LAB_MEMORY_LIMIT;
    }
  });

  it('writes the header MNIST uses (big-endian dims)', () => {
    const buf = encodeIdx(new Uint8Array(2 * 28 * 28), [2, 28, 28]);
    expect(Array.from(buf.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 28, 0, 0, 0, 28]);
    const f = encodeIdx(Float32Array.from([1]), [1]);
    expect(Array.from(f.subarray(8))).toEqual([0x3f, 0x80, 0, 0]); // 1.0f big-endian
  });
});

describe('bad IDX files name the file and the problem', () => {
  it('bad magic', async () => {
    const path = join(tmp, 'magic');
    writeFileSync(path, Buffer.from([1, 2, 8, 1, 0, 0, 0, 1, 5]));
    await expect(readIdx(path)).rejects.toThrow(`${path} is not an IDX file`);
    await expect(readIdx(path)).rejects.not.toThrow(/01 02/);
  });

  it('truncated data', async () => {
    const path = join(tmp, 'short');
    const full = encodeIdx(new Uint8Array(2 * 3 * 4), [2, 3, 4]);
    writeFileSync(path, full.subarray(0, full.length - 5));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} is truncated: shape [2, 3, 4] of unsigned byte needs 40 bytes, got 35`);
  });

  it('truncated gzipped data reports the decompressed sizes', async () => {
    const path = join(tmp, 'short.gz');
    const full = encodeIdx(new Int32Array(10), [10]);
    writeFileSync(path, gzipSync(full.subarray(0, 20)));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} is truncated: shape [10] of int32 needs 48 bytes, got 20 (after gunzip)`);
  });

  it('truncated header', async () => {
    const path = join(tmp, 'short-header');
    writeFileSync(path, Buffer.from([0, 0, 8, 3, 0, 0, 0, 2]));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} is truncated: expected at least 16 header bytes`);
  });

  it('trailing data', async () => {
    const path = join(tmp, 'long');
    writeFileSync(path, Buffer.concat([encodeIdx(new Uint8Array(4), [4]), Buffer.from([1, 2])]));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} has 2 bytes of trailing data`);
  });

  it('unknown element type', async () => {
    const path = join(tmp, 'type');
    writeFileSync(path, Buffer.from([0, 0, 0x0a, 1, 0, 0, 0, 1, 5]));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} has unsupported element type 0x0a`);
  });

  it('corrupt gzip', async () => {
    const path = join(tmp, 'corrupt.gz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]));
    await expect(readIdx(path)).rejects.toThrow(`IDX file ${path} looks gzipped but cannot be decompressed`);
  });

  it('missing file', async () => {
    const path = join(tmp, 'absent');
    await expect(readIdx(path)).rejects.toThrow(`cannot read IDX file ${path}`);
  });
});
