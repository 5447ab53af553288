import { makeFolderIn } from '../util/make-folder-in';
import type { ExperimentConfig } from '../contract/config';
import type { IslandsRecord } from '../contract/run-record';
import fs from 'node:fs';
import { readNpy, readNpyAsFloat32, writeNpy } from '../data/npy';
import { encodeSampleGrid, encodeScatterPng, type ScatterLabel } from '../data/png';
import { isImageShape, takeRows, type Dataset, type Samples } from '../data/samples';
import { islandPictureRows } from '../islands/preview-split';
import { writeFileAtomicSync } from '../util/atomic-write';
import type { RunSink } from './run-sink';

/** The files of a run that the loop writes and reads back: generation folders, grids, kept samples, island pictures. */

export function genName(g: number): string {
  return `gen-${String(g).padStart(3, '0')}`;
}

/** Most points drawn in a vector dataset's scatter grid (samples and reference each). */
export const SCATTER_POINTS = 2000;

/**
 * A generation's kept samples, `kept.npy`, and their classes when they have them (a class-conditional model's,
 * config model.perClass), `kept-labels.npy`: what a resumed run reads back.
 */
export async function writeKept(sink: RunSink, g: number, kept: Samples): Promise<void> {
  await writeNpy(sink.file(genName(g), 'kept.npy'), kept.x, [kept.n, kept.dim]);
  if (kept.labels) await writeNpy(sink.file(genName(g), KEPT_LABELS), kept.labels, [kept.n]);
}

const KEPT_LABELS = 'kept-labels.npy';

/** The kept samples of a completed generation, as the loop needs them to rebuild its history on resume. */
export function readKept(sink: RunSink, g: number, dim: number): Samples {
  const p = sink.file(genName(g), 'kept.npy');
  const { shape, data } = readNpyAsFloat32(p);
  if (shape.length !== 2 || shape[1] !== dim) {
    throw new Error(`${p}: expected kept samples of shape [n, ${dim}], found [${shape.join(', ')}]`);
  }
  const kept: Samples = { x: data, n: shape[0], dim };
  const lp = sink.file(genName(g), KEPT_LABELS);
  if (fs.existsSync(lp)) {
    const labels = readNpy(lp);
    if (labels.shape.length !== 1 || labels.shape[0] !== kept.n || !(labels.data instanceof Int32Array)) {
      throw new Error(`${lp}: expected ${kept.n} int32 classes of the kept samples, found ${labels.dtype} [${labels.shape.join(', ')}]`);
    }
    kept.labels = labels.data;
  }
  return kept;
}

/**
 * The rows of a generation's rejected grid: the first `count` candidates (in candidate order, itself a random draw of
 * the model) that the selection did not keep. Deterministic, and it draws no random numbers, so nothing else changes.
 */
export function rejectedRows(candidates: number, selected: ArrayLike<number>, count: number): number[] {
  const kept = new Uint8Array(candidates);
  for (let i = 0; i < selected.length; i++) kept[selected[i]] = 1;
  const out: number[] = [];
  for (let r = 0; r < candidates && out.length < count; r++) if (!kept[r]) out.push(r);
  return out;
}

/** A picture of samples: an image grid for image data, a scatter over the test split for vectors. */
export function writeGrid(sink: RunSink, name: string, s: Samples, dataset: Dataset, count: number, label?: ScatterLabel): void {
  const n = Math.min(count, s.n);
  const png = isImageShape(dataset.shape)
    ? encodeSampleGrid(s.x, n, dataset.shape)
    : encodeScatterPng(s.x, Math.min(s.n, SCATTER_POINTS), s.dim, {
        reference: { x: dataset.test.x, n: Math.min(dataset.test.n, SCATTER_POINTS) },
        ...(label ? { label } : {}),
      });
  writeFileAtomicSync(sink.file(name), png);
}

/** islands.json and one picture per island, written once at the start of a run. */
export function writeIslands(
  sink: RunSink,
  config: ExperimentConfig,
  dataset: Dataset,
  summary: { size: number; classCounts: number[] }[],
  islandData: Samples[],
): void {
  const record: IslandsRecord = {
    split: config.islands.split,
    numClasses: dataset.numClasses,
    classNames: dataset.classNames ?? null,
    islands: summary,
  };
  sink.writeIslands(record);
  makeFolderIn(sink.file('islands'));
  // each island as drawn: a seeded sample of its rows (the split preview's picture), not its first rows
  const count = isImageShape(dataset.shape) ? config.gridSamples : SCATTER_POINTS;
  islandData.forEach((d, k) => {
    const rows = islandPictureRows(d.n, count, config.seed, k);
    writeGrid(sink, `islands/island-${String(k).padStart(2, '0')}.png`, takeRows(d, rows), dataset, config.gridSamples, 'ISLAND');
  });
}
