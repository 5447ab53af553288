import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { experimentConfig } from '../../main/contract/config';
import { hasStackTrace } from '../cli/cli-in-process';
import { garbage, goodNpy, makeBadFiles, type BadFile } from './bad-files';
import { hostHeaderRequests, thirdRoundCliInputs } from './third-round-inputs';

/**
 * The fuzz suite (issue 14): hundreds of generated bad inputs — files (truncated or garbage .npy, IDX, PNG folders,
 * paths that are not files), configs with out-of-range or wrong-typed fields, CLI arguments, and server requests with
 * bad bodies, sizes and headers — thrown at the CLI and the server. For each input: a nonzero exit or a 4xx, with a
 * message that names the field or file, no stack trace, no process death (the server answers after it), no run
 * folder left behind, within a time limit. `npm run fuzz`; prints inputs tried / clean errors / bad outcomes.
 *
 * The CLI runs in one forked process that takes the inputs one after the other (cli-runner.ts), the server in another
 * (server-runner.ts); either is restarted when an input kills it or hangs it, which counts against that input.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const CLI_TIME_LIMIT_MS = 30_000;
const SERVER_TIME_LIMIT_MS = 15_000;

let tmp: string;
let files: BadFile[];
let good: string;
let cliWorkspace: string;
let serverWorkspace: string;

// ── the tally ────────────────────────────────────────────────────────────────────────────────────────────────────────
const tally = { tried: 0, clean: 0, bad: [] as string[] };
function record(door: 'cli' | 'server', name: string, problems: string[]): void {
  tally.tried++;
  if (problems.length === 0) tally.clean++;
  else tally.bad.push(`${door}: ${name}: ${problems.join('; ')}`);
}

/** Run folders in a workspace (folders with a config.json or status.json); removes them after reporting. */
function takeRunFolders(workspace: string): string[] {
  if (!fs.existsSync(workspace)) return [];
  const found: string[] = [];
  for (const e of fs.readdirSync(workspace, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const d = path.join(workspace, e.name);
    if (fs.existsSync(path.join(d, 'config.json')) || fs.existsSync(path.join(d, 'status.json'))) {
      found.push(e.name);
      fs.rmSync(d, { recursive: true, force: true });
    }
  }
  return found;
}

const names = (text: string, must: string | string[]) => (Array.isArray(must) ? must : [must]).some((m) => text.includes(m));

// ── the CLI process ──────────────────────────────────────────────────────────────────────────────────────────────────
interface CliReply {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
}

class CliProcess {
  private child: ChildProcess | null = null;
  private nextId = 0;

  private async start(): Promise<ChildProcess> {
    const child = fork(path.join(here, 'cli-runner.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, COLLAPSE_LAB_WORKSPACE: cliWorkspace },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.resume();
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`the CLI runner exited (${code}) before it was ready`)));
    });
    this.child = child;
    return child;
  }

  /** Run one invocation; 'died' or 'hung' when the process did not answer (it is restarted for the next one). */
  async run(args: string[]): Promise<CliReply | 'died' | 'hung'> {
    const child = this.child ?? (await this.start());
    const id = this.nextId++;
    return new Promise((resolve) => {
      const done = (r: CliReply | 'died' | 'hung') => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (r === 'died' || r === 'hung') {
          child.kill('SIGKILL');
          this.child = null;
        }
        resolve(r);
      };
      const onMessage = (m: CliReply) => m.id === id && done(m);
      const onExit = () => done('died');
      const timer = setTimeout(() => done('hung'), CLI_TIME_LIMIT_MS);
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send({ id, args });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}

interface CliCase {
  name: string;
  args: string[];
  /** What the error must name (any of them): the option, field or file. */
  must: string | string[];
}

async function tryCli(cli: CliProcess, c: CliCase): Promise<void> {
  const r = await cli.run(c.args);
  const problems: string[] = [];
  if (r === 'died') problems.push('the CLI process died');
  else if (r === 'hung') problems.push(`no answer within ${CLI_TIME_LIMIT_MS / 1000} s`);
  else {
    const out = r.stdout + r.stderr;
    if (r.code === 0) problems.push('exit 0');
    if (hasStackTrace(out)) problems.push('a stack trace');
    if (!names(r.stderr, c.must))
      problems.push(`the error does not name ${JSON.stringify(c.must)}: ${JSON.stringify(r.stderr.split('\n')[0].slice(0, 160))}`);
  }
  const left = takeRunFolders(cliWorkspace);
  if (left.length > 0) problems.push(`run folder left behind (${left.join(', ')})`);
  const studies = path.join(cliWorkspace, 'studies');
  if (fs.existsSync(studies) && fs.readdirSync(studies).length > 0) {
    problems.push(`study folder left behind (${fs.readdirSync(studies).join(', ')})`);
    fs.rmSync(studies, { recursive: true, force: true });
  }
  record('cli', c.name, problems);
}

// ── the server process ───────────────────────────────────────────────────────────────────────────────────────────────
class ServerProcess {
  child: ChildProcess | null = null;
  port = 0;
  token = '';

  async start(): Promise<void> {
    const child = fork(path.join(here, 'server-runner.ts'), [serverWorkspace], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.resume();
    const info = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { port: number; token: string }));
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it listened`)));
    });
    this.child = child;
    this.port = info.port;
    this.token = info.token;
  }

  alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async restart(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.start();
  }

  stop(): void {
    this.child?.disconnect();
    this.child = null;
  }
}

interface Reply {
  status: number;
  body: string;
}

interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function send(server: ServerProcess, spec: RequestSpec): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: spec.method ?? 'POST',
        path: spec.path,
        agent: false,
        setHost: false,
        headers: {
          Host: `127.0.0.1:${server.port}`,
          'Content-Type': 'application/json',
          'X-Lab-Token': server.token,
          ...spec.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (spec.body !== undefined) req.write(spec.body);
    req.end();
  });
}

/** Bytes on a raw connection; resolves with the status line's code (0: closed without an answer). */
function sendRaw(server: ServerProcess, bytes: string | Buffer): Promise<Reply> {
  return new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.end(bytes));
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => undefined);
    s.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got);
      resolve({ status: m ? Number(m[1]) : 0, body: got.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    });
  });
}

interface ServerCase {
  name: string;
  /** A request, or raw bytes on a connection. */
  request?: (s: ServerProcess) => RequestSpec;
  raw?: (s: ServerProcess) => string | Buffer;
  /** What the message must name (any of them); null where the answer is the HTTP layer's own (no body). */
  must: string | string[] | null;
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T | 'hung'> =>
  Promise.race([p, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms))]);

async function tryServer(server: ServerProcess, c: ServerCase): Promise<void> {
  const problems: string[] = [];
  const reply = await withTimeout(
    (c.raw ? sendRaw(server, c.raw(server)) : send(server, c.request!(server))).catch((e: Error) => ({
      status: 0,
      body: `(${e.message})`,
    })),
    SERVER_TIME_LIMIT_MS,
  );
  if (reply === 'hung') problems.push(`no answer within ${SERVER_TIME_LIMIT_MS / 1000} s`);
  else {
    if (!(reply.status >= 400 && reply.status < 500)) problems.push(`status ${reply.status}${reply.status === 0 ? ` ${reply.body}` : ''}`);
    if (hasStackTrace(reply.body)) problems.push('a stack trace');
    if (c.must !== null && !names(reply.body, c.must))
      problems.push(`the message does not name ${JSON.stringify(c.must)}: ${reply.body.slice(0, 160)}`);
  }
  // the server still answers, in its own process
  const health = server.alive()
    ? await withTimeout(
        send(server, { path: '/api/presets.list', body: '{}' }).catch(() => null),
        10_000,
      )
    : null;
  if (!server.alive()) {
    problems.push('the server process died');
    await server.restart();
  } else if (health === null || health === 'hung' || health.status !== 200) {
    problems.push('the server no longer answers');
    await server.restart();
  }
  const left = takeRunFolders(serverWorkspace);
  if (left.length > 0) problems.push(`run folder left behind (${left.join(', ')})`);
  record('server', c.name, problems);
}

// ── the inputs ───────────────────────────────────────────────────────────────────────────────────────────────────────
const toy = () => ({
  name: 'fuzz toy',
  seed: 1,
  dataset: { kind: 'gaussian', dim: 4, trainSize: 60, testSize: 30 },
  model: { kind: 'gaussian' },
  loop: { generations: 1, paradigm: 'replace', keep: 20, ratio: 2 },
  selection: { scheme: 'random' },
});

/** Out-of-range and wrong-typed fields: [dotted path, value]; `undefined` removes the field. */
const FIELD_MUTATIONS: [string, unknown][] = [
  ['seed', -5],
  ['seed', 'abc'],
  ['seed', 1.5],
  ['seed', 2 ** 32],
  ['seed', null],
  ['seed', []],
  ['seed', {}],
  ['name', ''],
  ['name', 123],
  ['name', 'x'.repeat(500)],
  ['dataset.kind', 'bogus'],
  ['dataset.kind', 5],
  ['dataset.dim', 0],
  ['dataset.dim', -1],
  ['dataset.dim', 'x'],
  ['dataset.dim', 2.5],
  ['dataset.trainSize', 0],
  ['dataset.trainSize', -1],
  ['dataset.trainSize', 'x'],
  ['dataset.bogus', 1],
  ['dataset', 'mnist'],
  ['islands', 7],
  ['islands.count', 0],
  ['islands.count', 1001],
  ['islands.count', 'x'],
  ['islands.count', -1],
  ['islands.split', 'bogus'],
  ['islands.split', 'dirichlet:-1'],
  ['islands.split', 'exdir:abc'],
  ['islands.split', 'quantity:'],
  ['islands.split', 42],
  ['model.kind', 'bogus'],
  ['model.kind', null],
  ['model.params', 'x'],
  ['model', undefined],
  ['loop.generations', 0],
  ['loop.generations', 10_001],
  ['loop.generations', 'x'],
  ['loop.generations', 1.5],
  ['loop.keep', 0],
  ['loop.keep', 'x'],
  ['loop.keep', -5],
  ['loop.keep', 1e8],
  ['loop.ratio', 0.5],
  ['loop.ratio', 'x'],
  ['loop.ratio', 1001],
  ['loop.paradigm', 'bogus'],
  ['loop', null],
  ['loop', undefined],
  ['selection.scheme', 'bogus'],
  ['selection.reference', 'bogus'],
  ['selection.verifier', 5],
  ['selection.verifier', -1],
  ['selection.params', 'x'],
  ['metrics.k', 0],
  ['metrics.k', 101],
  ['metrics.maxSamples', 5],
  ['gridSamples', 0],
  ['gridSamples', 2000],
  ['bogus', 1],
  ['dataset', undefined],
];

function mutate(path_: string, value: unknown): Record<string, unknown> {
  const c = toy() as Record<string, unknown>;
  const keys = path_.split('.');
  let o = c;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  return c;
}

/** The config mutations that the config schema refuses (a valid one would start a real run). */
function configMutations(): { name: string; config: Record<string, unknown>; must: string[] }[] {
  const out: { name: string; config: Record<string, unknown>; must: string[] }[] = [];
  for (const [p, v] of FIELD_MUTATIONS) {
    const config = mutate(p, v);
    if (experimentConfig.safeParse(config).success) throw new Error(`fuzz: the mutation ${p} = ${JSON.stringify(v)} is a valid config`);
    const keys = p.split('.');
    out.push({ name: `config ${p} = ${JSON.stringify(v)?.slice(0, 30) ?? 'absent'}`, config, must: [p, keys[keys.length - 1]] });
  }
  return out;
}

/** The dataset config that reads a bad file. */
function datasetFor(f: BadFile): Record<string, unknown> {
  if (f.kind === 'idx') return { kind: 'idx', images: f.path };
  if (f.kind === 'png-folder') return { kind: 'image-folder', path: f.path };
  return { kind: 'npy', path: f.path };
}
const fileMust = (f: BadFile) => (f.path.startsWith('/dev/') ? f.path : path.basename(f.path));

function cliCases(): CliCase[] {
  const cases: CliCase[] = [];
  const ws = ['--out', cliWorkspace];
  // files, through every command that reads one
  for (const f of files) {
    const must = fileMust(f);
    if (f.kind === 'npy' || f.kind === 'path') {
      cases.push({ name: `ot distance --x ${f.name}`, args: ['ot', 'distance', '--x', f.path, '--y', good, '--json'], must });
      cases.push({
        name: `select --pool ${f.name}`,
        args: ['select', '--scheme', 'random', '--pool', f.path, '--reference', good, '--keep', '2', '--in-process', '--json'],
        must,
      });
    }
    cases.push({
      name: `metrics --real ${f.name}`,
      args: ['metrics', '--real', f.path, '--fake', good, '--features', 'raw', '--json'],
      must,
    });
    const cfg = path.join(tmp, `config-${f.name}.json`);
    fs.writeFileSync(cfg, JSON.stringify({ ...toy(), dataset: datasetFor(f) }));
    cases.push({ name: `run --config (dataset ${f.name})`, args: ['run', '--config', cfg, ...ws, '--backend', 'cpu', '--json'], must });
  }
  // configs
  for (const m of configMutations()) {
    const cfg = path.join(tmp, `mutation-${cases.length}.json`);
    fs.writeFileSync(cfg, JSON.stringify(m.config));
    cases.push({ name: `run --config (${m.name})`, args: ['run', '--config', cfg, ...ws, '--json'], must: m.must });
  }
  const texts: [string, string][] = [
    ['empty', ''],
    ['open-brace', '{'],
    ['array', '[]'],
    ['null', 'null'],
    ['number', '42'],
    ['string', '"config"'],
    ['cut-off', '{"name": "x", "seed": '],
    ['deep-nesting', '['.repeat(100_000)],
    ['infinity', '{"seed": 1e999}'],
    ['garbage', garbage(200, 9).toString('latin1')],
  ];
  for (const [name, text] of texts) {
    const cfg = path.join(tmp, `text-${name}.json`);
    fs.writeFileSync(cfg, text);
    cases.push({ name: `run --config (${name} JSON text)`, args: ['run', '--config', cfg, ...ws], must: [path.basename(cfg), 'seed'] });
    cases.push({ name: `split --config (${name} JSON text)`, args: ['split', '--config', cfg], must: [path.basename(cfg), 'seed'] });
  }
  // arguments: numbers
  const junk = ['abc', '', ' ', '-5', '1.5', '0x1f', '1e3x', '∞', '１２', '9'.repeat(40), 'NaN', '[]', '--json'];
  for (const v of junk) {
    cases.push({
      name: `split --islands ${JSON.stringify(v)}`,
      args: ['split', '--dataset', 'gaussian', '--islands', v],
      must: '--islands',
    });
    cases.push({ name: `split --seed ${JSON.stringify(v)}`, args: ['split', '--dataset', 'gaussian', '--seed', v], must: '--seed' });
  }
  for (const [opt, v] of [
    ['--k', '0'],
    ['--max-samples', '-1'],
    ['--seed', '-5'],
  ]) {
    cases.push({ name: `metrics ${opt} ${v}`, args: ['metrics', '--real', good, '--fake', good, opt, v], must: opt });
  }
  for (const [opt, v] of [
    ['--reg', '0'],
    ['--max-iter', 'many'],
    ['--tol', '-1'],
  ]) {
    cases.push({ name: `ot distance ${opt} ${v}`, args: ['ot', 'distance', '--x', good, '--y', good, opt, v], must: opt });
  }
  for (const [opt, v] of [
    ['--keep', '-1'],
    ['--seed', 'x'],
    ['--verifier', '1.5'],
  ]) {
    cases.push({
      name: `select ${opt} ${v}`,
      args: ['select', '--scheme', 'random', '--pool', good, '--reference', good, '--keep', '2', opt, v],
      must: opt,
    });
  }
  cases.push({ name: 'serve --port 70000', args: ['serve', '--no-open', '--port', '70000'], must: '--port' });
  cases.push({ name: 'resume --generations 0', args: ['resume', 'x', ...ws, '--generations', '0'], must: '--generations' });
  // arguments: names and choices
  const other: CliCase[] = [
    { name: 'unknown command', args: ['frobnicate'], must: 'frobnicate' },
    { name: 'unknown option', args: ['split', '--bogus'], must: '--bogus' },
    { name: 'missing required option', args: ['ot', 'distance', '--x', good], must: '--y' },
    { name: 'bad --backend choice', args: ['run', '--preset', 'smoke', '--backend', 'gpu', ...ws], must: '--backend' },
    { name: 'bad --cost', args: ['ot', 'distance', '--x', good, '--y', good, '--cost', 'manhattan'], must: '--cost' },
    { name: 'bad --method', args: ['ot', 'distance', '--x', good, '--y', good, '--method', 'simplex'], must: '--method' },
    { name: 'sinkhorn without --reg', args: ['ot', 'distance', '--x', good, '--y', good, '--method', 'sinkhorn'], must: '--reg' },
    { name: 'bad --scheme', args: ['select', '--scheme', 'bogus', '--pool', good, '--reference', good, '--keep', '2'], must: '--scheme' },
    {
      name: 'bad --params JSON',
      args: ['select', '--scheme', 'random', '--pool', good, '--reference', good, '--keep', '2', '--params', '{bad'],
      must: '--params',
    },
    {
      name: 'bad --features',
      args: ['select', '--scheme', 'random', '--pool', good, '--reference', good, '--keep', '2', '--features', 'pca:0'],
      must: '--features',
    },
    {
      name: 'bad --reference-kind',
      args: ['select', '--scheme', 'random', '--pool', good, '--reference', good, '--keep', '2', '--reference-kind', 'all'],
      must: '--reference-kind',
    },
    {
      name: 'metrics bad --features',
      args: ['metrics', '--real', good, '--fake', good, '--features', 'bogus'],
      must: ['--features', 'bogus'],
    },
    { name: 'split bad --split', args: ['split', '--dataset', 'gaussian', '--split', 'bogus:1'], must: ['--split', 'bogus'] },
    { name: 'split bad --dataset', args: ['split', '--dataset', 'bogus'], must: ['--dataset', 'bogus'] },
    { name: 'run unknown preset', args: ['run', '--preset', 'no-such-preset', ...ws], must: 'no-such-preset' },
    { name: 'run with neither preset nor config', args: ['run', ...ws], must: '--preset' },
    { name: 'run with both', args: ['run', '--preset', 'smoke', '--config', good, ...ws], must: '--preset' },
    { name: 'resume unknown run', args: ['resume', 'no-such-run', ...ws], must: 'no-such-run' },
    {
      name: 'ot barycenter --support beyond the points',
      args: ['ot', 'barycenter', '--inputs', good, '--support', '1000', '--out', path.join(tmp, 'b.npy')],
      must: '--support',
    },
    {
      name: 'ot barycenter --weights count',
      args: ['ot', 'barycenter', '--inputs', good, '--support', '3', '--out', path.join(tmp, 'b.npy'), '--weights', '1', '2'],
      must: '--weights',
    },
    {
      name: 'ot barycenter --out in a missing folder',
      args: ['ot', 'barycenter', '--inputs', good, '--support', '3', '--out', path.join(tmp, 'no', 'such', 'b.npy')],
      must: 'b.npy',
    },
  ];
  // issue 26's classes: preflight shapes and data, prototype keys, --out of every writing command, study files
  cases.push(...thirdRoundCliInputs(tmp, cliWorkspace, good));
  return [...cases, ...other];
}

function serverCases(): ServerCase[] {
  const cases: ServerCase[] = [];
  const api =
    (op: string, body: unknown): (() => RequestSpec) =>
    () => ({ path: `/api/${op}`, body: JSON.stringify(body) });
  // files, through the operations that read one
  for (const f of files) {
    cases.push({ name: `dataset.preview ${f.name}`, request: api('dataset.preview', { dataset: datasetFor(f) }), must: fileMust(f) });
  }
  for (const f of files.filter((_, i) => i % 3 === 0)) {
    cases.push({
      name: `split.preview ${f.name}`,
      request: api('split.preview', { dataset: datasetFor(f), islands: { count: 2, split: 'iid' } }),
      must: fileMust(f),
    });
    cases.push({
      name: `runs.start ${f.name}`,
      request: api('runs.start', { config: { ...toy(), dataset: datasetFor(f) }, backend: 'cpu' }),
      must: fileMust(f),
    });
  }
  // configs
  for (const m of configMutations())
    cases.push({ name: `runs.start ${m.name}`, request: api('runs.start', { config: m.config }), must: m.must });
  // bodies
  const bodies: [string, string | Buffer][] = [
    ['not JSON', '{'],
    ['garbage', garbage(300, 11)],
    ['BOM', '\ufeff{}'],
    ['deep nesting', '['.repeat(200_000)],
    ['NUL bytes', '{"config":\0}'],
    ['trailing comma', '{"config": {},}'],
    ['single quotes', "{'config': {}}"],
    ['huge number', '{"config": 1e999999}'],
  ];
  for (const [name, body] of bodies)
    cases.push({ name: `runs.start body: ${name}`, request: () => ({ path: '/api/runs.start', body }), must: ['JSON', 'config'] });
  const wrongTypes: [string, unknown, string][] = [
    ['runs.start', [], '(root)'],
    ['runs.start', 'x', '(root)'],
    ['runs.start', 42, '(root)'],
    ['runs.start', null, 'config'],
    ['runs.start', { config: [] }, 'config'],
    ['runs.start', { config: toy(), backend: 'gpu' }, 'backend'],
    ['runs.start', { config: toy(), bogus: 1 }, 'bogus'],
    ['runs.get', { runId: 123 }, 'runId'],
    ['runs.get', { runId: '../etc' }, 'runId'],
    ['runs.get', { runId: 'x'.repeat(5000) }, 'runId'],
    ['runs.get', {}, 'runId'],
    ['runs.cancel', { runId: null }, 'runId'],
    ['runs.delete', { runId: '/etc/passwd' }, 'runId'],
    ['runs.resume', { runId: 'no-such-run' }, 'no-such-run'],
    ['runs.resume', { runId: 'x', generations: -1 }, 'generations'],
    ['dataset.preview', { dataset: { kind: 'mnist' }, samples: 0 }, 'samples'],
    ['dataset.preview', { dataset: { kind: 'mnist' }, seed: -5 }, 'seed'],
    ['dataset.preview', { dataset: { kind: 'bogus' } }, 'dataset'],
    ['dataset.preview', { dataset: { kind: 'npy' } }, 'path'],
    ['split.preview', { dataset: { kind: 'gaussian' }, islands: { count: 0, split: 'iid' } }, 'count'],
    ['split.preview', { dataset: { kind: 'gaussian' }, islands: { count: 2, split: 'dirichlet:abc' } }, 'split'],
    ['config.validate', { config: toy(), extra: 1 }, 'extra'],
    ['presets.list', { bogus: true }, 'bogus'],
  ];
  for (const [op, body, must] of wrongTypes)
    cases.push({ name: `${op} ${JSON.stringify(body).slice(0, 50)}`, request: api(op, body), must });
  for (const op of ['runs.explode', '../runs.list', 'constructor', '__proto__', 'x'.repeat(3000)]) {
    // ("../runs.list" leaves /api/ once the URL is resolved: a page path, which takes no POST)
    cases.push({ name: `unknown operation ${op.slice(0, 20)}`, request: api(op, {}), must: ['operation', 'method'] });
  }
  // sizes
  cases.push({
    name: 'body over the limit (Content-Length)',
    request: () => ({ path: '/api/runs.start', body: Buffer.alloc(5 * 2 ** 20, 0x20) }),
    must: 'larger than',
  });
  cases.push({
    name: 'body over the limit (chunked)',
    request: () => ({ path: '/api/runs.start', headers: { 'Transfer-Encoding': 'chunked' }, body: Buffer.alloc(6 * 2 ** 20, 0x20) }),
    must: 'larger than',
  });
  cases.push({ name: 'URL of 100 KB', request: () => ({ method: 'GET', path: '/files/' + 'a'.repeat(100_000) }), must: null });
  // headers
  const hdr = (name: string, headers: Record<string, string>, must: string | null, spec: Partial<RequestSpec> = {}) =>
    cases.push({ name: `headers: ${name}`, request: () => ({ path: '/api/presets.list', body: '{}', headers, ...spec }), must });
  hdr('no token', { 'X-Lab-Token': '' }, 'token');
  hdr('wrong token', { 'X-Lab-Token': 'x'.repeat(32) }, 'token');
  hdr('foreign Host', { Host: 'evil.example' }, 'Host');
  hdr('foreign Origin', { Origin: 'http://evil.example' }, 'cross-origin');
  hdr('Origin null', { Origin: 'null' }, 'cross-origin');
  hdr('text/plain', { 'Content-Type': 'text/plain' }, 'application/json');
  hdr('no Content-Type', { 'Content-Type': '' }, 'application/json');
  hdr('GET on the API', {}, 'POST', { method: 'GET', body: undefined });
  hdr('DELETE on a page', {}, 'method', { method: 'DELETE', path: '/', body: undefined });
  hdr('token only in the query', { 'X-Lab-Token': '' }, 'token', { path: '/api/presets.list?token=x' });
  hdr('200 extra headers', Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`X-Junk-${i}`, 'y'.repeat(100)])), null);
  // files
  for (const p of [
    '/files/../../etc/passwd',
    '/files/%2e%2e/%2e%2e/etc/passwd',
    '/files/run/%00',
    '/files/C:%5cWindows',
    '/files/no-run/x.png',
    '/files/.hidden',
  ]) {
    cases.push({ name: `GET ${p}`, request: (s) => ({ method: 'GET', path: p, headers: { 'X-Lab-Token': s.token } }), must: null });
  }
  // the HTTP layer
  const raw = (name: string, bytes: (s: ServerProcess) => string | Buffer) => cases.push({ name: `raw: ${name}`, raw: bytes, must: null });
  raw('garbage request line', () => garbage(200, 12));
  raw('bad request line', () => 'GARBAGE\r\n\r\n');
  raw('bad Content-Length', (s) => `POST /api/presets.list HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: abc\r\n\r\n{}`);
  raw(
    'two Content-Lengths',
    (s) => `POST /api/presets.list HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}`,
  );
  raw(
    'bad chunk size',
    (s) =>
      `POST /api/presets.list HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nTransfer-Encoding: chunked\r\nX-Lab-Token: ${s.token}\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
  );
  raw(
    'body shorter than its Content-Length',
    (s) =>
      `POST /api/presets.list HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-Lab-Token: ${s.token}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{}`,
  );
  raw('header without a colon', (s) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nbogus header\r\n\r\n`);
  raw('NUL in a header', (s) => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-A: a\0b\r\n\r\n`);
  // issue 26: other than exactly one Host header
  hostHeaderRequests(0, '').forEach(({ name }, k) => raw(`Host: ${name}`, (srv) => hostHeaderRequests(srv.port, srv.token)[k].bytes));
  return cases;
}

