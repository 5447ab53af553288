import { Command, InvalidArgumentError } from 'commander';
import { benchModels, measureTrainThroughput, type TrainThroughput } from '../../index';
import { backendRequests } from '../../contract/backend-request';
import { intOption, numberOption } from '../numbers';
import { printResult } from '../output';

/** The JSON of `bench train`: each step's own rate at the top level (trainImagesPerSecond, criticImagesPerSecond …). */
export function benchTrainJson(r: TrainThroughput): Record<string, unknown> {
  const round = (v: number) => Math.round(v * 10) / 10;
  const out: Record<string, unknown> = {
    model: r.model,
    imagesPerSecond: round(r.imagesPerSecond),
    backend: r.backend,
    threads: r.threads,
    workers: r.workers,
    batch: r.batch,
    samples: r.samples,
    setting: r.setting,
    params: r.params,
  };
  for (const [name, s] of Object.entries(r.steps)) out[`${name}ImagesPerSecond`] = round(s.imagesPerSecond);
  const counted = Object.entries(r.steps).filter(([, s]) => s.flopsPerImage !== undefined);
  if (counted.length) {
    out.flopsPerImage = Object.fromEntries(counted.map(([n, s]) => [n, s.flopsPerImage]));
    out.gflops = Object.fromEntries(counted.map(([n, s]) => [n, Math.round(s.gflops! * 1000) / 1000]));
  }
  if (r.peakGflops !== undefined) {
    out.peakGflops = Math.round(r.peakGflops * 100) / 100;
    out.peakFraction = Object.fromEntries(Object.entries(r.steps).map(([n, s]) => [n, Math.round((s.peakFraction ?? 0) * 1000) / 1000]));
  }
  out.load = r.load;
  return out;
}

function paramsOption(raw: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw new InvalidArgumentError(`--params must be a JSON object of model params, got "${raw}"`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidArgumentError(`--params must be a JSON object of model params, got "${raw}"`);
  return v as Record<string, unknown>;
}

/** `collapse-lab bench train …`: per-step throughput of a neural model (images per second), warm-up excluded. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description('measure engine speed');
  bench
    .command('train')
    .description('per-step training and sampling throughput of a model kind (MNIST-shaped images, or vectors), in images per second')
    .option('--model <kind>', benchModels.join(' | '), 'vae-mlp')
    .option('--batch <n>', 'batch size', intOption('--batch', { min: 1, max: 65_536 }), 128)
    .option('--samples <n>', 'candidates per sampling call (default 512; ddpm 32)', intOption('--samples', { min: 1, max: 1_000_000 }))
    .option('--backend <name>', backendRequests.join(' | '), 'auto')
    .option('--seconds <s>', 'timed seconds per step after the warm-up', numberOption('--seconds', { above: 0, max: 86_400 }), 10)
    .option('--blocks <n>', 'timed blocks per step (the median is reported)', intOption('--blocks', { min: 1, max: 1000 }), 3)
    .option('--workers <n>', 'training threads (vae-mlp: 1, or 2 data-parallel on wasm)', intOption('--workers', { min: 1, max: 256 }))
    .option('--params <json>', 'model param overrides, e.g. \'{"width":64}\' or \'{"channels":[32,64],"samplingSteps":10}\'', paramsOption)
    .option('--peak', "also measure the backend's matMul peak and each step's fraction of it", false)
    .option('--json', 'print as JSON', false)
    .action(
      async (opts: {
        model: string;
        batch: number;
        samples?: number;
        backend: string;
        seconds: number;
        blocks: number;
        workers?: number;
        params?: Record<string, unknown>;
        peak: boolean;
        json: boolean;
      }) => {
        const r = await measureTrainThroughput(opts);
        printResult(benchTrainJson(r), opts.json, () =>
          [
            `${r.model} (${r.setting}${r.params === undefined ? '' : `, ${r.params} params`}) on ${r.backend}, ${r.threads} thread${r.threads > 1 ? 's' : ''}, ${r.load}`,
            ...Object.entries(r.steps).map(
              ([name, s]) =>
                `  ${name.padEnd(10)} ${s.imagesPerSecond.toFixed(1).padStart(9)} images/s` +
                (s.flopsPerImage === undefined || s.gflops === undefined
                  ? ''
                  : `  ${(s.flopsPerImage / 1e6).toFixed(1).padStart(8)} MFLOP/image  ${s.gflops.toFixed(2).padStart(6)} GFLOP/s`) +
                (s.peakFraction !== undefined
                  ? `  ${(100 * s.peakFraction).toFixed(0)}% of the ${r.peakGflops!.toFixed(1)} GFLOP/s matMul peak`
                  : ''),
            ),
          ].join('\n'),
        );
      },
    );
}
