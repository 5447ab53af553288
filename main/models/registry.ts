import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SampleShape } from '../data/samples';
import { isImageShape } from '../data/samples';
import { modelCatalog, modelEntry, resolveModelParams, type ModelKind } from '../contract/models/catalog';
import { DdpmModel } from './ddpm';
import { DiffusionExactModel } from './diffusion-exact';
import { GaussianModel } from './gaussian';
import type { GenerativeModel } from './generative-model';
import { GmmModel } from './gmm';
import { KdeModel } from './kde';
import { PER_CLASS_KIND, PerClassModel } from './per-class-model';
import { VaeConvModel } from './vae-conv';
import { VaeMlpModel } from './vae-mlp';
import { WganGpModel } from './wgan-gp';

/**
 * Model kinds → implementations. Adding a model: write main/models/<kind>.ts (a class implementing GenerativeModel
 * with `constructor(params, shape)` that parses its params, and `static load(dir)`), its catalog entry in
 * main/models/kinds/<kind>.ts with its line in main/models/catalog.ts, and its line in `implementations` below (the
 * compiler asks for it). Nothing else changes (the loop, the CLI and the checkpoints find models through here).
 */
interface ModelImplementation {
  /** Build an untrained model; `params` are already parsed (defaults applied) with the catalog schema. */
  create(params: Record<string, unknown>, shape: SampleShape): GenerativeModel;
  /** Load a checkpoint written by the model's save(dir). */
  load(dir: string): Promise<GenerativeModel>;
}

const implementations: Record<ModelKind, ModelImplementation> = {
  gaussian: { create: (p, s) => new GaussianModel(p, s), load: (d) => GaussianModel.load(d) },
  'vae-mlp': { create: (p, s) => new VaeMlpModel(p, s), load: (d) => VaeMlpModel.load(d) },
  gmm: { create: (p, s) => new GmmModel(p, s), load: (d) => GmmModel.load(d) },
  kde: { create: (p, s) => new KdeModel(p, s), load: (d) => KdeModel.load(d) },
  'diffusion-exact': { create: (p, s) => new DiffusionExactModel(p, s), load: (d) => DiffusionExactModel.load(d) },
  'wgan-gp': { create: (p, s) => new WganGpModel(p, s), load: (d) => WganGpModel.load(d) },
  'vae-conv': { create: (p, s) => new VaeConvModel(p, s), load: (d) => VaeConvModel.load(d) },
  ddpm: { create: (p, s) => new DdpmModel(p, s), load: (d) => DdpmModel.load(d) },
};

/** The catalog kind named by `kind` (a config's or a checkpoint's); an unknown one is an error naming `where`. */
function catalogKind(kind: string, where: string): ModelKind {
  if (!Object.hasOwn(modelCatalog, kind)) {
    throw new Error(`${where}: unknown model kind "${kind}"; known kinds: ${Object.keys(modelCatalog).join(', ')}`);
  }
  return kind as ModelKind;
}

/**
 * A new, untrained model. `cfg.params` is validated with the kind's catalog schema, which fills in defaults. With
 * `perClass`, one model of the kind per class of the training data (main/models/per-class-model.ts).
 */
export function createModel(
  cfg: { kind: string; params?: Record<string, unknown>; perClass?: boolean },
  shape: SampleShape,
): GenerativeModel {
  if (cfg.perClass) {
    const base = { kind: cfg.kind, params: cfg.params };
    createModel(base, shape).dispose(); // the kind and its params checked now, not at the first class
    return new PerClassModel(cfg.kind, cfg.params, shape, () => createModel(base, shape));
  }
  const kind = catalogKind(cfg.kind, 'model');
  if (modelEntry(kind).imagesOnly && !isImageShape(shape)) {
    throw new Error(`model "${kind}" needs images (height × width × channels), but the data are vectors of shape [${shape.join(', ')}]`);
  }
  return implementations[kind].create(resolveModelParams({ kind, params: cfg.params }), shape);
}

/** Load a checkpoint folder written by a model's save(dir); the kind is read from its model.json. */
export async function loadModel(dir: string): Promise<GenerativeModel> {
  const path = join(dir, 'model.json');
  let kind: unknown;
  try {
    kind = (JSON.parse(await readFile(path, 'utf8')) as { kind?: unknown }).kind;
  } catch (err) {
    throw new Error(`cannot read checkpoint ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (typeof kind !== 'string') throw new Error(`checkpoint ${path} has no "kind"`);
  if (kind === PER_CLASS_KIND) return PerClassModel.load(dir, loadModel, (k, params, shape) => createModel({ kind: k, params }, shape));
  return implementations[catalogKind(kind, `checkpoint ${path}`)].load(dir);
}
