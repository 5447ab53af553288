import { describeJsonError, readInputFile } from '../index';
import type { RunEvent } from '../contract/events';

/** stdout carries results (JSON with --json); stderr carries progress and errors. */
export function printResult(value: unknown, json: boolean, human: () => string): void {
  process.stdout.write(json ? JSON.stringify(value) + '\n' : human() + '\n');
}

/** Largest config or study file read (a JSON document of the lab is a few KB). */
const MAX_JSON_FILE_BYTES = 64 * 2 ** 20;

export function readJsonFile(file: string): unknown {
  // a regular file of bounded size only (a device or a named pipe is refused, not read)
  const text = readInputFile(file, 'config file', { maxBytes: MAX_JSON_FILE_BYTES }).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`config file ${file} is ${describeJsonError(e)}`);
  }
}

/** A progress reporter for stderr: one line per event kind worth telling, throttled. */
export function progressPrinter(json: boolean): (e: RunEvent) => void {
  let last = 0;
  return (e) => {
    if (json) {
      process.stderr.write(JSON.stringify(e) + '\n');
      return;
    }
    if (e.type === 'progress') {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      const parts = [`gen ${e.generation + 1}/${e.generations}`, e.phase];
      if (e.epoch) parts.push(`epoch ${e.epoch}/${e.epochs}`);
      if (e.batch) parts.push(`batch ${e.batch}/${e.batches}`);
      if (e.loss !== undefined) parts.push(`loss ${e.loss.toFixed(3)}`);
      parts.push(`${(100 * e.fraction).toFixed(0)}%`);
      if (e.etaSeconds !== undefined) parts.push(`ETA ${formatSeconds(e.etaSeconds)}`);
      process.stderr.write(parts.join('  ') + '\n');
    } else if (e.type === 'log') {
      process.stderr.write(e.message + '\n');
    } else if (e.type === 'status') {
      process.stderr.write(`run ${e.runId}: ${e.state}${e.backend ? ` (backend ${e.backend})` : ''}${e.error ? `: ${e.error}` : ''}\n`);
    }
  };
}

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
