import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { describeFingerprint, frechetName, singularWarning, type FeatureFingerprint } from '../../contract/feature-fingerprint';
import type { FeatureSpaceSpec } from '../../contract/feature-space-spec';
import {
  builtinReferenceDir,
  compareSampleSets,
  readSampleFile,
  trainReferenceClassifier,
  workspaceOption,
  type SampleSetComparison,
} from '../../index';
import { featureSpaceOption, intOption, seedOption } from '../numbers';
import { printResult } from '../output';

export interface MetricsCommandOptions {
  real: string;
  fake: string;
  features?: FeatureSpaceSpec;
  k: number;
  reference?: string;
  maxSamples?: number;
  seed: number;
  json: boolean;
}

export function registerMetricsCommand(program: Command): void {
  program
    .command('metrics')
    .description('FID, precision/recall/density/coverage, W1 and more between a real and a generated sample set')
    .requiredOption('--real <path>', 'real samples: .npy [n, d] (or [n, h, w(, c)]), an IDX file (optionally gzipped), or a folder of PNGs')
    .requiredOption('--fake <path>', 'generated samples, same forms')
    .option(
      '--features <space>',
      'raw | reference | pca:K | onnx:PATH (default: reference when a classifier is known, else raw)',
      featureSpaceOption(),
    )
    .option('--k <k>', 'neighbours for precision/recall/density/coverage', intOption('--k', { min: 1, max: 1000 }), 3)
    .option('--reference <name|dir>', 'reference classifier: mnist, fashion-mnist, or a folder made by train-reference')
    .option(
      '--max-samples <n>',
      'use at most n samples per side (seeded subsample)',
      intOption('--max-samples', { min: 1, max: 10_000_000 }),
    )
    .option('--seed <s>', 'seed of any subsampling', seedOption(), 0)
    .option('--json', 'print as JSON', false)
    .action(async (opts: MetricsCommandOptions) => {
      const r = await metricsCommand(opts);
      const fp = r.featureFingerprint as FeatureFingerprint | undefined;
      printResult(r, opts.json, () =>
        Object.entries(r)
          .map(([key, v]) => {
            if (key === 'featureFingerprint' && fp)
              return describeFingerprint(fp)
                .map((line, i) => (i === 0 ? `${key}: ${line}` : `  ${line}`))
                .join('\n');
            if (key === 'fid' && fp) return `${key}: ${v}  (${frechetName(fp)})`;
            return `${key}: ${Array.isArray(v) ? v.map((x) => +x.toFixed(4)).join(' ') : v}`;
          })
          .join('\n'),
      );
      // a Fréchet distance from fewer samples than feature dimensions is biased: said on stderr too, with --json
      if (fp && opts.json && Math.min(fp.nReal, fp.nGenerated) <= fp.featureDim) process.stderr.write(`warning: ${singularWarning(fp)}\n`);
    });

  program
    .command('train-reference')
    .description('train a reference classifier (features and labels for the metrics) on labelled real data')
    .requiredOption('--data <path>', 'labelled images: a folder with one sub-folder of PNGs per class, or an IDX/.npy file with --labels')
    .option('--labels <file>', 'labels for an IDX or .npy data file (1-D IDX, or 1-D .npy of integers)')
    .requiredOption('--out <dir>', 'folder to write model.json and weights.bin into')
    .option('--arch <name>', 'cnn (images ≥ 16×16) | mlp (default: cnn when possible)')
    .option('--epochs <n>', 'passes over the data', intOption('--epochs', { min: 1, max: 10_000 }))
    .option('--seed <s>', 'seed', seedOption(), 0)
    .option('--json', 'print as JSON', false)
    .action(async (opts: { data: string; labels?: string; out: string; arch?: string; epochs?: number; seed: number; json: boolean }) => {
      if (opts.arch && opts.arch !== 'cnn' && opts.arch !== 'mlp') throw new Error(`--arch must be cnn or mlp, got "${opts.arch}"`);
      const outDir = workspaceOption(opts.out, { create: true }); // checked before the data is read and the training runs
      const { samples, shape } = await readSampleFile(opts.data, { labels: opts.labels });
      if (!samples.labels) throw new Error(`--data ${opts.data} has no labels: use a folder of class sub-folders, or give --labels`);
      let numClasses = 0;
      for (const l of samples.labels) numClasses = Math.max(numClasses, l + 1);
      const res = await trainReferenceClassifier(samples, shape, numClasses, {
        outDir,
        arch: opts.arch as 'cnn' | 'mlp' | undefined,
        epochs: opts.epochs,
        seed: opts.seed,
        datasetName: opts.data,
        onEpoch: (e) =>
          process.stderr.write(
            `epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(4)}  held-out accuracy ${e.heldOutAccuracy.toFixed(4)}\n`,
          ),
      });
      printResult(
        res,
        opts.json,
        () => `wrote ${res.dir} (${res.arch}); held-out accuracy ${res.heldOutAccuracy.toFixed(4)} on ${res.heldOutSize} samples`,
      );
    });
}

/** The `metrics` computation (exported for tests): reads the two sets, names the classifier, asks the engine. */
export async function metricsCommand(opts: MetricsCommandOptions): Promise<SampleSetComparison> {
  const real = await readSampleFile(opts.real);
  const fake = await readSampleFile(opts.fake);
  if (real.samples.dim !== fake.samples.dim) {
    throw new Error(
      `--real has ${real.samples.dim} values per sample (${real.shape.join('×')}) but --fake has ${fake.samples.dim} (${fake.shape.join('×')})`,
    );
  }
  // the classifier: a built-in name, a folder, or none
  let datasetName = '';
  let referenceDir: string | undefined;
  if (opts.reference) {
    if (builtinReferenceDir(opts.reference)) datasetName = opts.reference;
    else if (existsSync(opts.reference)) referenceDir = opts.reference;
    else throw new Error(`--reference ${opts.reference}: neither a built-in classifier (mnist, fashion-mnist) nor a folder`);
  }
  return compareSampleSets({
    real: real.samples,
    fake: fake.samples,
    shape: real.shape,
    features: opts.features,
    k: opts.k,
    seed: opts.seed,
    maxSamples: opts.maxSamples,
    datasetName,
    referenceDir,
  });
}
