import { Command } from 'commander';
import { measureTrainThroughput } from '../../bench/train-throughput';
import { intOption, numberOption } from '../numbers';
import { printResult } from '../output';

/** `collapse-lab bench train …`: training throughput of a model (images per second), warm-up excluded. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('measure engine speed');
  bench
    .command('train')
    .description('training throughput of a model on MNIST-shaped data, in images per second')
    .option('--model <kind>', 'model kind', 'vae-mlp')
    .option('--batch <n>', 'batch size', intOption('--batch', { min: 1, max: 65_536 }), 128)
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', 'auto')
    .option('--seconds <s>', 'timed duration after the warm-up', numberOption('--seconds', { above: 0, max: 86_400 }), 10)
    .option('--workers <n>', 'training threads (vae-mlp: 1, or 2 data-parallel on wasm)', intOption('--workers', { min: 1, max: 256 }))
    .option('--json', 'print as JSON', false)
    .action(async (opts: { model: string; batch: number; backend: string; seconds: number; workers?: number; json: boolean }) => {
      const r = await measureTrainThroughput(opts);
      printResult(
        { imagesPerSecond: Math.round(r.imagesPerSecond * 10) / 10, backend: r.backend, workers: r.workers },
        opts.json,
        () => `${opts.model}, batch ${opts.batch}: ${r.imagesPerSecond.toFixed(0)} images/s on ${r.backend} (${r.workers} thread${r.workers > 1 ? 's' : ''})`,
      );
    });
}
