/**
 * The throwaway kinds that test/docs/architecture.test.ts adds to a copy of the tree, one of each thing
 * docs/ARCHITECTURE.md says how to add: a model (`constant-gaussian`: N(0, scale² I) whatever the data), a scheme
 * (`first-n`: the n candidates after `skip`), a dataset kind (`uniform-cube`: uniform draws in [0, 1]^dim), a
 * metric (`maxAbsValue`: the largest |x| of the generated samples), a paradigm (`real-subset:F`: a fraction F of the
 * real data each generation, nothing synthetic) and an island split (`blocks`: the rows in file order cut into blocks). Each is keyed by the doc's subsection and by the
 * file paths as the doc writes them (placeholders included); an edited file is changed by small insertions at edit
 * points that must each occur exactly once.
 */

/** A change to an existing file: text put at its start, or right after an anchor that occurs exactly once. */
export interface DummyInsertion {
  /** Where: `start` (the file's first line, for an import) or the text to insert after. */
  after: 'start' | string;
  text: string;
}

export type DummyFileChange = { action: 'new'; content: string } | { action: 'edit'; insertions: DummyInsertion[] };

export interface DummyKind {
  /** The doc's subsection title (`### A model`). */
  heading: string;
  /** What the doc's placeholders stand for in this dummy. */
  placeholders: Record<string, string>;
  /** Path as the doc writes it → the change. */
  files: Record<string, DummyFileChange>;
}

const constantGaussianEntry = `import { z } from 'zod';
import { closedFormCost, declareModelKind, neverWarmStarts } from '../model-kind';

export const constantGaussianParams = z
  .object({
    /** Standard deviation of every coordinate. */
    scale: z.number().positive().default(1),
  })
  .strict();

export const constantGaussianKind = declareModelKind({
  kind: 'constant-gaussian',
  label: 'Constant Gaussian',
  description: 'Samples N(0, scale² I) whatever the data: a model that learns nothing.',
  params: constantGaussianParams,
  imagesOnly: false,
  warmStarts: neverWarmStarts,
  cost: (_p, data) => closedFormCost(data),
});
`;

const constantGaussianModel = `import type { z } from 'zod';
import type { SampleShape, Samples } from '../data/samples';
import { dimOf } from '../data/samples';
import { Rng, deriveSeed } from '../util/random';
import { readModelJson, writeModelJson } from './checkpoint-files';
import type { FitOptions, FitResult, GenerativeModel } from './generative-model';
import { constantGaussianParams } from '../contract/models/kinds/constant-gaussian';

/** N(0, scale² I), whatever it is trained on. */
export class ConstantGaussianModel implements GenerativeModel {
  readonly kind = 'constant-gaussian';
  readonly params: z.output<typeof constantGaussianParams>;

  constructor(
    params: z.input<typeof constantGaussianParams>,
    readonly shape: SampleShape,
  ) {
    this.params = constantGaussianParams.parse(params);
  }

  async fit(data: Samples, _opts: FitOptions): Promise<FitResult> {
    if (data.dim !== dimOf(this.shape)) throw new RangeError('constant-gaussian: data dimension ' + data.dim + ' differs from the model');
    return { epochLosses: [0] };
  }

  async sample(n: number, seed: number): Promise<Float32Array> {
    const rng = new Rng(deriveSeed(seed, 'constant-gaussian-sample'));
    const out = new Float32Array(n * dimOf(this.shape));
    for (let i = 0; i < out.length; i++) out[i] = this.params.scale * rng.normal();
    return out;
  }

  async save(dir: string): Promise<void> {
    await writeModelJson(dir, { kind: this.kind, params: this.params, shape: this.shape });
  }

  static async load(dir: string): Promise<ConstantGaussianModel> {
    const doc = await readModelJson(dir, 'constant-gaussian');
    return new ConstantGaussianModel(doc.params as z.input<typeof constantGaussianParams>, doc.shape);
  }

  dispose(): void {}
}
`;

