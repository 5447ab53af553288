/**
^ * VAE-MLP training throughput (images/s, batch 128, the catalog's default 784-400-400-20 architecture) on every
 * available TensorFlow.js backend, beside PyTorch's for the same architecture (bench/reference/vae_mlp_torch.py, run
 * by /usr/bin/python3 in this process tree, after the tfjs measurements so the two never compete for the cores).
 *
 *   npx tsx bench/train.ts [--seconds S] [--batch B]      (or `npm run bench -- train`)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { initBackend } from '../main/backend/select-backend';
import { measureTrainThroughput } from '../main/bench/train-throughput';

const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./reference/vae_mlp_torch.py', import.meta.url));

interface Row {
  engine: string;
  threads: number;
  imagesPerSecond: number | null;
  note?: string;
}

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env[`BENCH_${name.slice(2).toUpperCase()}`] ?? fallback);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function torchThroughput(batch: number, seconds: number, threads: number): { value: number | null; note?: string } {
  if (!existsSync(PYTHON)) return { value: null, note: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, [TORCH_SCRIPT, '--batch', String(batch), '--seconds', String(seconds), '--threads', String(threads)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return { value: null, note: (r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1) };
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  return { value: (JSON.parse(line) as { imagesPerSecond: number }).imagesPerSecond };
}

async function tensorflowAvailable(): Promise<boolean> {
  try {
    await initBackend('tensorflow');
    return true;
  } catch {
    return false;
  }
}

export async function run(): Promise<void> {
  const seconds = argValue('--seconds', 10);
  const batch = argValue('--batch', 128);
  const rows: Row[] = [];
  const runs: { backend: string; workers?: number }[] = [{ backend: 'wasm', workers: 1 }, { backend: 'wasm', workers: 2 }, { backend: 'cpu' }];
  if (await tensorflowAvailable()) runs.unshift({ backend: 'tensorflow' });
  for (const r of runs) {
    process.stderr.write(`measuring tfjs ${r.backend}${r.workers ? ` (${r.workers} thread${r.workers > 1 ? 's' : ''})` : ''} for ${seconds} s…\n`);
    const m = await measureTrainThroughput({ model: 'vae-mlp', batch, seconds, backend: r.backend, workers: r.workers });
    rows.push({ engine: `tfjs ${m.backend}`, threads: m.workers, imagesPerSecond: m.imagesPerSecond });
  }
  for (const threads of [1, 2]) {
    process.stderr.write(`measuring PyTorch (${threads} thread${threads > 1 ? 's' : ''}) for ${seconds} s…\n`);
    const t = torchThroughput(batch, seconds, threads);
    rows.push({ engine: 'PyTorch', threads, imagesPerSecond: t.value, note: t.note });
  }
  // the yardstick is the faster PyTorch setting: with 2 threads PyTorch collapses when the cores are shared
  const torchRates = rows.filter((r) => r.engine === 'PyTorch' && r.imagesPerSecond !== null).map((r) => r.imagesPerSecond!);
  const torchBest = torchRates.length ? Math.max(...torchRates) : null;
  const fmt = (v: number | null) => (v === null ? '–' : v.toFixed(0));
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`VAE-MLP training, batch ${batch}, 784-400-400-20, ${seconds} s each (images/s; ratio = engine / the faster PyTorch row)`);
  console.log(`load average at the end: ${load} on ${cpus().length} CPUs (figures drop when other processes share the cores)`);
  console.log(`${'engine'.padEnd(16)}${'threads'.padStart(8)}${'images/s'.padStart(11)}${'vs PyTorch'.padStart(12)}`);
  for (const r of rows) {
    const ratio = r.imagesPerSecond !== null && torchBest ? `${(r.imagesPerSecond / torchBest).toFixed(2)}×` : '–';
    console.log(`${r.engine.padEnd(16)}${String(r.threads).padStart(8)}${fmt(r.imagesPerSecond).padStart(11)}${ratio.padStart(12)}${r.note ? `  (${r.note})` : ''}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
