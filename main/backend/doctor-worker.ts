import { parentPort, workerData } from 'node:worker_threads';
import { diagnoseCompute, type DoctorOptions } from './doctor';

/** Worker entry of the doctor (main/backend/doctor.ts): diagnoses with workerData's options, posts the report. */
const port = parentPort;
if (!port) throw new Error('doctor-worker must run in a worker thread');
try {
  port.postMessage({ report: await diagnoseCompute(workerData as DoctorOptions) });
} catch (e) {
  port.postMessage({ error: (e as Error)?.message ?? String(e) });
}
