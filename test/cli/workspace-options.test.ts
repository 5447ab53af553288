import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from './cli-in-process';

/**
 * Issue 26 cases 1, 7 and 8: every command that takes --out checks the folder before any work, so an empty value, a
 * device, /proc, /sys or a file is refused by name (`run --out ""` used to run into the current folder, `serve --out
 * /dev/null` to serve, `train-reference --out /proc/x/r` to train and then spin).
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'collapse-lab-out-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const aFile = path.join(tmp, 'a-file');
fs.writeFileSync(aFile, 'x');

const commands: [string, string[]][] = [
  ['run', ['run', '--preset', 'gaussian-collapse']],
  ['serve', ['serve', '--port', '0', '--no-open']],
  ['study run', ['study', 'run', '--preset', 'selection-bias-toy']],
  ['worker', ['worker', '--queue', 'redis://127.0.0.1:1']],
  ['train-reference', ['train-reference', '--data', path.join(tmp, 'no-such-data'), '--epochs', '1']],
];

const linux = process.platform === 'linux';
const bad: [string, string, RegExp][] = [
  ['empty', '', /--out is empty: name a folder/],
  ['blank', '  ', /--out is empty/],
  ['a file', aFile, /a-file is a file, not a folder/],
  ...(linux
    ? ([
        ['a device', '/dev/null', /\/dev\/null is a device, not a folder/],
        ['under /dev', '/dev/shm/collapse-lab-x', /is in \/dev, which holds device nodes/],
        ['/proc', '/proc/x/r', /\/proc is on the proc pseudo file system/],
        ['/sys', '/sys/x', /\/sys is on the sysfs pseudo file system/],
      ] as [string, string, RegExp][])
    : []),
];

describe('--out is checked before any work, for every command that writes', () => {
  for (const [name, args] of commands) {
    it(`${name} refuses an empty value, a file, a device, /proc and /sys by name`, async () => {
      const cwdBefore = fs.readdirSync(process.cwd());
      for (const [what, out, message] of bad) {
        const r = await runCliInProcess([...args, '--out', out]);
        expect(r.code, `${name} --out ${what}`).toBe(1);
        expect(r.stderr, `${name} --out ${what}`).toMatch(message);
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      }
      expect(fs.readdirSync(process.cwd())).toEqual(cwdBefore);
      expect(fs.existsSync('/dev/shm/collapse-lab-x')).toBe(false);
    });
  }
});

describe('a study whose queue cannot be used writes nothing (issue 26 case 9)', () => {
  it('an http URL, an unreachable Redis and a malformed URL are refused by name before any folder', async () => {
    const saved = process.env.COLLAPSE_LAB_QUEUE_CONNECT_MS;
    process.env.COLLAPSE_LAB_QUEUE_CONNECT_MS = '1000';
    try {
      const ws = path.join(tmp, 'study-ws');
      for (const [queue, message] of [
        ['http://127.0.0.1:1', /--queue must be a redis:\/\/ URL/],
        ['redis://127.0.0.1:1', /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/],
        ['redis://[::1', /--queue redis:\/\/\[::1 is not a valid URL/],
      ] as [string, RegExp][]) {
        const r = await runCliInProcess(['study', 'run', '--preset', 'selection-bias-toy', '--queue', queue, '--out', ws]);
        expect(r.code, queue).toBe(1);
        expect(r.stderr, queue).toMatch(message);
        expect(fs.existsSync(ws) ? fs.readdirSync(ws) : [], queue).toEqual([]);
      }
    } finally {
      if (saved === undefined) delete process.env.COLLAPSE_LAB_QUEUE_CONNECT_MS;
      else process.env.COLLAPSE_LAB_QUEUE_CONNECT_MS = saved;
    }
  });
});
