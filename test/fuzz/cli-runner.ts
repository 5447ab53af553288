/**
 * The fuzz suite's CLI process: forked by bad-inputs.fuzz.ts (node --import tsx), it runs CLI invocations in this one
 * process, as `collapse-lab ARGS…` would, one at a time as the parent sends them, and answers each with its exit code
 * and output. Starting a process per input would cost seconds each (tsx, TensorFlow.js); this process is restarted
 * only when it dies or hangs on an input, which the parent then counts as that input's (bad) outcome.
 */
import { runCliInProcess } from '../cli/cli-in-process';

interface Job {
  id: number;
  args: string[];
}

process.on('message', (job: Job) => {
  void runCliInProcess(job.args).then(
    (r) => process.send!({ id: job.id, ...r }),
    (e) => process.send!({ id: job.id, code: -1, stdout: '', stderr: `runner: ${(e as Error).stack}` }),
  );
});
process.send!({ ready: true });
