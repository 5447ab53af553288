import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeWebgpu } from '../../main/backend/webgpu';
import { encodeNpy } from '../../main/data/npy';
import { RunManager } from '../../main/runs/run-manager';

/**
 * Issue 21, item 6: a webgpu run whose largest tensor exceeds the adapter's buffer limits is refused by the preflight
 * before its folder exists, naming the field. On llvmpipe maxStorageBufferBindingSize is 128 MiB: a DDPM of batch
 * 1024 on 28 × 28 images needs 1024 × 28 × 28 × 64 × 4 bytes (205 MB) in one buffer.
 */
const probe = await probeWebgpu();
const limit = 'adapter' in probe ? Math.min(probe.adapter.maxBufferSize, probe.adapter.maxStorageBufferBindingSize) : 0;
const need = 4 * 8192 * 28 * 28 * 64;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-gpu-memory-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(limit === 0 || limit >= need)('the preflight checks a webgpu run against the adapter', () => {
  it("refuses a DDPM batch whose activation exceeds the adapter's limit, naming batchSize, with no run folder", async () => {
    const workspace = path.join(tmp, 'ws');
    const file = path.join(tmp, 'images.npy');
    const n = 60;
    fs.writeFileSync(
      file,
      encodeNpy(
        new Float32Array(n * 784).map((_, i) => (Math.sin(i) + 1) / 2),
        [n, 28, 28, 1],
      ),
    );
    // the smallest batch beyond the limit: the message must state both numbers
    const batchSize = Math.ceil((limit + 1) / (4 * 28 * 28 * 64));
    const manager = new RunManager(workspace, 'cpu');
    const config = {
      name: 'gpu-memory',
      seed: 1,
      dataset: { kind: 'npy' as const, path: file },
      model: { kind: 'ddpm' as const, params: { batchSize, epochs: 1 } },
      loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 1 },
      selection: { scheme: 'random' as const },
      metrics: { downstream: false },
      gridSamples: 4,
    };
    const refused = manager.startChecked(config, { backend: 'webgpu' });
    await expect(refused).rejects.toThrow(
      /model\.params\.batchSize: .*needs one GPU buffer of \d+ bytes, more than (maxStorageBufferBindingSize|maxBufferSize) = \d+ bytes of the adapter /,
    );
    await expect(refused).rejects.toThrow(String(4 * batchSize * 28 * 28 * 64));
    expect(fs.existsSync(workspace) ? fs.readdirSync(workspace) : []).toEqual([]);
  }, 60_000);
});