const firstNEntry = `import { z } from 'zod';
import { declareScheme, noSeconds } from '../scheme-kind';

export const firstNSchemeKind = declareScheme({
  name: 'first-n',
  label: 'First n after a skip',
  description: 'Keeps the n candidates that follow the first skip ones.',
  usesReference: false,
  usesFeatures: false,
  usesTarget: false,
  decides: true,
  privacy: 'No island is asked anything.',
  params: z.object({ skip: z.number().int().min(0).default(0) }).strict(),
  seconds: noSeconds,
});
`;

const firstNScheme = `import type { SelectionScheme } from './scheme';

/** The n candidates after the first \`skip\` ones. */
export const firstNScheme: SelectionScheme = {
  name: 'first-n',
  async select({ candidates, keep, params }) {
    const skip = params.skip as number;
    if (skip + keep > candidates.n) throw new RangeError('first-n: cannot keep ' + keep + ' of ' + candidates.n + ' candidates after ' + skip);
    return { selected: Int32Array.from({ length: keep }, (_, i) => skip + i), diagnostics: { skipped: skip } };
  },
};
`;

const uniformCubeDeclaration = `import { z } from 'zod';
import { declareDatasetKind } from './dataset-kind';

/** Uniform draws in the cube [0, 1]^dim, generated from the seed. */
export const uniformCubeDeclaration = declareDatasetKind({
  kind: 'uniform-cube',
  label: 'Uniform cube',
  detail: 'vectors uniform in [0, 1]^d, generated',
  builtinLabel: 'Uniform cube (generated)',
  readsUserFiles: false,
  schema: z
    .object({
      kind: z.literal('uniform-cube'),
      dim: z.number().int().min(1).max(4096).default(2),
      trainSize: z.number().int().min(2).max(10_000_000).default(1000),
      testSize: z.number().int().min(2).max(10_000_000).default(1000),
    })
    .strict(),
  wizardDefaults: { kind: 'uniform-cube', dim: 2, trainSize: 1000, testSize: 1000 },
  samplesAreImages: () => false,
});
`;

const uniformCubeEntry = `import { uniformCubeDeclaration } from '../../contract/datasets/uniform-cube';
import type { DatasetKindEntry } from '../dataset-kind-entry';
import type { Samples } from '../samples';
import { rngFor } from '../../util/random';

function uniformRows(n: number, dim: number, seed: number, split: string): Samples {
  const rng = rngFor(seed, 'uniform-cube', split);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniform();
  return { x, n, dim };
}

/** The uniform cube: generated from the config and the seed, so always available and sized by the config. */
export const uniformCubeEntry: DatasetKindEntry<'uniform-cube'> = {
  ...uniformCubeDeclaration,
  unavailableReason: () => undefined,
  load: (cfg, seed) => ({
    name: 'uniform-cube',
    shape: [cfg.dim],
    numClasses: 0,
    train: uniformRows(cfg.trainSize, cfg.dim, seed, 'train'),
    test: uniformRows(cfg.testSize, cfg.dim, seed, 'test'),
  }),
  plannedSize: (cfg) => ({ trainN: cfg.trainSize, dim: cfg.dim }),
  facts: (cfg) => ({ dim: cfg.dim, trainN: cfg.trainSize, testN: cfg.testSize, fileBytes: 0, field: 'dataset.trainSize' }),
};
`;

const maxAbsValueMetric = `/** The largest absolute value among the first \`count\` values of \`x\` (0 for none). */
export function maxAbsValue(x: ArrayLike<number>, count: number): number {
  let m = 0;
  for (let i = 0; i < count; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}
`;

