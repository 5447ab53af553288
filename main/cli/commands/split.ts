import { Command } from 'commander';
import { datasetConfig, type DatasetConfig } from '../../contract/config';
import { previewSplit } from '../../islands/preview-split';
import { printResult, readJsonFile } from '../output';

export function registerSplitCommand(program: Command): void {
  program
    .command('split')
    .description('show how a dataset is divided into islands')
    .option('--dataset <kind>', 'mnist, fashion-mnist, gaussian (or give --config)', 'mnist')
    .option('--config <file>', 'take the dataset, islands and seed from an experiment config')
    .option('--subset <n>', 'training samples to use', (v) => parseInt(v, 10))
    .option('--islands <k>', 'number of islands', (v) => parseInt(v, 10), 10)
    .option('--split <kind>', 'iid | dirichlet:ALPHA | exdir:C,ALPHA | quantity:BETA', 'iid')
    .option('--seed <s>', 'seed', (v) => parseInt(v, 10), 0)
    .option('--json', 'print as JSON', false)
    .action(async (opts: { dataset: string; config?: string; subset?: number; islands: number; split: string; seed: number; json: boolean }) => {
      let input: { dataset: DatasetConfig; islands: { count: number; split: string }; seed: number };
      if (opts.config) {
        const c = readJsonFile(opts.config) as { dataset: unknown; islands?: { count?: number; split?: string }; seed?: number };
        input = {
          dataset: datasetConfig.parse(c.dataset),
          islands: { count: c.islands?.count ?? 1, split: c.islands?.split ?? 'iid' },
          seed: c.seed ?? 0,
        };
      } else {
        const ds = datasetConfig.safeParse({ kind: opts.dataset, ...(opts.subset ? { subset: opts.subset } : {}) });
        if (!ds.success) throw new Error(`--dataset ${opts.dataset}: ${ds.error.issues.map((i) => i.message).join('; ')}`);
        input = { dataset: ds.data, islands: { count: opts.islands, split: opts.split }, seed: opts.seed };
      }
      const preview = await previewSplit(input);
      printResult({ islands: preview.islands, numClasses: preview.numClasses, trainSize: preview.trainSize }, opts.json, () =>
        preview.islands.map((isl, k) => `island ${k}: ${isl.size} samples  classes [${isl.classCounts.join(' ')}]`).join('\n'),
      );
    });
}
