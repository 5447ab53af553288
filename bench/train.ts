/**
 * VAE-MLP (the catalog's default 784-400-400-20, batch 128): the training step and sampling (2,048 candidates) on
 * TensorFlow.js wasm, one thread and two data-parallel threads, beside PyTorch at one thread and at all cores
 * (bench/reference/vae_mlp_torch.py, run after ours so the two never share the cores). See bench/compare-model.ts.
 *
 *   npx tsx bench/train.ts      (or `npm run bench -- train`; BENCH_SECONDS, BENCH_BLOCKS)
 */
import { pathToFileURL } from 'node:url';
import { compareModel } from './compare-model';
import { loadLine } from './reference-env';

export async function run(): Promise<void> {
  console.log(loadLine('before'));
  await compareModel({
    model: 'vae-mlp',
    batch: 128,
    samples: 2048,
    torchScript: 'vae_mlp_torch.py',
    torchArgs: ['--batch', '128', '--samples', '2048'],
    oursAllCoresWorkers: 2,
    figures: { train: ['MLP VAE training step, batch 128', 0.3], sample: ['MLP VAE sampling, 2,048 candidates', undefined] },
  });
  console.log(loadLine('after'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
