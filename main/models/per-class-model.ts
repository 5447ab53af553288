import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { takeRows, type SampleShape, type Samples } from '../data/samples';
import { deriveSeed } from '../util/random';
import { readModelJson, writeModelJson } from './checkpoint-files';
import type { FitOptions, FitResult, GenerativeModel } from './generative-model';
import { throwIfAborted } from './generative-model';

/** The checkpoint kind of a per-class model (model.json; each class's model in `class-<c>/`). */
export const PER_CLASS_KIND = 'per-class';

/**
 * A class-conditional generator made of one model per class (config `model.perClass`), as seed 002 draws each class's
 * candidate pool from a class-conditional generator: each class's model is trained on the training set's rows of that
 * class only, and `sample(n)` draws n candidates in equal shares per class (the first n mod C classes one more), in
 * blocks of class order, which `sampleLabels(n)` names. A class that a later training set lacks keeps its model.
 */
export class PerClassModel implements GenerativeModel {
  readonly kind: string;
  readonly #make: () => GenerativeModel;
  /** The class of each model, ascending, and its model. */
  readonly #models = new Map<number, GenerativeModel>();

  /** `make` builds an untrained model of the base kind (`baseKind` with `baseParams`), one per class. */
  constructor(
    readonly baseKind: string,
    readonly baseParams: Record<string, unknown> | undefined,
    readonly shape: SampleShape,
    make: () => GenerativeModel,
  ) {
    this.kind = baseKind;
    this.#make = make;
  }

  /** The classes with a model, ascending. */
  get classes(): number[] {
    return [...this.#models.keys()].sort((a, b) => a - b);
  }

  async fit(data: Samples, opts: FitOptions): Promise<FitResult> {
    const labels = data.labels;
    if (!labels) {
      throw new Error(
        `model.perClass: the training set of generation ${opts.generation ?? 0} has no class labels (a dataset without labels, ` +
          'or synthetic rows of an unconditional model); a model per class needs them',
      );
    }
    const rowsOf = new Map<number, number[]>();
    for (let i = 0; i < data.n; i++) {
      const c = labels[i];
      let rows = rowsOf.get(c);
      if (!rows) rowsOf.set(c, (rows = []));
      rows.push(i);
    }
    const classes = [...rowsOf.keys()].sort((a, b) => a - b);
    const epochLosses: number[] = [];
    const perClass: Record<string, number>[] = [];
    for (const [k, c] of classes.entries()) {
      throwIfAborted(opts.signal);
      let model = this.#models.get(c);
      if (!model) this.#models.set(c, (model = this.#make()));
      const onProgress = opts.onProgress;
      const fit = await model.fit(takeRows(data, rowsOf.get(c)!), {
        ...opts,
        seed: deriveSeed(opts.seed, 'class', c),
        // one progress for the whole fit: class k's epochs follow the earlier classes'
        onProgress: onProgress && ((p) => onProgress({ ...p, epoch: k * p.epochs + p.epoch, epochs: classes.length * p.epochs })),
      });
      // the training loss per sample of each epoch, averaged over the classes' models weighted by their rows
      const share = rowsOf.get(c)!.length / data.n;
      fit.epochLosses.forEach((l, e) => (epochLosses[e] = (epochLosses[e] ?? 0) + share * l));
      perClass.push(fit.diagnostics ?? {});
    }
    // a diagnostic the classes' models agree on once; one that differs per class, by class (`<key>Class<c>`)
    const diagnostics: Record<string, number> = {};
    for (const key of new Set(perClass.flatMap((d) => Object.keys(d)))) {
      const values = perClass.map((d) => d[key]);
      if (values.every((v) => v === values[0])) diagnostics[key] = values[0];
      else values.forEach((v, k) => v !== undefined && (diagnostics[`${key}Class${classes[k]}`] = v));
    }
    return { epochLosses, ...(Object.keys(diagnostics).length > 0 ? { diagnostics } : {}) };
  }

  /** How many of n samples each class draws, in class order. */
  #shares(n: number): { classes: number[]; counts: number[] } {
    const classes = this.classes;
    if (classes.length === 0) throw new Error('model.perClass: nothing to sample, the model has not been fitted');
    const k = classes.length;
    return { classes, counts: classes.map((_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0)) };
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    const { classes, counts } = this.#shares(n);
    const dim = this.shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(n * dim);
    let at = 0;
    for (const [k, c] of classes.entries()) {
      if (counts[k] === 0) continue;
      out.set(await this.#models.get(c)!.sample(counts[k], deriveSeed(seed, 'class', c)), at * dim);
      at += counts[k];
    }
    return out;
  }

  sampleLabels(n: number): Int32Array {
    const { classes, counts } = this.#shares(n);
    const out = new Int32Array(n);
    let at = 0;
    for (const [k, c] of classes.entries()) {
      out.fill(c, at, at + counts[k]);
      at += counts[k];
    }
    return out;
  }

  async save(dir: string): Promise<void> {
    const classes = this.classes;
    if (classes.length === 0) throw new Error('model.perClass: nothing to save, the model has not been fitted');
    for (const c of classes) {
      const sub = join(dir, `class-${c}`);
      await mkdir(sub, { recursive: true });
      await this.#models.get(c)!.save(sub);
    }
    await writeModelJson(dir, {
      kind: PER_CLASS_KIND,
      params: { model: this.baseKind, modelParams: this.baseParams ?? {}, classes },
      shape: this.shape,
    });
  }

  /** A checkpoint written by save(dir); `load` reads each class's checkpoint, `make` builds a model for a new class. */
  static async load(
    dir: string,
    load: (dir: string) => Promise<GenerativeModel>,
    make: (baseKind: string, baseParams: Record<string, unknown>, shape: SampleShape) => GenerativeModel,
  ): Promise<PerClassModel> {
    const doc = await readModelJson(dir, PER_CLASS_KIND);
    const params = doc.params as { model?: unknown; modelParams?: unknown; classes?: unknown };
    const classes = params.classes;
    if (typeof params.model !== 'string' || !Array.isArray(classes) || !classes.every((c) => Number.isInteger(c) && c >= 0)) {
      throw new Error(`checkpoint ${dir}/model.json: a per-class model needs "params.model" (a kind) and "params.classes" (class numbers)`);
    }
    const baseKind = params.model;
    const baseParams = (params.modelParams ?? {}) as Record<string, unknown>;
    const shape = doc.shape as SampleShape;
    const m = new PerClassModel(baseKind, baseParams, shape, () => make(baseKind, baseParams, shape));
    for (const c of classes as number[]) m.#models.set(c, await load(join(dir, `class-${c}`)));
    return m;
  }

  dispose(): void {
    for (const m of this.#models.values()) m.dispose();
    this.#models.clear();
  }
}
