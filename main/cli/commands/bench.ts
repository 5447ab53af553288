import { Command, InvalidArgumentError } from 'commander';
import { measureTrainThroughput } from '../../bench/train-throughput';
import { printResult } from '../output';

const positiveInt = (name: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`${name} must be an integer ≥ 1`);
  return x;
};
const positiveNumber = (name: string) => (v: string) => {
  const x = Number(v);
  if (!(x > 0) || !Number.isFinite(x)) throw new InvalidArgumentError(`${name} must be a positive number`);
  return x;
};

/** `collapse-lab bench train …`: training throughput of a model (images per second), warm-up excluded. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('measure engine speed');
  bench
    .command('train')
    .description('training throughput of a model on MNIST-shaped data, in images per second')
    .option('--model <kind>', 'model kind', 'vae-mlp')
    .option('--batch <n>', 'batch size', positiveInt('--batch'), 128)
    .option('--backend <name>', 'auto | tensorflow | wasm | cpu', 'auto')
    .option('--seconds <s>', 'timed duration after the warm-up', positiveNumber('--seconds'), 10)
    .option('--workers <n>', 'training threads (vae-mlp: 1, or 2 data-parallel on wasm)', positiveInt('--workers'))
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
