import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../main/backend/select-backend';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { readNpyAsFloat32, writeNpy } from '../../main/data/npy';
import { decodePng } from '../../main/data/png';
import { rejectedRows, runExperiment } from '../../main/loop/run-experiment';
import { RunFolder } from '../../main/runs/run-folder';
import { queuedRunFolder } from './queued-run-folder';

/** gen-GGG/rejected.png: the candidates the selection did not keep, beside samples.png (the selection's decision). */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-rejected-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const H = 4;
const W = 4;
let count = 0;

/** A tiny image dataset (4×4 grey) of values well inside [0, 1], so a tile's bytes identify its sample. */
async function imageData(): Promise<string> {
  const n = 300;
  const x = new Float32Array(n * H * W);
  let s = 12345;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = 0.35 + 0.3 * (s / 2 ** 32);
  }
  const p = path.join(tmp, 'images.npy');
  await writeNpy(p, x, [n, H * W]);
  return p;
}

async function run(extra: Partial<ExperimentConfigInput>): Promise<RunFolder> {
  await initBackend('cpu');
  const config = validateConfig({
    name: 'rejected',
    seed: 5,
    dataset: { kind: 'npy', path: await imageData(), imageShape: [H, W, 1] },
    islands: { count: 1, split: 'iid' },
    model: { kind: 'gaussian', params: {} },
    loop: { generations: 2, paradigm: 'accumulate-subsample', keep: 20, ratio: 3 },
    selection: { scheme: 'random' },
    gridSamples: 9,
    ...extra,
  });
  const folder = queuedRunFolder(path.join(tmp, `run-${count++}`), config);
  await runExperiment(folder);
  return folder;
}

/** The tiles of a grey grid PNG (1-pixel padding), each as its bytes joined. */
function tiles(file: string): string[] {
  const img = decodePng(fs.readFileSync(file), file);
  const [height, width, channels] = img.shape;
  const cols = Math.round((width + 1) / (W + 1));
  const rows = Math.round((height + 1) / (H + 1));
  const out: string[] = [];
  for (let t = 0; t < rows * cols; t++) {
    const x0 = (t % cols) * (W + 1);
    const y0 = Math.floor(t / cols) * (H + 1);
    const bytes: number[] = [];
    for (let r = 0; r < H; r++) for (let c = 0; c < W; c++) bytes.push(Math.round(img.data[((y0 + r) * width + x0 + c) * channels] * 255));
    out.push(bytes.join(','));
  }
  return out;
}

function keptTiles(file: string): Set<string> {
  const { data, shape } = readNpyAsFloat32(file);
  const out = new Set<string>();
  for (let i = 0; i < shape[0]; i++) {
    out.add(
      Array.from(data.subarray(i * shape[1], (i + 1) * shape[1]), (v) => (v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0)).join(','),
    );
  }
  return out;
}

describe('the rejected grid', () => {
  it('rejectedRows: the first candidates not selected, at most count, in candidate order', () => {
    expect(rejectedRows(6, Int32Array.from([1, 4]), 3)).toEqual([0, 2, 3]);
    expect(rejectedRows(6, Int32Array.from([0, 5]), 10)).toEqual([1, 2, 3, 4]);
    expect(rejectedRows(3, Int32Array.from([0, 1, 2]), 9)).toEqual([]);
  });

  it('a run with ratio > 1 writes rejected.png of candidates that are not in kept.npy', async () => {
    const folder = await run({});
    for (const g of ['gen-000', 'gen-001']) {
      const rejected = folder.file(g, 'rejected.png');
      expect(fs.existsSync(rejected)).toBe(true);
      const kept = keptTiles(folder.file(g, 'kept.npy'));
      const samples = tiles(folder.file(g, 'samples.png'));
      // the decoding is right: samples.png shows kept samples
      expect(samples.filter((t) => kept.has(t)).length).toBe(9);
      const shown = tiles(rejected);
      expect(shown.length).toBe(9); // gridSamples of the 40 rejected
      expect(new Set(shown).size).toBe(9);
      for (const t of shown) expect(kept.has(t)).toBe(false);
    }
  }, 60_000);

  it('writes none for ratio 1 or scheme none', async () => {
    const one = await run({ loop: { generations: 1, paradigm: 'accumulate-subsample', keep: 20, ratio: 1 } });
    expect(fs.existsSync(one.file('gen-000', 'samples.png'))).toBe(true);
    expect(fs.existsSync(one.file('gen-000', 'rejected.png'))).toBe(false);
    const none = await run({ selection: { scheme: 'none' } });
    expect(fs.existsSync(none.file('gen-000', 'rejected.png'))).toBe(false);
  }, 60_000);
});
