import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy, readNpy, readNpyAsFloat32, writeNpy, writeNpySync, type NpyWritable } from '../../main/data/npy';

const fixtures = join(import.meta.dirname, '../fixtures/data/npy');
const expected: Record<string, { shape: number[]; dtype: string; values: number[] | null }> = JSON.parse(
  readFileSync(join(fixtures, 'expected.json'), 'utf8'),
);
const tmp = mkdtempSync(join(tmpdir(), 'npy-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A v1 .npy file with a hand-written header (padded to 64 bytes) followed by `body`. */
function rawNpy(header: string, body: Uint8Array = new Uint8Array(0)): Buffer {
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  const h = header + ' '.repeat(total - 10 - header.length - 1) + '\n';
  const out = Buffer.alloc(total + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out.writeUInt16LE(h.length, 8);
  out.write(h, 10, 'latin1');
  out.set(body, total);
  return out;
}

describe('readNpy on files written by NumPy', () => {
  for (const name of ['f4', 'f8', 'u1', 'i4', 'i8', 'b1', 'i8_1d', 'f4_v2', 'f4_v3', 'f4_3d', 'scalar_f8']) {
    it(`reads ${name}`, () => {
      const e = expected[name];
      const a = readNpy(join(fixtures, `${name}.npy`));
      expect(a.shape).toEqual(e.shape);
      expect(a.dtype).toBe(e.dtype);
      const values = Array.from(a.data as ArrayLike<number | bigint>, Number);
      expect(values).toEqual(e.values);
    });
  }

  it('converts to float32', () => {
    const a = readNpyAsFloat32(join(fixtures, 'i8.npy'));
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data)).toEqual([-3, -2, -1, 0, 1, 2]);
    const f = readNpyAsFloat32(join(fixtures, 'f8.npy'));
    expect(f.data[1]).toBeCloseTo(1 / 7, 6);
  });

  it.each([
    ['c8', /'<c8' \(complex, 8 bytes\).*not supported/],
    ['U3', /'<U3' \(unicode string, 3 bytes\).*not supported/],
    ['f4_big', /big-endian dtype '>f4'/],
    ['f4_fortran', /Fortran order/],
  ])('refuses %s with a clear error naming the file', (name, message) => {
    const path = join(fixtures, `${name}.npy`);
    expect(() => readNpy(path)).toThrow(message);
    expect(() => readNpy(path)).toThrow(path);
  });
});

describe('writeNpy round trip', () => {
  const cases: [string, NpyWritable][] = [
    ['<f4', Float32Array.from([0, 0.5, -1.25, 3e10, 1e-8, 7])],
    ['<f8', Float64Array.from([0, 1 / 3, -2, Math.PI, 1e300, -0])],
    ['|u1', Uint8Array.from([0, 1, 127, 128, 254, 255])],
    ['<i4', Int32Array.from([0, -1, 2 ** 31 - 1, -(2 ** 31), 5, 6])],
    ['<i8', BigInt64Array.from([0n, -1n, 2n ** 62n, -(2n ** 62n), 5n, 6n])],
  ];
  for (const [dtype, data] of cases) {
    it(`round-trips ${dtype}`, async () => {
      const path = join(tmp, `rt-${dtype.slice(1)}.npy`);
      await writeNpy(path, data, [2, 3]);
      const a = readNpy(path);
      expect(a.dtype).toBe(dtype);
      expect(a.shape).toEqual([2, 3]);
      expect(a.data.constructor).toBe(data.constructor);
      expect(Array.from(a.data as ArrayLike<number | bigint>)).toEqual(Array.from(data as ArrayLike<number | bigint>));
    });
  }

  it('writes a header NumPy accepts: 64-byte aligned, 1-D shape with a trailing comma', () => {
    const buf = encodeNpy(Float32Array.from([1, 2, 3]), [3]);
    const headerLen = buf.readUInt16LE(8);
    expect((10 + headerLen) % 64).toBe(0);
    const header = buf.subarray(10, 10 + headerLen).toString('latin1');
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3,\), \} *\n$/);
    // the sync writer produces the same bytes
    const path = join(tmp, 'sync.npy');
    writeNpySync(path, Float32Array.from([1, 2, 3]), [3]);
    expect(readFileSync(path)).toEqual(buf);
  });

  it('matches NumPy byte for byte', () => {
    const e = expected.f4_3d;
    const ours = encodeNpy(Float32Array.from(e.values as number[]), e.shape);
    expect(ours).toEqual(readFileSync(join(fixtures, 'f4_3d.npy')));
  });

  it('refuses a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/6 elements but the data has 5/);
  });
});

describe('bad npy files', () => {
  it('not an npy file', () => {
    const path = join(tmp, 'plain.npy');
    writeFileSync(path, 'hello world, not numpy');
    expect(() => readNpy(path)).toThrow(`${path} is not a .npy file`);
  });

  it('a header that is not a dict', () => {
    const path = join(tmp, 'bad-header.npy');
    writeFileSync(path, rawNpy("'descr': '<f4'"));
    expect(() => readNpy(path)).toThrow(new RegExp(`npy file ${path} has a bad header`));
  });

  it('a header without a shape', () => {
    const path = join(tmp, 'no-shape.npy');
    writeFileSync(path, rawNpy("{'descr': '<f4', 'fortran_order': False, }"));
    expect(() => readNpy(path)).toThrow(/bad header \(no 'shape' tuple\)/);
  });

  it('a structured dtype', () => {
    const path = join(tmp, 'record.npy');
    writeFileSync(path, rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new Uint8Array(4)));
    expect(() => readNpy(path)).toThrow(/structured dtype/);
  });

  it('truncated data', () => {
    const path = join(tmp, 'short.npy');
    writeFileSync(path, rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", new Uint8Array(12)));
    expect(() => readNpy(path)).toThrow(new RegExp(`npy file ${path} is truncated: .* needs 16 data bytes`));
  });

  it('a missing file', () => {
    const path = join(tmp, 'nope.npy');
    expect(() => readNpy(path)).toThrow(`cannot read npy file ${path}`);
  });
});
