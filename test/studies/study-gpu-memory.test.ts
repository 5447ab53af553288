import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHardwareAdapter, recordHardwareAdapter } from '../../main/backend/machine-speed';
import { probeWebgpu } from '../../main/backend/webgpu';
import { ConfigError } from '../../main/contract/config';
import type { GpuAdapter } from '../../main/contract/run-record';
import { RunManager } from '../../main/runs/run-manager';
import { StudyManager } from '../../main/studies/study-manager';

/**
 * Issue 21: the GPU memory check runs for every cell of a study before anything is written, and for `auto` where it
 * would pick webgpu; the host's probe is kept so that it needs Dawn once. A stand-in hardware adapter with small
 * limits (as this host's cached probe) for auto; llvmpipe's own limits (128 MiB) for --backend webgpu.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-study-gpu-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MiB = 2 ** 20;
const standIn: GpuAdapter = {
  vendor: 'stand-in',
  architecture: 'test',
  device: 'small-gpu',
  description: 'a GPU of 8 MiB buffers',
  fallback: false,
  maxBufferSize: 16 * MiB,
  maxStorageBufferBindingSize: 8 * MiB,
};

const toyStudy = (name: string, batchSizes: number[]) => ({
  name,
  base: {
    name,
    seed: 1,
    dataset: { kind: 'mnist', subset: 200, testSubset: 100 },
    model: { kind: 'vae-mlp', params: { epochs: 1 } },
    loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 1 },
    selection: { scheme: 'random' },
  },
  axes: [{ path: 'model.params.batchSize', values: batchSizes }],
});

async function refusal(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

describe('GPU memory of study cells and of auto', () => {
  it('refuses, under auto on a host whose cached probe found a hardware adapter, the cell that exceeds it, before anything is written', async () => {
    const ws = path.join(tmp, 'auto');
    fs.mkdirSync(ws);
    recordHardwareAdapter(ws, standIn);
    const manager = new StudyManager(ws, 'auto');
    // 8,192 rows × 784 pixels × 4 bytes = 25.7 MB in one buffer, beyond the 8 MiB binding limit; 64 rows fit
    const e = await refusal(manager.startChecked(toyStudy('gpu cells', [64, 8192])));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0].path).toBe('model.params.batchSize');
    expect(e.issues[0].message).toMatch(/8192 × 784.*more than maxStorageBufferBindingSize = 8388608 bytes of the adapter stand-in/);
    expect(e.message).toContain('model.params.batchSize=8192');
    expect(fs.readdirSync(ws).filter((f) => f !== 'machine-speed.json')).toEqual([]);
    await manager.close();
  });

  it('checks nothing under auto where the host is known to have no hardware adapter', async () => {
    const ws = path.join(tmp, 'none');
    fs.mkdirSync(ws);
    recordHardwareAdapter(ws, null);
    const manager = new StudyManager(ws, 'auto');
    const id = await manager.startChecked(toyStudy('no gpu', [8192]));
    manager.cancel(id);
    await manager.wait(id);
    expect(readHardwareAdapter(ws)).toBeNull();
    await manager.close();
  }, 120_000);

  it('refuses a single run under auto whose model exceeds the cached hardware adapter, naming the field, with no run folder', async () => {
    const ws = path.join(tmp, 'single');
    fs.mkdirSync(ws);
    recordHardwareAdapter(ws, standIn);
    const manager = new RunManager(ws, 'auto');
    const e = await refusal(
      manager.startChecked({ ...toyStudy('single', [8192]).base, model: { kind: 'vae-mlp', params: { batchSize: 8192 } } }),
    );
    expect(e.issues.map((i) => i.path)).toEqual(['model.params.batchSize']);
    expect(fs.readdirSync(ws).filter((f) => f !== 'machine-speed.json')).toEqual([]);
  }, 60_000);
});

const probe = await probeWebgpu();
const llvmpipe = 'adapter' in probe ? Math.min(probe.adapter.maxBufferSize, probe.adapter.maxStorageBufferBindingSize) : 0;

describe.skipIf(llvmpipe === 0 || llvmpipe >= 4 * 8192 * 14 * 14 * 32)('a study on --backend webgpu (llvmpipe limits)', () => {
  it('names the MNIST cell whose conv activation exceeds the adapter, before the study folder exists', async () => {
    const ws = path.join(tmp, 'webgpu');
    const manager = new StudyManager(ws, 'webgpu');
    const study = {
      name: 'conv cells',
      base: {
        name: 'conv cells',
        seed: 1,
        dataset: { kind: 'mnist', subset: 200, testSubset: 100 },
        model: { kind: 'vae-conv', params: { epochs: 1 } },
        loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 1 },
        selection: { scheme: 'random' },
      },
      axes: [{ path: 'model.params.batchSize', values: [32, 8192] }],
    };
    // 8,192 × 14 × 14 × 32 float32: 205 MB in one buffer against llvmpipe's 128 MiB binding limit
    const e = await refusal(manager.startChecked(study));
    expect(e.issues.map((i) => i.path)).toEqual(['model.params.batchSize']);
    expect(e.message).toContain('model.params.batchSize=8192');
    expect(e.message).toContain(String(4 * 8192 * 14 * 14 * 32));
    expect(fs.existsSync(path.join(ws, 'studies')) ? fs.readdirSync(path.join(ws, 'studies')) : []).toEqual([]);
    await manager.close();
  }, 120_000);
});
