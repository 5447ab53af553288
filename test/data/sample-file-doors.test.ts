import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LabApi } from '../../main/api/lab-api';
import { DataFileError, type DataFileProblem } from '../../main/data/data-file-error';
import { encodeNpy } from '../../main/data/npy';
import { readSampleFile } from '../../main/data/sample-file';
import { runCliInProcess } from '../cli/cli-in-process';

/**
 * Issue 22, item 5: one sample-file reader for every command. Every command of the CLI and every operation of the API
 * that reads a sample file refuses the same corrupt file with the same message: the reader's own (a DataFileError
 * naming the file and its problem), which the doors pass on without rewording.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sample-file-doors-'));
const workspace = path.join(tmp, 'ws');
const api = new LabApi({ workspace, backend: 'cpu', openPath: async () => ({ opened: false, reason: 'test' }) });
afterAll(async () => {
  await api.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function file(name: string, bytes: Uint8Array): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, bytes);
  return p;
}
const rows = (n: number, d: number) => Float32Array.from({ length: n * d }, (_, i) => Math.sin(i));
const good = file('good.npy', encodeNpy(rows(40, 4), [40, 4]));
const goodLabels = file(
  'labels.npy',
  encodeNpy(
    new Int32Array(40).map((_, i) => i % 2),
    [40],
  ),
);
const withNan = rows(40, 4);
withNan[61] = NaN;

const corrupt: { name: string; path: string; problem: DataFileProblem }[] = [
  { name: 'truncated .npy', path: file('truncated.npy', encodeNpy(rows(40, 4), [40, 4]).subarray(0, 300)), problem: 'format' },
  { name: '.npy with a NaN', path: file('nan.npy', encodeNpy(withNan, [40, 4])), problem: 'value' },
  { name: '1-D .npy', path: file('flat.npy', encodeNpy(rows(40, 1), [40])), problem: 'shape' },
];

/** Every CLI invocation that reads the file `p` as samples, the other inputs good. */
function cliReads(p: string): string[][] {
  const out = path.join(tmp, 'out');
  const config = path.join(tmp, `config-${path.basename(p)}.json`);
  fs.writeFileSync(config, JSON.stringify(runConfig(p)));
  const select = ['select', '--scheme', 'random', '--keep', '2', '--in-process'];
  return [
    ['metrics', '--real', p, '--fake', good, '--features', 'raw'],
    ['metrics', '--real', good, '--fake', p, '--features', 'raw'],
    ['train-reference', '--data', p, '--labels', goodLabels, '--out', path.join(tmp, 'reference')],
    [...select, '--pool', p, '--reference', good],
    [...select, '--pool', good, '--reference', good, p],
    ['ot', 'distance', '--x', p, '--y', good],
    ['ot', 'distance', '--x', good, '--y', p],
    ['ot', 'barycenter', '--inputs', good, p, '--support', '3', '--out', path.join(out, 'b.npy')],
    ['run', '--config', config, '--out', workspace, '--backend', 'cpu'],
  ];
}

function runConfig(p: string) {
  return {
    name: 'reader',
    seed: 1,
    dataset: { kind: 'npy', path: p },
    model: { kind: 'gaussian' },
    loop: { generations: 1, paradigm: 'replace', keep: 10, ratio: 2 },
    selection: { scheme: 'random' },
    metrics: { downstream: false },
    gridSamples: 4,
  };
}

/** Every API operation that reads the file `p` as samples. */
function apiReads(p: string): [string, unknown][] {
  const dataset = { kind: 'npy', path: p };
  return [
    ['dataset.preview', { dataset, seed: 0, samples: 4 }],
    ['split.preview', { dataset, islands: { count: 2, split: 'iid' }, seed: 0 }],
    ['runs.start', { config: runConfig(p) }],
  ];
}

describe('every door refuses a corrupt sample file with the reader’s one message', () => {
  for (const c of corrupt) {
    it(`${c.name}: the CLI commands and the API operations`, async () => {
      const err = await readSampleFile(c.path).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DataFileError);
      expect((err as DataFileError).problem).toBe(c.problem);
      const message = (err as DataFileError).message;
      expect(message).toContain(c.path);
      for (const args of cliReads(c.path)) {
        const r = await runCliInProcess(args);
        expect(r.code, args.join(' ')).toBe(1);
        expect(r.stderr, args.join(' ')).toBe(`error: ${message}\n`);
      }
      for (const [op, payload] of apiReads(c.path)) {
        const r = await api.call(op, payload);
        expect(r, op).toEqual({ ok: false, error: { code: 'invalid-input', message } });
      }
      expect(fs.existsSync(workspace) ? fs.readdirSync(workspace) : []).toEqual([]); // no run folder left behind
    }, 240_000);
  }
});