// ── the suite ────────────────────────────────────────────────────────────────────────────────────────────────────────
describe('bad inputs at the CLI and the server', () => {
  const cli = new CliProcess();
  const server = new ServerProcess();

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-fuzz-'));
    files = makeBadFiles(path.join(tmp, 'files'));
    good = goodNpy(path.join(tmp, 'good.npy'));
    cliWorkspace = path.join(tmp, 'cli-workspace');
    serverWorkspace = path.join(tmp, 'server-workspace');
    fs.mkdirSync(cliWorkspace);
    fs.mkdirSync(serverWorkspace);
    await server.start();
  }, 120_000);

  afterAll(() => {
    cli.stop();
    server.stop();
    const lines = [
      '',
      `fuzz: ${tally.tried} inputs tried / ${tally.clean} clean errors / ${tally.bad.length} bad outcomes`,
      ...tally.bad.map((b) => `  bad: ${b}`),
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the CLI refuses every bad input cleanly', async () => {
    const cases = cliCases();
    for (const c of cases) await tryCli(cli, c);
    const bad = tally.bad.filter((b) => b.startsWith('cli: '));
    expect(bad, bad.join('\n')).toEqual([]);
  }, 900_000);

  it('the server refuses every bad request cleanly and goes on serving', async () => {
    const cases = serverCases();
    for (const c of cases) await tryServer(server, c);
    const bad = tally.bad.filter((b) => b.startsWith('server: '));
    expect(bad, bad.join('\n')).toEqual([]);
  }, 900_000);

  it('tried at least 600 inputs', () => {
    expect(tally.tried).toBeGreaterThanOrEqual(600);
  });
});
