import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseIntOption, parseNumberOption } from '../../main/cli/numbers';
import { hasStackTrace, runCliInProcess } from './cli-in-process';

/**
 * Issue 14, item 8: `split --islands abc` printed `"islands":[]` and exited 0; `--seed abc` and `--seed -5` gave NaN or
 * negative seeds. Every numeric option of every command (study and worker aside: their owner checks them) refuses a
 * bad value with a nonzero exit and one error line that names the option, before anything runs.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-cli-numbers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const f = (name: string) => path.join(tmp, name); // files that need not exist: the option is refused first

/** [arguments, the option the error must name] */
const BAD: [string[], string][] = [];
const bad = (args: string[], option: string, values: string[]) => {
  for (const v of values) BAD.push([[...args, option, v], option]);
};
const NOT_INT = ['abc', '', '1.5', '0x10', '12abc', 'NaN', 'Infinity', '1e400'];
const SEEDS = [...NOT_INT, '-5', '-1', '4294967296', '99999999999999999999'];

bad(['split'], '--islands', [...NOT_INT, '0', '-3', '1001']);
bad(['split'], '--seed', SEEDS);
bad(['split'], '--subset', [...NOT_INT, '0', '-1', '10000001']);
bad(['metrics', '--real', f('r.npy'), '--fake', f('f.npy')], '--k', [...NOT_INT, '0', '-2']);
bad(['metrics', '--real', f('r.npy'), '--fake', f('f.npy')], '--max-samples', ['abc', '0', '-5', '2.5']);
bad(['metrics', '--real', f('r.npy'), '--fake', f('f.npy')], '--seed', SEEDS);
bad(['train-reference', '--data', f('d'), '--out', f('o')], '--epochs', ['abc', '0', '-1', '1.5']);
bad(['train-reference', '--data', f('d'), '--out', f('o')], '--seed', ['abc', '-5']);
bad(['ot', 'distance', '--x', f('x.npy'), '--y', f('y.npy')], '--reg', ['abc', '0', '-1', 'NaN', 'Infinity', '']);
bad(['ot', 'distance', '--x', f('x.npy'), '--y', f('y.npy')], '--max-iter', ['abc', '0', '1.5']);
bad(['ot', 'distance', '--x', f('x.npy'), '--y', f('y.npy')], '--tol', ['abc', '-1', 'NaN']);
bad(['ot', 'barycenter', '--inputs', f('a.npy'), '--out', f('o.npy')], '--support', ['abc', '0', '-4', '2.5']);
bad(['ot', 'barycenter', '--inputs', f('a.npy'), '--support', '3', '--out', f('o.npy')], '--seed', ['abc', '-5']);
bad(['ot', 'barycenter', '--inputs', f('a.npy'), '--support', '3', '--out', f('o.npy')], '--weights', ['abc', '-1', 'NaN']);
bad(['ot', 'barycenter', '--inputs', f('a.npy'), '--support', '3', '--out', f('o.npy')], '--max-iter', ['0', 'x']);
bad(['select', '--scheme', 'random', '--pool', f('p.npy'), '--reference', f('r.npy')], '--keep', ['abc', '-1', '1.5']);
bad(['select', '--scheme', 'random', '--pool', f('p.npy'), '--reference', f('r.npy'), '--keep', '3'], '--seed', ['abc', '-5']);
bad(['select', '--scheme', 'random', '--pool', f('p.npy'), '--reference', f('r.npy'), '--keep', '3'], '--verifier', ['abc', '-1']);
bad(['serve', '--no-open'], '--port', ['abc', '-1', '65536', '80.5', '']);
bad(['bench', 'train'], '--batch', ['abc', '0', '-1']);
bad(['bench', 'train'], '--seconds', ['abc', '0', '-1', 'Infinity']);
bad(['bench', 'train'], '--workers', ['abc', '0']);
bad(['resume', 'no-such-run', '--out', f('ws')], '--generations', ['abc', '0', '-1', '2.5']);
// feature spaces: checked as the option is read too (select took --features pca:0 and ran)
bad(['select', '--scheme', 'random', '--pool', f('p.npy'), '--reference', f('r.npy'), '--keep', '3'], '--features', [
  'pca:0',
  'bogus',
  'pca:x',
]);
bad(['metrics', '--real', f('r.npy'), '--fake', f('f.npy')], '--features', ['pca:0', 'bogus']);

describe('every numeric option refuses a bad value, naming the option', () => {
  it(`${BAD.length} bad values`, async () => {
    const wrong: string[] = [];
    for (const [args, option] of BAD) {
      const r = await runCliInProcess(args);
      const first = r.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
      const problems = [
        r.code === 0 && 'exit 0',
        !first.includes(option) && `the error does not name ${option}`,
        hasStackTrace(r.stderr + r.stdout) && 'a stack trace',
        r.stdout.trim() !== '' && `stdout: ${r.stdout.slice(0, 80)}`,
      ].filter(Boolean);
      if (problems.length > 0) wrong.push(`${args.join(' ')} → ${problems.join(', ')} (${first.slice(0, 120)})`);
    }
    expect(wrong).toEqual([]);
  });

  it('a config given to split has its seed and island count checked too', async () => {
    const cases: [unknown, string][] = [
      [{ seed: -5, dataset: { kind: 'gaussian' }, islands: { count: 2 } }, 'seed'],
      [{ seed: 'abc', dataset: { kind: 'gaussian' }, islands: { count: 2 } }, 'seed'],
      [{ seed: 1, dataset: { kind: 'gaussian' }, islands: { count: 'abc' } }, 'islands.count'],
      [{ seed: 1, dataset: { kind: 'gaussian' }, islands: { count: 0 } }, 'islands.count'],
    ];
    for (const [config, field] of cases) {
      const file = f(`config-${field}-${String((config as { seed: unknown }).seed)}.json`);
      fs.writeFileSync(file, JSON.stringify(config));
      const r = await runCliInProcess(['split', '--config', file, '--json']);
      expect(r.code, JSON.stringify(config)).not.toBe(0);
      expect(r.stderr, JSON.stringify(config)).toContain(field);
      expect(r.stdout).toBe('');
    }
  });

  it('good values still pass', () => {
    expect(parseIntOption('--seed', '0', { min: 0, max: 2 ** 32 - 1 })).toBe(0);
    expect(parseIntOption('--seed', '4294967295', { min: 0, max: 2 ** 32 - 1 })).toBe(4294967295);
    expect(parseIntOption('--k', ' 7 ', { min: 1, max: 10 })).toBe(7);
    expect(parseNumberOption('--tol', '1e-9', { min: 0 })).toBe(1e-9);
    expect(parseNumberOption('--reg', '.5', { above: 0 })).toBe(0.5);
    expect(() => parseNumberOption('--reg', '0', { above: 0 })).toThrow(/--reg must be a number > 0, got "0"/);
  });

  it('split with good numbers runs', async () => {
    const r = await runCliInProcess(['split', '--dataset', 'gaussian', '--islands', '3', '--seed', '7', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).islands).toHaveLength(3);
  });
});
