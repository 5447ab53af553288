import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readIdx, writeIdx } from '../../main/data/idx';
import { readImageFolder } from '../../main/data/image-folder';
import { loadDataset } from '../../main/data/load-dataset';
import { encodeNpy, readNpy } from '../../main/data/npy';
import { readPng } from '../../main/data/png';
import { readInputFile } from '../../main/data/read-input-file';
import { readJsonFile } from '../../main/cli/output';
import { ensureWorkspace } from '../../main/runs/workspace';

/**
 * Issue 14, items 2, 5 and 7: a data path that is not a regular file is refused at once (never read: /dev/zero would
 * be read until memory runs out, a named pipe would block the thread); sizes are checked before reading; a workspace
 * where no folder can be made is refused instead of spinning; an error about a file of the wrong format names the
 * problem, never the file's content; NaN or ±∞ in an .npy dataset is refused at load, naming the file and the index.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SECRET = 'root:$6$secret-hash:19000:0:99999:7:::\n';

function fifo(name: string): string | null {
  if (process.platform === 'win32') return null;
  const p = path.join(tmp, name);
  return spawnSync('mkfifo', [p]).status === 0 ? p : null;
}

/** The call must fail within `ms` (a blocking read or a read of an endless device would not return at all). */
async function refusedQuickly(f: () => unknown, pattern: RegExp, ms = 2000): Promise<void> {
  const t0 = Date.now();
  await expect(Promise.resolve().then(f)).rejects.toThrow(pattern);
  expect(Date.now() - t0).toBeLessThan(ms);
}

describe('paths that are not regular files', () => {
  it.skipIf(!fs.existsSync('/dev/zero'))('refuses /dev/zero as an .npy file at once', async () => {
    await refusedQuickly(() => readNpy('/dev/zero'), /npy file \/dev\/zero is a character device, not a regular file/);
    await refusedQuickly(() => loadDataset({ kind: 'npy', path: '/dev/zero', testFraction: 0.1 }, 0), /\/dev\/zero is a character device/);
  });

  it('refuses a named pipe without blocking (npy, IDX, PNG, config file)', async () => {
    const p = fifo('pipe.npy');
    if (!p) return;
    await refusedQuickly(() => readNpy(p), /pipe\.npy is a named pipe, not a regular file/);
    await refusedQuickly(() => readIdx(p), /is a named pipe/);
    await refusedQuickly(() => readPng(p), /is a named pipe/);
    await refusedQuickly(() => readJsonFile(p), /is a named pipe/);
  });

  it('refuses a named pipe among the PNGs of an image folder, before decoding any', async () => {
    const root = path.join(tmp, 'folder-with-pipe');
    fs.mkdirSync(path.join(root, 'a'), { recursive: true });
    const png = new PNG({ width: 2, height: 2 });
    png.data.fill(255);
    fs.writeFileSync(path.join(root, 'a', '0.png'), PNG.sync.write(png));
    if (spawnSync('mkfifo', [path.join(root, 'a', '1.png')]).status !== 0) return;
    await refusedQuickly(() => readImageFolder(root), /1\.png is a named pipe/);
  });

  it('refuses a folder where a file is expected', async () => {
    await refusedQuickly(() => readNpy(tmp), /is a folder, not a regular file/);
  });

  it('checks the size before reading: a file over the limit is refused unread', () => {
    const p = path.join(tmp, 'big.bin');
    fs.writeFileSync(p, Buffer.alloc(4096));
    expect(() => readInputFile(p, 'npy file', { maxBytes: 1024 })).toThrow(/big\.bin is 4\.0 KB, more than the 1\.0 KB/);
  });

  it('refuses an .npy whose header promises more data than the file holds, before reading the data', () => {
    const p = path.join(tmp, 'short.npy');
    fs.writeFileSync(p, encodeNpy(new Float32Array(6), [2, 3]).subarray(0, 80));
    expect(() => readNpy(p)).toThrow(/short\.npy is truncated/);
  });

  it('refuses a PNG whose header declares a huge image, naming the file, without decoding it', () => {
    const png = new PNG({ width: 1, height: 1 });
    const buf = PNG.sync.write(png);
    buf.writeUInt32BE(20_000, 16); // width
    buf.writeUInt32BE(20_000, 20); // height (the CRC no longer matches: decoding would fail differently)
    const p = path.join(tmp, 'huge.png');
    fs.writeFileSync(p, buf);
    expect(() => readPng(p)).toThrow(/huge\.png is 20000×20000 pixels/);
  });
});

