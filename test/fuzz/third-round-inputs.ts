import fs from 'node:fs';
import path from 'node:path';
import { encodeNpy } from '../../main/data/npy';
import { modelKinds } from '../../main/contract/models/catalog';
import { schemeNames } from '../../main/contract/selection/catalog';

/**
 * The classes of bad input found in the third round (issue 26), each as a generator of many inputs rather than the
 * cases that were reported: configs the schema accepts but the preflight refuses (shapes against dataset.dim,
 * finiteness and spread of the data), prototype keys in every kind's params, unusable --out folders for every
 * command that writes, malformed study axes and queues that cannot be used, and requests with other than one Host.
 */

export interface CliInput {
  name: string;
  args: string[];
  must: string | string[];
}

const toy = (dim = 4) => ({
  name: 'fuzz toy',
  seed: 1,
  dataset: { kind: 'gaussian', dim, trainSize: 60, testSize: 30 },
  model: { kind: 'gaussian' },
  loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 2 },
  selection: { scheme: 'random' },
});

/** Shapes that only the dataset's dimension shows wrong: the Gaussian's mean, a declared truth, a given target. */
function shapeConfigs(): { name: string; config: unknown; must: string[] }[] {
  const out: { name: string; config: unknown; must: string[] }[] = [];
  for (const dim of [1, 3, 4, 7]) {
    for (const len of [dim - 1, dim + 1, dim * 2].filter((l) => l >= 1 && l !== dim)) {
      const mean = Array.from({ length: len }, (_, i) => i);
      out.push({
        name: `gaussian dim ${dim} mean of ${len}`,
        config: { ...toy(dim), dataset: { ...toy(dim).dataset, mean } },
        must: ['dataset.mean'],
      });
      out.push({
        name: `gaussian dim ${dim} truth mean of ${len}`,
        config: { ...toy(dim), dataset: { ...toy(dim).dataset, truth: { kind: 'gaussian', mean } } },
        must: ['dataset.truth'],
      });
      out.push({
        name: `topalpha dim ${dim} target mean of ${len}`,
        config: { ...toy(dim), selection: { scheme: 'topalpha', target: { kind: 'given', mean, cov: 1 } } },
        must: ['selection.target'],
      });
      const cov = Array.from({ length: len }, () => Array.from({ length: len }, (_, j) => (j === 0 ? 1 : 0)));
      out.push({
        name: `topalpha dim ${dim} target cov ${len}×${len}`,
        config: { ...toy(dim), selection: { scheme: 'topalpha', target: { kind: 'given', mean: Array(dim).fill(0), cov } } },
        must: ['selection.target'],
      });
    }
  }
  out.push({
    name: 'gaussian mean with a huge entry',
    config: { ...toy(2), dataset: { ...toy(2).dataset, mean: [1, 1e308 * 10] } },
    must: ['dataset'],
  });
  return out;
}

/** Prototype keys in every model kind's and every scheme's params, at the top and nested. */
function prototypeKeyConfigs(): { name: string; text: string; must: string[] }[] {
  const out: { name: string; text: string; must: string[] }[] = [];
  const bodies = ['{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}', '{"prototype":1}'];
  for (const kind of modelKinds) {
    for (const b of bodies) {
      const text = JSON.stringify(toy()).replace('"model":{"kind":"gaussian"}', `"model":{"kind":"${kind}","params":${b}}`);
      out.push({ name: `model ${kind} params ${b.slice(0, 16)}`, text, must: ['model.params'] });
    }
  }
  for (const scheme of schemeNames) {
    for (const b of bodies) {
      const text = JSON.stringify(toy()).replace('"selection":{"scheme":"random"}', `"selection":{"scheme":"${scheme}","params":${b}}`);
      out.push({ name: `scheme ${scheme} params ${b.slice(0, 16)}`, text, must: ['selection.params'] });
    }
  }
  return out;
}

/** .npy data whose values are finite but beyond ±1e15, or whose rows are all the same. */
function dataFiles(dir: string): { name: string; file: string; must: string }[] {
  fs.mkdirSync(dir, { recursive: true });
  const out: { name: string; file: string; must: string }[] = [];
  const write = (name: string, values: Float32Array, shape: number[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, encodeNpy(values, shape));
    return file;
  };
  for (const [v, at] of [
    [3e38, 0],
    [-3e38, 17],
    [1e16, 5],
    [-2e20, 40],
    [1e30, 79],
  ] as [number, number][]) {
    const x = new Float32Array(80).map((_, i) => Math.sin(i));
    x[at] = v;
    out.push({ name: `value ${v} at ${at}`, file: write(`huge-${out.length}.npy`, x, [20, 4]), must: `huge-${out.length}.npy` });
  }
  for (const [n, d, value] of [
    [20, 4, 0],
    [30, 1, 0.5],
    [25, 9, -3],
  ]) {
    const name = `constant-${n}x${d}.npy`;
    out.push({ name: `constant ${n}×${d}`, file: write(name, new Float32Array(n * d).fill(value), [n, d]), must: name });
  }
  return out;
}

