import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canTransition, type RunState } from '../../main/contract/run-state';

const root = path.resolve(__dirname, '../..');
const bin = path.join(root, 'bin', 'collapse-lab.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: tmp, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeConfig(name: string, config: unknown): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, JSON.stringify(config));
  return p;
}

const toy = (generations: number) => ({
  name: 'cli toy',
  seed: 4,
  dataset: { kind: 'gaussian', dim: 8, trainSize: 300, testSize: 100 },
  model: { kind: 'gaussian' },
  loop: { generations, paradigm: 'replace', keep: 60, ratio: 5 },
  selection: { scheme: 'random' },
});

describe('collapse-lab CLI', () => {
  it('lists presets', () => {
    const r = cli(['presets', '--json']);
    expect(r.code).toBe(0);
    const names = JSON.parse(r.stdout).presets.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['smoke', 'mnist-islands', 'gaussian-collapse']));
    // each with its time on this machine and the backend (a fresh workspace: the catalog's figure, said so)
    const text = cli(['presets', '--out', tmp]);
    expect(text.stdout).toMatch(/^smoke +≈ \d+ s on a 2-core machine \(wasm, 2 cores; not measured here: run the doctor\)$/m);
  });

  it('prints an MNIST island split', () => {
    const r = cli(['split', '--dataset', 'mnist', '--islands', '10', '--split', 'exdir:1,0.1', '--seed', '3', '--json']);
    expect(r.code).toBe(0);
    const { islands } = JSON.parse(r.stdout) as { islands: { size: number; classCounts: number[] }[] };
    expect(islands).toHaveLength(10);
    expect(islands.reduce((s, i) => s + i.size, 0)).toBe(60_000);
    for (const isl of islands) expect(isl.classCounts.filter((c) => c > 0)).toHaveLength(1);
  });

  it('refuses an impossible split with a clear message', () => {
    const r = cli(['split', '--dataset', 'mnist', '--islands', '5', '--split', 'exdir:1,0.1', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/impossible/);
  });

  it('names the field at fault in a bad config file, and the file when it is not JSON', () => {
    const bad = writeConfig('bad.json', { ...toy(2), loop: { generations: 2, keep: 60, ratio: 0.5 } });
    const r = cli(['run', '--config', bad, '--out', path.join(tmp, 'ws'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json/);
    expect(r.stderr).toMatch(/loop\.ratio/);
    fs.writeFileSync(path.join(tmp, 'broken.json'), '{ "name": ');
    const r2 = cli(['run', '--config', path.join(tmp, 'broken.json')]);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/broken\.json is not valid JSON/);
  });

  it('runs a config to the end, with JSON on stdout and progress on stderr', () => {
    const cfg = writeConfig('toy.json', toy(3));
    const r = cli(['run', '--config', cfg, '--out', path.join(tmp, 'ws'), '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ state: 'completed', lastGeneration: 2, generations: 3, backend: 'cpu' });
    expect(fs.existsSync(path.join(result.dir, 'gen-002', 'samples.png'))).toBe(true);
    // stderr carries JSON progress lines
    const lines = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((e) => e.type === 'progress')).toBe(true);
  });

  it('resumes a run whose process was killed, losing nothing finished', async () => {
    const ws = path.join(tmp, 'ws-kill');
    const cfg = writeConfig('long.json', {
      ...toy(25),
      dataset: { kind: 'gaussian', dim: 30, trainSize: 2000, testSize: 100 },
      loop: { generations: 25, paradigm: 'accumulate', keep: 200, ratio: 5 },
    });
    const child = spawn(process.execPath, [bin, 'run', '--config', cfg, '--out', ws, '--backend', 'cpu', '--json'], {
      cwd: tmp,
      stdio: 'pipe',
    });
    // wait until a few generations are committed, then kill the whole process without warning
    const runDir = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const dirs = fs.existsSync(ws) ? fs.readdirSync(ws) : [];
        const d = dirs[0] && path.join(ws, dirs[0]);
        if (d && fs.existsSync(path.join(d, 'metrics.jsonl'))) {
          const lines = fs.readFileSync(path.join(d, 'metrics.jsonl'), 'utf8').trim().split('\n');
          if (lines.length >= 3) {
            clearInterval(timer);
            resolve(d);
          }
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('run ended before it could be killed'));
      });
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const done = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length;

    const list = JSON.parse(cli(['list', '--out', ws, '--json']).stdout);
    expect(list.runs[0].state).toBe('interrupted');

    const r = cli(['resume', path.basename(runDir), '--out', ws, '--backend', 'cpu', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ state: 'completed', lastGeneration: 24 });
    const lines = fs
      .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.generation)).toEqual(Array.from({ length: 25 }, (_, g) => g));
    expect(done).toBeGreaterThanOrEqual(3);
  });

  it('a run in a terminal is watched live and cancelled from another process (the app), keeping what it finished', async () => {
    const ws = path.join(tmp, 'ws-external');
    const cfg = writeConfig('external.json', {
      ...toy(200),
      dataset: { kind: 'gaussian', dim: 30, trainSize: 2000, testSize: 100 },
      loop: { generations: 200, paradigm: 'accumulate', keep: 200, ratio: 5 },
    });
    const child = spawn(process.execPath, [bin, 'run', '--config', cfg, '--out', ws, '--backend', 'cpu', '--json'], {
      cwd: tmp,
      stdio: 'pipe',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const { RunManager } = await import('../../main/runs/run-manager');
    const { ExternalRunWatcher } = await import('../../main/runs/external-run-watcher');
    const manager = new RunManager(ws); // the app's: it trains nothing itself
    const events: { type: string; state?: string; generation?: number }[] = [];
    const watcher = new ExternalRunWatcher(manager, (e) => events.push(e), 50);
    watcher.start();
    try {
      // wait for a few generations and a progress event relayed from the terminal's run
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (events.filter((e) => e.type === 'generation').length >= 2 && events.some((e) => e.type === 'progress')) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
        void exited.then(() => {
          clearInterval(timer);
          reject(new Error('the run ended before it was cancelled'));
        });
      });
      // a queued run of a live process shows as queued (its status names the owner's pid), then starting, running
      expect(events[0]).toMatchObject({ type: 'status' });
      expect(['queued', 'starting', 'running']).toContain(events[0].state);
      expect(events.some((e) => e.type === 'status' && e.state === 'running')).toBe(true);
      const [run] = manager.list();
      expect(() => manager.delete(run.id)).toThrow(/running in another process/);
      manager.cancel(run.id);
      expect(await exited).toBe(1); // the terminal's run ended without completing: exit code 1, as for Ctrl-C
      const status = JSON.parse(fs.readFileSync(path.join(ws, run.id, 'status.json'), 'utf8'));
      expect(status.state).toBe('cancelled');
      expect(status.lastGeneration).toBeGreaterThanOrEqual(1);
      expect(status.lastGeneration).toBeLessThan(199);
      await new Promise((r) => setTimeout(r, 200));
      expect(events[events.length - 1]).toMatchObject({ type: 'status', state: 'cancelled' });
      // every state seen is a move the state machine allows, and the cancel showed as cancelling until it took
      const states = events.filter((e) => e.type === 'status').map((e) => e.state as RunState);
      for (let i = 1; i < states.length; i++) expect(canTransition(states[i - 1], states[i]), states.join(' → ')).toBe(true);
      expect(states.slice(-2)).toEqual(['cancelling', 'cancelled']);
      expect(fs.existsSync(path.join(ws, run.id, 'cancel-request.json'))).toBe(false);
    } finally {
      watcher.stop();
      child.kill('SIGKILL');
    }
  });
});
