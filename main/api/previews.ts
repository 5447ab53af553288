import type { DatasetConfig } from '../contract/config';
import type { ApiRequest, ApiResponse, PictureDto } from '../contract/api';
import { datasetDeclarationOf } from '../contract/datasets/dataset-kinds';
// the data modules directly, not through main/index.ts: this file runs in the preview worker, which should start
// without the rest of the engine (runs, studies, their queue)
import { describeDataset, loadDataset } from '../data/load-dataset';
import { encodeSampleGrid, encodeScatterPng, type ScatterLabel } from '../data/png';
import { isImageShape, takeRows, type Dataset, type Samples } from '../data/samples';
import { datasetSeed, describeSplit, islandPictureRows, loadRunIslands } from '../islands/preview-split';

/**
 * The wizard's previews: a dataset's summary and sample grid, and the islands a run would get (class counts and each
 * island's own samples). They load the dataset exactly as a run does (same seed derivation), so what the wizard shows
 * is what the run trains on. Built-in datasets are cached by their loader; previews of them are memoised here too.
 */

/** Up to `count` rows, classes in turn (0, 1, 2, …, 0, 1, …) so every class shows; the first rows when unlabelled. */
export function showcaseRows(s: Samples, count: number): Int32Array {
  const k = Math.min(count, s.n);
  if (!s.labels) return Int32Array.from({ length: k }, (_, i) => i);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < s.n; i++) {
    const c = s.labels[i];
    const list = byClass.get(c) ?? [];
    if (list.length < k) list.push(i);
    byClass.set(c, list);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const out: number[] = [];
  for (let round = 0; out.length < k; round++) {
    for (const c of classes) {
      const list = byClass.get(c)!;
      if (round < list.length && out.length < k) out.push(list[round]);
    }
  }
  return Int32Array.from(out);
}

/**
 * A picture of some samples: a true-pixel grid for images, a scatter (over the test set) for vectors. The rows shown
 * are `rows` when given, else up to `count` with every class shown (showcaseRows).
 */
export function pictureOf(
  s: Samples,
  ds: Dataset,
  count: number,
  rows: ArrayLike<number> = showcaseRows(s, count),
  label: ScatterLabel = 'TRAIN',
): PictureDto {
  const picked = takeRows(s, rows);
  if (isImageShape(ds.shape)) {
    return { png: encodeSampleGrid(picked.x, picked.n, ds.shape).toString('base64'), kind: 'images', count: picked.n };
  }
  const png = encodeScatterPng(picked.x, picked.n, picked.dim, {
    size: 160,
    reference: { x: ds.test.x, n: Math.min(ds.test.n, 1000) },
    label,
  });
  return { png: png.toString('base64'), kind: 'scatter', count: picked.n };
}

export async function previewDataset(req: ApiRequest<'dataset.preview'>): Promise<ApiResponse<'dataset.preview'>> {
  const ds = await loadDataset(req.dataset, datasetSeed(req.seed));
  const summary = describeDataset(ds);
  const count = isImageShape(ds.shape) ? req.samples : Math.max(req.samples, Math.min(ds.train.n, 1000));
  return { summary: { ...summary, shape: [...summary.shape] }, picture: pictureOf(ds.train, ds, count) };
}

export async function previewSplit(req: ApiRequest<'split.preview'>): Promise<ApiResponse<'split.preview'>> {
  const { ds, split } = await loadRunIslands(req);
  const perIsland = isImageShape(ds.shape) ? req.samplesPerIsland : 500;
  return {
    ...describeSplit(ds, split),
    islands: split.summary.map((s, k) => ({
      size: s.size,
      classCounts: s.classCounts,
      picture:
        k < req.maxIslandPictures && s.size > 0
          ? // the island as drawn: a seeded sample of its rows (the run's island picture), not its classes in turn
            pictureOf(takeRows(ds.train, split.indices[k]), ds, perIsland, islandPictureRows(s.size, perIsland, req.seed, k), 'ISLAND')
          : null,
    })),
  };
}

/** Previews of files on disk may change between calls; built-in and generated datasets do not. */
function cacheable(d: DatasetConfig): boolean {
  return datasetDeclarationOf(d.kind)?.readsUserFiles === false;
}

/** A small memo of recent previews (the wizard asks again for the same one as the user steps back and forth). */
export class PreviewCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity = 16) {}

  get<T>(dataset: DatasetConfig, key: unknown, make: () => Promise<T>): Promise<T> {
    if (!cacheable(dataset)) return make();
    const k = JSON.stringify(key);
    const hit = this.entries.get(k);
    if (hit) {
      this.entries.delete(k);
      this.entries.set(k, hit);
      return hit as Promise<T>;
    }
    const p = make();
    this.entries.set(k, p);
    p.catch(() => this.entries.delete(k));
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return p;
  }
}