/** Every command that writes, with every kind of unusable --out. */
function workspaceInputs(tmp: string, good: string): CliInput[] {
  const aFile = path.join(tmp, 'not-a-folder');
  fs.writeFileSync(aFile, 'x');
  const outs: [string, string, string][] = [
    ['empty', '', '--out'],
    ['blank', '   ', '--out'],
    ['a file', aFile, 'not-a-folder'],
    ['a file inside', path.join(aFile, 'ws'), 'not-a-folder'],
    ['/dev/null', '/dev/null', '/dev/null'],
    ['/dev/zero', '/dev/zero', '/dev/zero'],
    ['/dev/shm/x', '/dev/shm/collapse-lab-fuzz', '/dev'],
    ['/proc/x', '/proc/x/r', '/proc'],
    ['/sys/x', '/sys/x', '/sys'],
  ];
  const commands: [string, string[]][] = [
    ['run', ['run', '--preset', 'gaussian-collapse']],
    ['serve', ['serve', '--port', '0', '--no-open']],
    ['study run', ['study', 'run', '--preset', 'selection-bias-toy']],
    ['worker', ['worker', '--queue', 'redis://127.0.0.1:1']],
    ['train-reference', ['train-reference', '--data', good, '--epochs', '1']],
  ];
  const out: CliInput[] = [];
  for (const [cmd, args] of commands)
    for (const [what, value, must] of outs) out.push({ name: `${cmd} --out ${what}`, args: [...args, '--out', value], must });
  return out;
}

/** Study files with malformed axes, and queues that cannot be used. */
function studyInputs(tmp: string, ws: string): CliInput[] {
  const base = { name: 'fuzz study', base: toy(), seeds: 1 };
  const out: CliInput[] = [];
  const axesList: [string, unknown][] = [
    ['zip []', [{ zip: [] }]],
    ['null axis', [null]],
    ['zip [null]', [{ zip: [null] }]],
    ['zip without values', [{ zip: [{ path: 'seed' }] }]],
    [
      'zip of unequal lengths',
      [
        {
          zip: [
            { path: 'loop.keep', values: [20] },
            { path: 'loop.ratio', values: [2, 3] },
          ],
        },
      ],
    ],
    ['zip with a path-less part', [{ zip: [{ path: 'loop.keep', values: [20] }, { values: [2] }] }]],
    ['axes a number', 5],
    ['axis {}', [{}]],
    ['values []', [{ path: 'loop.keep', values: [] }]],
    ['the same path twice', [{ path: 'seed', values: [1] }, { zip: [{ path: 'seed', values: [2] }] }]],
    ['zip {}', [{ zip: {} }]],
    ['zip of strings', [{ zip: ['a', 'b'] }]],
  ];
  for (const [name, axes] of axesList) {
    const file = path.join(tmp, `study-${out.length}.json`);
    fs.writeFileSync(file, JSON.stringify({ ...base, axes }));
    out.push({ name: `study axes ${name}`, args: ['study', 'run', file, '--out', ws], must: 'axes' });
  }
  for (const q of [
    'http://127.0.0.1:1',
    'redis://127.0.0.1:1',
    'redis://[::1',
    'rediss://127.0.0.1:1',
    'redis://user:secret@127.0.0.1:1',
    'ftp://x',
  ]) {
    out.push({
      name: `study --queue ${q}`,
      args: ['study', 'run', '--preset', 'selection-bias-toy', '--queue', q, '--out', ws],
      must: ['--queue', 'Redis', 'redis'],
    });
  }
  return out;
}

/** Every third-round CLI input; config files are written under `tmp`. */
export function thirdRoundCliInputs(tmp: string, ws: string, good: string): CliInput[] {
  const dir = path.join(tmp, 'third-round');
  fs.mkdirSync(dir, { recursive: true });
  const out: CliInput[] = [];
  const runArgs = (cfg: string) => ['run', '--config', cfg, '--out', ws, '--backend', 'cpu', '--json'];
  for (const c of shapeConfigs()) {
    const cfg = path.join(dir, `shape-${out.length}.json`);
    fs.writeFileSync(cfg, JSON.stringify(c.config));
    out.push({ name: `run --config (${c.name})`, args: runArgs(cfg), must: c.must });
  }
  for (const c of prototypeKeyConfigs()) {
    const cfg = path.join(dir, `proto-${out.length}.json`);
    fs.writeFileSync(cfg, c.text);
    out.push({ name: `run --config (${c.name})`, args: runArgs(cfg), must: c.must });
  }
  for (const f of dataFiles(path.join(dir, 'data'))) {
    const cfg = path.join(dir, `data-${out.length}.json`);
    fs.writeFileSync(cfg, JSON.stringify({ ...toy(), dataset: { kind: 'npy', path: f.file } }));
    out.push({ name: `run --config (npy ${f.name})`, args: runArgs(cfg), must: f.must });
  }
  out.push(...workspaceInputs(dir, good), ...studyInputs(dir, ws));
  return out;
}

/** Raw requests with other than exactly one Host header (Node keeps the first; the server answers 400). */
export function hostHeaderRequests(port: number, token: string): { name: string; bytes: string }[] {
  const own = `Host: 127.0.0.1:${port}\r\n`;
  const api = `POST /api/presets.list HTTP/1.1\r\nX-Lab-Token: ${token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n`;
  const page = `GET /?token=${token} HTTP/1.1\r\n`;
  const file = `GET /files/x/y.png HTTP/1.1\r\nX-Lab-Token: ${token}\r\n`;
  const out: { name: string; bytes: string }[] = [];
  for (const [what, head] of [
    ['api', api],
    ['page', page],
    ['file', file],
  ]) {
    const body = what === 'api' ? '{}' : '';
    out.push({ name: `${what}: ours then a foreign Host`, bytes: `${head}${own}Host: evil.example\r\n\r\n${body}` });
    out.push({ name: `${what}: a foreign Host then ours`, bytes: `${head}Host: evil.example\r\n${own}\r\n${body}` });
    out.push({ name: `${what}: ours twice`, bytes: `${head}${own}${own}\r\n${body}` });
    out.push({ name: `${what}: ours, lower case, twice`, bytes: `${head}${own}${own.replace('Host', 'host')}\r\n${body}` });
    out.push({ name: `${what}: no Host`, bytes: `${head}\r\n${body}` });
  }
  return out;
}
