import { computeReport, type ComputeReport } from '../contract/compute-report';
import { spawnWorker } from '../util/spawn-worker';
import type { DoctorOptions } from './doctor';

/**
 * Run the doctor in a worker thread of its own (it activates every backend in turn, and a GPU fault must end only
 * that thread): the report, or an error naming what went wrong. The worker ends when it has answered.
 */
export function runDoctor(opts: DoctorOptions = {}): Promise<ComputeReport> {
  const worker = spawnWorker(new URL('./doctor-worker.ts', import.meta.url), { workerData: opts });
  return new Promise<ComputeReport>((resolve, reject) => {
    let answered = false;
    worker.once('message', (m: { report?: unknown; error?: string }) => {
      answered = true;
      if (m.error !== undefined) reject(new Error(`doctor: ${m.error}`));
      else resolve(computeReport.parse(m.report));
      // the backends it started (Dawn, the wasm thread pool) may hold the thread open: it has answered
      void worker.terminate();
    });
    worker.once('error', (e) => {
      answered = true;
      reject(new Error(`doctor: the worker failed: ${e.message}`));
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`doctor: the worker exited with code ${code} before answering`));
    });
  });
}