const realSubsetEntry = `import { declareParadigm } from '../paradigm-kind';

/** A fraction F of the real data, drawn anew each generation, and nothing synthetic: a control. */
export const realSubsetParadigm = declareParadigm({
  name: 'real-subset',
  label: 'Real subset',
  detail: 'a fraction F of the real data each generation, nothing synthetic',
  fields: {
    fraction: { symbol: 'F', label: 'Fraction F', initial: 0.5, check: (v) => (v > 0 && v <= 1 ? undefined : 'must be in (0, 1]') },
  },
  readsHistory: false,
  usesTrainSize: false,
  usesSyntheticPerReal: false,
  plan: (v, at) => {
    const real = Math.round(v.fraction * at.realN);
    return { size: real, real, synthetic: 0 };
  },
  memory: (last) => ({ what: 'the training set (' + last.size + ' real samples)', field: 'loop.paradigm', rows: last.size }),
});
`;

const realSubsetBuilder = `import { takeRows } from '../../data/samples';
import type { TrainingSetBuilder } from './training-set-builder';

/** round(F × the real rows), drawn without replacement. */
export const realSubsetTrainingSet: TrainingSetBuilder<'real-subset'> = (paradigm, { real, rng }) => {
  const m = Math.round(paradigm.fraction * real.n);
  return { data: takeRows(real, rng.choose(real.n, m)), realCount: m, syntheticCount: 0 };
};
`;

const blocksEntry = `import { declareSplit } from '../split-kind';

/** The rows in file order, cut into near-equal blocks. */
export const blocksSplitKind = declareSplit({
  name: 'blocks',
  label: 'Blocks (file order)',
  detail: 'the rows in file order cut into near-equal blocks',
  needsLabels: false,
  fields: {},
});
`;

const blocksSplit = `import type { SplitFunction } from './types';

/** Island k holds rows floor(k·n/K) .. floor((k+1)·n/K) − 1. */
export const blocksSplit: SplitFunction = ({ n, islands }) =>
  Array.from({ length: islands }, (_, k) => {
    const lo = Math.floor((k * n) / islands);
    const hi = Math.floor(((k + 1) * n) / islands);
    return Int32Array.from({ length: hi - lo }, (_, i) => lo + i);
  });
`;

