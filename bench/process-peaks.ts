/**
 * The peak memory of each process of this process's tree, apart: this process's own (getrusage's maxRSS, the kernel's
 * high-water mark of this process alone) and each descendant's, sampled from /proc/<pid>/status (VmHWM, the kernel's
 * high-water mark of that process, and VmRSS now) while it lives. `/usr/bin/time` reports only the largest process of
 * the tree, which for a study is a run process, not the coordinator. Linux only: elsewhere the descendants are empty.
 */
import fs from 'node:fs';

export interface ProcessPeak {
  pid: number;
  /** The process's command line, shortened (which entry it runs). */
  command: string;
  /** Its high-water resident set, MB (the last VmHWM read while it lived). */
  peakMb: number;
  /** Its resident set at the first and the last sample, MB: growth over its life. */
  firstMb: number;
  lastMb: number;
  /** Seconds between its first and its last sample. */
  seconds: number;
}

const MB = 2 ** 20;

function statusMb(pid: number): { hwm: number; rss: number } | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
    const hwm = kb('VmHWM');
    const rss = kb('VmRSS');
    return Number.isFinite(hwm) && Number.isFinite(rss) ? { hwm: (hwm * 1024) / MB, rss: (rss * 1024) / MB } : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) => {
      try {
        return fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

function descendants(pid: number): number[] {
  const out: number[] = [];
  const todo = childrenOf(pid);
  while (todo.length > 0) {
    const p = todo.pop()!;
    out.push(p);
    todo.push(...childrenOf(p));
  }
  return out;
}

/**
 * What a process runs: the engine module spawnProcess started it on (its bootstrap's COLLAPSE_LAB_PROCESS_ENTRY: a
 * helper the process starts, tsx's esbuild, inherits that variable but not the bootstrap), else its script.
 */
function commandOf(pid: number): string {
  let argv: string[];
  try {
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return '?';
  }
  if (argv.some((a) => a.endsWith('ts-process-bootstrap.mjs'))) {
    try {
      const entry = /(?:^|\0)COLLAPSE_LAB_PROCESS_ENTRY=([^\0]*)/.exec(fs.readFileSync(`/proc/${pid}/environ`, 'utf8'))?.[1];
      if (entry) return entry.split('/').slice(-2).join('/');
    } catch {
      // gone
    }
  }
  const entry = argv.find((a) => /\.(ts|js|mjs|py)$/.test(a)) ?? argv[0] ?? '?';
  return entry.split('/').slice(-2).join('/');
}

/** Samples the tree every `everyMs` until stopped; `self()` is this process's own peak. */
export class ProcessPeaks {
  private readonly seen = new Map<number, ProcessPeak & { t0: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 250) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    const now = performance.now();
    for (const pid of descendants(process.pid)) {
      const m = statusMb(pid);
      if (!m || m.rss === 0) continue;
      const p = this.seen.get(pid);
      if (!p) {
        this.seen.set(pid, { pid, command: commandOf(pid), peakMb: m.hwm, firstMb: m.rss, lastMb: m.rss, seconds: 0, t0: now });
      } else {
        // read again: a process seen between its fork and its exec showed its parent's command line
        p.command = commandOf(pid);
        p.peakMb = Math.max(p.peakMb, m.hwm);
        p.lastMb = m.rss;
        p.seconds = (now - p.t0) / 1000;
      }
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Each descendant seen, in the order first seen. */
  descendants(): ProcessPeak[] {
    return [...this.seen.values()].map(({ t0: _t0, ...p }) => p);
  }

  /** This process's own high-water resident set, MB (getrusage RUSAGE_SELF: its threads, not its children). */
  static self(): number {
    return (process.resourceUsage().maxRSS * 1024) / MB;
  }
}
