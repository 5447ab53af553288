import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { initBackend } from '../../main/backend/select-backend';
import { runExperiment } from '../../main/loop/run-experiment';
import { CancelledError } from '../../main/models/generative-model';
import { RunFolder } from '../../main/runs/run-folder';
import type { MetricsLine } from '../../main/contract/run-record';
import { queuedRunFolder } from './queued-run-folder';

/**
 * Metrics overlapping the next generation's training (main/metrics/metrics-thread.ts): the same lines byte for byte
 * (wall-clock fields aside) as metrics computed in the run's thread, the reference classifier's features included; a
 * cancel while a generation's metrics are in flight keeps that generation; a kill while they are in flight and the
 * next generation trains (here: the process dies as that generation's line is written) loses only the generation
 * training: the resumed run makes the waiting one's line from its files and pending line, trains from the next one,
 * and writes the uninterrupted run's lines and files (an unreadable pending line: that generation is trained again).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-metrics-overlap-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend('wasm', { wasmThreads: 1 });
});

const config = validateConfig({
  name: 'overlap',
  seed: 5,
  dataset: { kind: 'mnist', subset: 300, testSubset: 200 },
  islands: { count: 2, split: 'iid' },
  model: { kind: 'vae-mlp', params: { epochs: 1, batchSize: 32, hidden: [64], latent: 8 } },
  loop: { generations: 3, paradigm: 'accumulate-subsample', keep: 150, ratio: 2 },
  selection: { scheme: 'random' },
  gridSamples: 16,
} satisfies ExperimentConfigInput);
const threaded = { metricsThread: { backend: 'wasm' } };

/** The run's metrics lines as written, each without its wall-clock fields (`seconds`, `…Seconds`). */
function science(folder: RunFolder): string[] {
  return fs
    .readFileSync(folder.file('metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.stringify(JSON.parse(l), (k, v: unknown) => (/seconds$/i.test(k) ? undefined : v)));
}

/** A run folder whose process "dies" (throws, writing nothing more) as generation `g`'s line is appended. */
class DiesAtLine extends RunFolder {
  constructor(
    dir: string,
    readonly g: number,
  ) {
    super(dir);
  }
  override appendMetrics(line: MetricsLine): void {
    if (line.generation === this.g) throw new Error('killed');
    super.appendMetrics(line);
  }
}

describe('metrics overlapping the next generation', () => {
  let inThread: RunFolder;
  beforeAll(async () => {
    inThread = queuedRunFolder(path.join(tmp, 'in-thread'), config);
    await runExperiment(inThread);
  }, 240_000);

  it('write the lines metrics in the run thread write', async () => {
    const overlapped = queuedRunFolder(path.join(tmp, 'overlapped'), config);
    // what happened in which order: generation 1 trains before generation 0's line is in
    const events: string[] = [];
    await runExperiment(overlapped, {
      ...threaded,
      onProgress: (p) => p.phase === 'train' && events.at(-1) !== `train ${p.generation}` && events.push(`train ${p.generation}`),
      onGeneration: (g) => events.push(`line ${g}`),
    });
    expect(events).toEqual(['train 0', 'train 1', 'line 0', 'train 2', 'line 1', 'line 2']);
    const lines = science(overlapped);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]).fid).toBeTypeOf('number');
    expect(JSON.parse(lines[2]).classHistogram).toHaveLength(10);
    expect(lines).toEqual(science(inThread));
  }, 240_000);

  it('keep a finished generation through a cancel, and lose only the generation training to a kill', async () => {
    // a cancel while generation 1's metrics may be in flight (generation 2 has begun training): generation 1 commits
    const cancelled = queuedRunFolder(path.join(tmp, 'cancelled'), config);
    const controller = new AbortController();
    await expect(
      runExperiment(cancelled, {
        ...threaded,
        signal: controller.signal,
        onProgress: (p) => p.generation === 2 && p.phase === 'train' && controller.abort(),
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(cancelled.lastCompletedGeneration()).toBe(1);

    // a kill as generation 1's metrics come in, generation 2 training: generation 1's files and pending line are
    // written, its line is not
    const killedDir = path.join(tmp, 'killed');
    queuedRunFolder(killedDir, config);
    let killedWhileTraining = false;
    await expect(
      runExperiment(new DiesAtLine(killedDir, 1), {
        ...threaded,
        onProgress: (p) => (killedWhileTraining ||= p.generation === 2 && p.phase === 'train'),
      }),
    ).rejects.toThrow('killed');
    expect(killedWhileTraining).toBe(true);
    const killed = new RunFolder(killedDir);
    expect(killed.lastCompletedGeneration()).toBe(0);
    expect(fs.existsSync(killed.file('gen-001', 'kept.npy'))).toBe(true);
    expect(fs.existsSync(killed.file('gen-000', 'pending-line.json'))).toBe(false);
    expect(fs.existsSync(killed.file('gen-001', 'pending-line.json'))).toBe(true);

    // the same kill with a pending line that is not one (cut, or written by something else): generation 1 is trained again
    const unreadableDir = path.join(tmp, 'unreadable');
    fs.cpSync(killedDir, unreadableDir, { recursive: true });
    fs.writeFileSync(path.join(unreadableDir, 'gen-001', 'pending-line.json'), '{"generation": 1, "trai');
    const unreadable = new RunFolder(unreadableDir);

    for (const [folder, trainsAgain] of [
      [cancelled, [2]],
      [killed, [2]],
      [unreadable, [1, 2]],
    ] as const) {
      // the generations the resumed run trains: only the one in training when the run stopped
      const trained = new Set<number>();
      await runExperiment(folder, { ...threaded, onProgress: (p) => p.phase === 'train' && trained.add(p.generation) });
      expect([...trained]).toEqual(trainsAgain);
      expect(science(folder)).toEqual(science(inThread));
      for (const g of ['gen-000', 'gen-001', 'gen-002']) {
        expect(fs.readFileSync(folder.file(g, 'kept.npy')).equals(fs.readFileSync(inThread.file(g, 'kept.npy')))).toBe(true);
        expect(fs.existsSync(folder.file(g, 'pending-line.json'))).toBe(false);
      }
    }
  }, 240_000);
});