describe('a workspace where no folder can be made', () => {
  it.skipIf(process.platform !== 'linux')('refuses /proc/x and /sys/x at once instead of spinning', () => {
    const t0 = Date.now();
    expect(() => ensureWorkspace('/proc/x')).toThrow(/\/proc\/x.*proc pseudo file system/);
    expect(() => ensureWorkspace('/proc/x/y/z')).toThrow(/proc pseudo file system/);
    expect(() => ensureWorkspace('/sys/x')).toThrow(/sysfs pseudo file system/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('refuses a path through a file, and makes a missing folder one level at a time', () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    expect(() => ensureWorkspace(path.join(file, 'ws'))).toThrow(/a-file is a file, not a folder/);
    const deep = path.join(tmp, 'd1', 'd2', 'ws');
    ensureWorkspace(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
  });

  it('the CLI refuses --out /proc/x with a clear error', () => {
    if (process.platform !== 'linux') return;
    const bin = path.resolve(__dirname, '../../bin/collapse-lab.mjs');
    const r = spawnSync(process.execPath, [bin, 'run', '--preset', 'smoke', '--out', '/proc/x'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot use workspace \/proc\/x/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('errors about a file of the wrong format name the problem, not the content', () => {
  const secretFile = path.join(tmp, 'shadow');
  fs.writeFileSync(secretFile, SECRET);

  it('IDX', async () => {
    await expect(readIdx(secretFile)).rejects.toThrow(/shadow is not an IDX file/);
    await expect(readIdx(secretFile)).rejects.not.toThrow(/root|72 6f|secret/);
  });

  it('npy with the magic and a header that is not a dict', () => {
    const p = path.join(tmp, 'bad-header.npy');
    const head = Buffer.from(`\x93NUMPY\x01\x00`, 'latin1');
    const text = Buffer.from(SECRET.padEnd(118, ' ') + '\n', 'latin1');
    const len = Buffer.alloc(2);
    len.writeUInt16LE(text.length);
    fs.writeFileSync(p, Buffer.concat([head, len, text]));
    expect(() => readNpy(p)).toThrow(/bad-header\.npy has a bad header/);
    expect(() => readNpy(p)).not.toThrow(/root|secret/);
  });

  it('npy, PNG and config files without their signature', () => {
    for (const read of [readNpy, readPng, readJsonFile]) {
      let message = '';
      try {
        read(secretFile);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/shadow/);
      expect(message).not.toMatch(/root|secret|\$6/);
    }
  });
});

describe('NaN and ±∞ in an .npy dataset are refused at load', () => {
  function npyWith(name: string, values: Float32Array | Float64Array, shape: number[]): string {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, encodeNpy(values, shape));
    return p;
  }

  it('names the file and the first bad index', async () => {
    const x = new Float32Array(40).map((_, i) => i / 40);
    x[13] = NaN; // row 3, column 1
    x[20] = Infinity;
    const p = npyWith('nan.npy', x, [10, 4]);
    await expect(loadDataset({ kind: 'npy', path: p, testFraction: 0.2 }, 0)).rejects.toThrow(
      /npy file .*nan\.npy has a non-finite value NaN at row 3, column 1 \(element 13\)/,
    );
  });

  it('Infinity, and a float64 beyond the float32 range', async () => {
    const inf = new Float64Array(20).fill(1);
    inf[7] = -Infinity;
    await expect(loadDataset({ kind: 'npy', path: npyWith('inf.npy', inf, [10, 2]), testFraction: 0.2 }, 0)).rejects.toThrow(
      /inf\.npy has a non-finite value -Infinity at row 3, column 1/,
    );
    const big = new Float64Array(20).fill(1);
    big[4] = 1e300;
    await expect(loadDataset({ kind: 'npy', path: npyWith('big.npy', big, [10, 2]), testFraction: 0.2 }, 0)).rejects.toThrow(
      /big\.npy has a non-finite value 1e\+300 \(beyond float32's range\) at row 2, column 0/,
    );
  });

  it('IDX vectors too', () => {
    const x = new Float32Array(12).fill(0.5);
    x[5] = NaN;
    const p = path.join(tmp, 'nan.idx');
    writeIdx(p, x, [6, 2]);
    return expect(loadDataset({ kind: 'idx', images: p, testFraction: 0.2 }, 0)).rejects.toThrow(
      /nan\.idx has a non-finite value NaN at row 2, column 1/,
    );
  });
});
