import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFolder } from '../../main/data/image-folder';

const tmp = mkdtempSync(join(tmpdir(), 'image-folder-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function png(w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p.data.set([...rgb(x, y), 255], (y * w + x) * 4);
  return PNG.sync.write(p);
}

const grey = (v: number) => png(3, 2, () => [v, v, v]);

/** Build a folder from { 'class/file.png': bytes }. */
function folder(name: string, files: Record<string, Buffer | string>): string {
  const root = join(tmp, name);
  mkdirSync(root, { recursive: true });
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  }
  return root;
}

describe('readImageFolder', () => {
  it('reads classes in sorted order, files in sorted order, one channel for grey images', () => {
    const root = folder('happy', {
      'zebra/b.png': grey(30),
      'zebra/a.png': grey(20),
      'ant/x.png': grey(10),
      'ant/.DS_Store': 'junk',
      'mole/only.png': grey(255),
    });
    const f = readImageFolder(root);
    expect(f.classNames).toEqual(['ant', 'mole', 'zebra']);
    expect(f.shape).toEqual([2, 3, 1]);
    expect(f.samples.n).toBe(4);
    expect(f.samples.dim).toBe(6);
    expect(Array.from(f.samples.labels)).toEqual([0, 1, 2, 2]);
    expect(f.files.map((p) => p.slice(root.length + 1))).toEqual(['ant/x.png', 'mole/only.png', 'zebra/a.png', 'zebra/b.png']);
    expect(f.samples.x[0]).toBeCloseTo(10 / 255, 6);
    expect(f.samples.x[2 * 6]).toBeCloseTo(20 / 255, 6);
    expect(f.samples.x[4 * 6 - 1]).toBeCloseTo(30 / 255, 6);
  });

  it('widens grey images to three channels when the folder also holds colour images', () => {
    const root = folder('mixed-channels', { 'a/1.png': grey(51), 'b/2.png': png(3, 2, () => [255, 0, 0]) });
    const f = readImageFolder(root);
    expect(f.shape).toEqual([2, 3, 3]);
    expect(Array.from(f.samples.x.subarray(0, 3))).toEqual([0.2, 0.2, 0.2].map(Math.fround));
    expect(Array.from(f.samples.x.subarray(18, 21))).toEqual([1, 0, 0]);
  });

  it('mixed sizes: names the first file that differs and both sizes', () => {
    const root = folder('mixed-sizes', { 'a/1.png': grey(1), 'a/2.png': png(4, 4, () => [0, 0, 0]) });
    expect(() => readImageFolder(root)).toThrow(
      `image ${join(root, 'a/2.png')} is 4×4 (width × height) but ${join(root, 'a/1.png')} is 3×2`,
    );
  });

  it('an empty folder, a folder without class sub-folders, an empty class', () => {
    const empty = folder('empty', {});
    expect(() => readImageFolder(empty)).toThrow(`image folder ${empty} has no class sub-folders`);
    const flat = folder('flat', { 'loose.png': grey(1) });
    expect(() => readImageFolder(flat)).toThrow(/has no class sub-folders.*found only files, e.g. loose.png/);
    const hollow = folder('hollow', { 'a/1.png': grey(1), 'b/.keep': '' });
    expect(() => readImageFolder(hollow)).toThrow(`class folder ${join(hollow, 'b')} of image folder ${hollow} holds no PNG images`);
    expect(() => readImageFolder(join(tmp, 'absent'))).toThrow(/does not exist/);
  });

  it('a non-PNG file or a corrupt PNG names the file', () => {
    const jpg = folder('jpg', { 'a/1.png': grey(1), 'a/2.jpg': 'jpeg bytes' });
    expect(() => readImageFolder(jpg)).toThrow(`image folder file ${join(jpg, 'a/2.jpg')} is not a PNG image`);
    const bad = folder('bad', { 'a/1.png': grey(1), 'a/2.png': grey(2).subarray(0, 30) });
    expect(() => readImageFolder(bad)).toThrow(`PNG file ${join(bad, 'a/2.png')} is corrupt`);
  });
});
