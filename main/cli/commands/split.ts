import { Command } from 'commander';
import { z } from 'zod';
import { datasetConfig, experimentConfig, type DatasetConfig } from '../../contract/config';
import { describeIssues } from '../../contract/run-record';
import { defaultSplit, splits } from '../../contract/split-spec';
import { previewSplit } from '../../index';
import { intOption, seedOption } from '../numbers';
import { printResult, readJsonFile } from '../output';

/** What `split --config` takes from an experiment config, checked by the config's own rules (the rest is ignored). */
const splitPart = z.object({
  seed: experimentConfig.shape.seed,
  dataset: datasetConfig,
  islands: experimentConfig.shape.islands,
});

export function registerSplitCommand(program: Command): void {
  program
    .command('split')
    .description('show how a dataset is divided into islands')
    .option('--dataset <kind>', 'mnist, fashion-mnist, gaussian (or give --config)', 'mnist')
    .option('--config <file>', 'take the dataset, islands and seed from an experiment config')
    .option('--subset <n>', 'training samples to use', intOption('--subset', { min: 1, max: 10_000_000 }))
    .option('--islands <k>', 'number of islands', intOption('--islands', { min: 1, max: 1000 }), 10)
    .option('--split <kind>', splits.kinds.map((k) => splits.usage(k)).join(' | '), defaultSplit)
    .option('--seed <s>', 'seed', seedOption(), 0)
    .option('--json', 'print as JSON', false)
    .action(
      async (opts: { dataset: string; config?: string; subset?: number; islands: number; split: string; seed: number; json: boolean }) => {
        let input: { dataset: DatasetConfig; islands: { count: number; split: string }; seed: number };
        if (opts.config) {
          const c = readJsonFile(opts.config);
          const r = splitPart.safeParse(c !== null && typeof c === 'object' ? c : {});
          if (!r.success) throw new Error(`config file ${opts.config}: ${describeIssues(r.error)}`);
          input = r.data;
        } else {
          const ds = datasetConfig.safeParse({ kind: opts.dataset, ...(opts.subset ? { subset: opts.subset } : {}) });
          if (!ds.success) throw new Error(`--dataset ${opts.dataset}: ${ds.error.issues.map((i) => i.message).join('; ')}`);
          input = { dataset: ds.data, islands: { count: opts.islands, split: opts.split }, seed: opts.seed };
        }
        const preview = await previewSplit(input);
        printResult({ islands: preview.islands, numClasses: preview.numClasses, trainSize: preview.trainSize }, opts.json, () =>
          preview.islands.map((isl, k) => `island ${k}: ${isl.size} samples  classes [${isl.classCounts.join(' ')}]`).join('\n'),
        );
      },
    );
}
