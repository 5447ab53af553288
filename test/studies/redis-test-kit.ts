import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

// the Redis tests' shared kit: a redis-server of their own on a free loopback port (where to put it, starting it, when
// it answers), waiting for a condition, and a study's files without their wall-clock timings

const haveRedis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/** Redis tests are skipped only where redis-server is not installed and CI is not set (CI fails them: requireRedis). */
export const skipRedisTests = !haveRedis && !process.env.CI;

/** First in a Redis test's beforeAll: under CI a missing redis-server fails the test rather than skipping it. */
export function requireRedis(): void {
  if (!haveRedis) throw new Error('redis-server is not installed: CI needs it (.ci/run installs it with apt)');
}

/** The child processes a test starts, killed when the test process exits (a crash must leave no redis-server behind). */
export function killedOnExit(): Set<ChildProcess> {
  const children = new Set<ChildProcess>();
  process.on('exit', () => {
    for (const c of children) c.kill('SIGKILL');
  });
  return children;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.setTimeout(500);
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (d) => {
      sock.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    sock.on('error', () => resolve(false));
    sock.on('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

/**
 * Start a redis-server of the test's own on `port` (loopback, no RDB snapshots, `args` added: e.g. the append-only
 * file) with its files in `dir`, and wait until it answers; it is added to `children` while it lives.
 */
export async function startRedisServer(port: number, dir: string, args: string[], children: Set<ChildProcess>): Promise<ChildProcess> {
  const r = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...args, '--dir', dir], {
    cwd: dir,
    stdio: 'ignore',
  });
  children.add(r);
  r.once('exit', () => children.delete(r));
  for (let i = 0; i < 100; i++) {
    if (r.exitCode !== null) break;
    if (await ping(port)) return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** Wait until `cond` holds, looking every `everyMs`; after `timeoutMs`, fail naming `what` was awaited. */
export async function until(what: string, cond: () => boolean, timeoutMs = 60_000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Keys ending in seconds/Seconds are wall-clock timings, which legitimately differ between runs: dropped at any depth
 * (as metric names in lists, too).
 */
export function withoutSeconds(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(typeof x === 'string' && /seconds$/i.test(x))).map(withoutSeconds);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !/seconds$/i.test(k))
        .map(([k, x]) => [k, withoutSeconds(x)]),
    );
  }
  return v;
}