export const dummyKinds: DummyKind[] = [
  {
    heading: 'A model',
    placeholders: { '<kind>': 'constant-gaussian' },
    files: {
      'main/contract/models/kinds/<kind>.ts': { action: 'new', content: constantGaussianEntry },
      'main/models/<kind>.ts': { action: 'new', content: constantGaussianModel },
      'main/contract/models/catalog.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { constantGaussianKind } from './kinds/constant-gaussian';\n" },
          { after: 'export const modelCatalog = {\n', text: "  'constant-gaussian': constantGaussianKind,\n" },
        ],
      },
      'main/models/registry.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { ConstantGaussianModel } from './constant-gaussian';\n" },
          {
            after: 'const implementations: Record<ModelKind, ModelImplementation> = {\n',
            text: "  'constant-gaussian': { create: (p, s) => new ConstantGaussianModel(p, s), load: (d) => ConstantGaussianModel.load(d) },\n",
          },
        ],
      },
    },
  },
  {
    heading: 'A scheme',
    placeholders: { '<name>': 'first-n' },
    files: {
      'main/contract/selection/kinds/<name>.ts': { action: 'new', content: firstNEntry },
      'main/selection/<name>.ts': { action: 'new', content: firstNScheme },
      'main/contract/selection/catalog.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { firstNSchemeKind } from './kinds/first-n';\n" },
          { after: 'export const selectionCatalog = {\n', text: "  'first-n': firstNSchemeKind,\n" },
        ],
      },
      'main/selection/registry.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { firstNScheme } from './first-n';\n" },
          { after: 'const schemes: Record<SchemeName, () => SelectionScheme> = {\n', text: "  'first-n': () => firstNScheme,\n" },
        ],
      },
    },
  },
  {
    heading: 'A dataset kind',
    placeholders: { '<kind>': 'uniform-cube' },
    files: {
      'main/contract/datasets/<kind>.ts': { action: 'new', content: uniformCubeDeclaration },
      'main/contract/datasets/dataset-kinds.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { uniformCubeDeclaration } from './uniform-cube';\n" },
          { after: 'export const datasetDeclarations = [\n', text: '  uniformCubeDeclaration,\n' },
        ],
      },
      'main/data/kinds/<kind>.ts': { action: 'new', content: uniformCubeEntry },
      'main/data/dataset-registry.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { uniformCubeEntry } from './kinds/uniform-cube';\n" },
          { after: 'const entries: { [K in DatasetKind]: DatasetKindEntry<K> } = {\n', text: "  'uniform-cube': uniformCubeEntry,\n" },
        ],
      },
    },
  },
  {
    heading: 'A metric',
    placeholders: { '<metric>': 'max-abs-value' },
    files: {
      'main/metrics/<metric>.ts': { action: 'new', content: maxAbsValueMetric },
      'main/contract/metric-catalog.ts': {
        action: 'edit',
        insertions: [
          {
            after: 'export const metricCatalog = [\n',
            text: "  { key: 'maxAbsValue', label: 'max |x|', section: 'quality', description: 'largest absolute value of the generated samples' },\n",
          },
        ],
      },
      'main/metrics/generation-metrics.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { maxAbsValue } from './max-abs-value';\n" },
          {
            after: 'export interface GenerationMetrics {\n',
            text: '  /** The largest absolute value of the generated samples. */\n  maxAbsValue: number;\n',
          },
          {
            after: "const result: Omit<GenerationMetrics, 'seconds'> = {\n",
            text: '    maxAbsValue: maxAbsValue(input.generated.x, input.generated.n * input.generated.dim),\n',
          },
        ],
      },
    },
  },
  {
    heading: 'A paradigm',
    placeholders: { '<name>': 'real-subset' },
    files: {
      'main/contract/paradigms/kinds/<name>.ts': { action: 'new', content: realSubsetEntry },
      'main/loop/paradigms/<name>.ts': { action: 'new', content: realSubsetBuilder },
      'main/contract/paradigms/catalog.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { realSubsetParadigm } from './kinds/real-subset';\n" },
          { after: 'export const paradigmCatalog = {\n', text: "  'real-subset': realSubsetParadigm,\n" },
        ],
      },
      'main/loop/paradigms/registry.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { realSubsetTrainingSet } from './real-subset';\n" },
          {
            after: 'const builders: { [K in ParadigmName]: TrainingSetBuilder<K> } = {\n',
            text: "  'real-subset': realSubsetTrainingSet,\n",
          },
        ],
      },
    },
  },
  {
    heading: 'An island split',
    placeholders: { '<name>': 'blocks' },
    files: {
      'main/contract/splits/kinds/<name>.ts': { action: 'new', content: blocksEntry },
      'main/islands/splits/<name>.ts': { action: 'new', content: blocksSplit },
      'main/contract/splits/catalog.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { blocksSplitKind } from './kinds/blocks';\n" },
          { after: 'export const splitCatalog = {\n', text: '  blocks: blocksSplitKind,\n' },
        ],
      },
      'main/islands/splits/registry.ts': {
        action: 'edit',
        insertions: [
          { after: 'start', text: "import { blocksSplit } from './blocks';\n" },
          {
            after: 'const splitFunctions: { [K in SplitName]: (spec: Extract<SplitSpec, { kind: K }>) => SplitFunction } = {\n',
            text: '  blocks: () => blocksSplit,\n',
          },
        ],
      },
    },
  },
];

/** The tiny run that uses all six dummies at once (seconds on the project's machine). */
export const dummyRunConfig = {
  name: 'architecture-dummies',
  seed: 1,
  dataset: { kind: 'uniform-cube', dim: 2, trainSize: 200, testSize: 200 },
  islands: { count: 2, split: 'blocks' },
  model: { kind: 'constant-gaussian' },
  loop: { generations: 2, paradigm: 'real-subset:0.5', keep: 50, ratio: 2 },
  selection: { scheme: 'first-n', params: { skip: 3 } },
  gridSamples: 16,
};
