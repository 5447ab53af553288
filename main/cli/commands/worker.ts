import { Command, Option } from 'commander';
import { backendRequests } from '../../contract/backend-request';
import { StudyWorker, workspaceOption, workerSettingsFromEnv, type BackendRequest, type WorkerJobLine } from '../../index';
import { parseIntOption } from '../numbers';

interface WorkerOpts {
  queue: string;
  out?: string;
  concurrency?: string;
  backend?: BackendRequest;
  lockDuration?: string;
  stalledInterval?: string;
  json: boolean;
}

function positiveInt(flag: string, raw: string | undefined, min = 1, max = 10_000_000): number | undefined {
  if (raw === undefined) return undefined;
  return parseIntOption(flag, raw, { min, max });
}

function formatLine(l: WorkerJobLine): string {
  if (l.event === 'start') return `start ${l.runId}  (study ${l.studyId}, attempt ${l.attempt}, ${l.generations} generations)`;
  const gens = l.lastGeneration !== undefined ? `  ${l.lastGeneration + 1}/${l.generations}` : '';
  return `${(l.state ?? 'ended').padEnd(11)} ${l.runId}${gens}  ${l.seconds?.toFixed(1)} s${l.error ? `  (${l.error})` : ''}`;
}

/**
 * `collapse-lab worker`: takes study runs from the queue of `study run --queue` and runs them in the shared workspace,
 * each in its own process. One line per job start and end on stdout (JSON lines with --json). Ctrl-C or SIGTERM stops
 * it gracefully: no more jobs, the running runs are cancelled (keeping what they finished) and their jobs go back to
 * the queue for another worker; a second Ctrl-C exits at once.
 */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('take study runs from a BullMQ queue on Redis (`study run --queue`) and run them, each in its own process')
    .requiredOption('--queue <url>', "the studies' queue: redis://HOST:PORT")
    .option('--out <dir>', 'the shared workspace, as mounted on this machine (the same folder the coordinator uses)')
    .option('--concurrency <k>', 'runs at once on this machine (default: one per core)')
    .addOption(new Option('--backend <name>', "force a TensorFlow.js backend (default: the study's --backend)").choices(backendRequests))
    .option(
      '--lock-duration <ms>',
      "a job's lock (renewed every half): a dead worker's job is taken over after it (env COLLAPSE_LAB_QUEUE_LOCK_MS, default 30000)",
    )
    .option('--stalled-interval <ms>', 'how often stalled jobs are looked for (env COLLAPSE_LAB_QUEUE_STALLED_MS, default 30000)')
    .option('--json', 'one JSON line per job start and end on stdout', false)
    .action(async (opts: WorkerOpts) => {
      if (!/^rediss?:\/\//.test(opts.queue)) throw new Error(`--queue must be a redis:// URL, got "${opts.queue}"`);
      const env = workerSettingsFromEnv();
      const print = (value: Record<string, unknown>, human: string) =>
        process.stdout.write((opts.json ? JSON.stringify(value) : human) + '\n');
      const worker = await StudyWorker.start({
        url: opts.queue,
        workspace: workspaceOption(opts.out, { create: true }),
        concurrency: positiveInt('--concurrency', opts.concurrency, 1, 256),
        backend: opts.backend,
        lockDuration: positiveInt('--lock-duration', opts.lockDuration, 1000) ?? env.lockDuration,
        stalledInterval: positiveInt('--stalled-interval', opts.stalledInterval, 500) ?? env.stalledInterval,
        maxStalledCount: env.maxStalledCount,
        onJob: (l) => print({ ...l }, formatLine(l)),
        onError: (e) => process.stderr.write(`worker: ${e.message}\n`),
      });
      print(
        {
          event: 'ready',
          worker: worker.name,
          queue: worker.url,
          workspace: worker.workspace,
          concurrency: worker.concurrency,
          lockDuration: worker.lockDuration,
          stalledInterval: worker.stalledInterval,
        },
        `worker ${worker.name}: taking runs from ${worker.url} into ${worker.workspace}, ${worker.concurrency} at once (Ctrl-C stops)`,
      );
      let signals = 0;
      const onSignal = () => {
        signals += 1;
        if (signals > 1) process.exit(130);
        process.stderr.write(`\nstopping: no more runs; ${worker.running} running run(s) cancelled and given back to the queue…\n`);
        void worker.close();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      await worker.closed;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      print({ event: 'closed', worker: worker.name }, `worker ${worker.name}: stopped`);
    });
}
