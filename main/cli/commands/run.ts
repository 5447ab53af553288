import { backendOption } from '../backend-option';
import path from 'node:path';
import { Command } from 'commander';
import { findPreset, RunManager, workspaceOption, type BackendRequest } from '../../index';
import { intOption } from '../numbers';
import { printResult, progressPrinter, readJsonFile } from '../output';

/** Drive one run to its end in this process, relaying progress; Ctrl-C cancels it cleanly. */
async function drive(manager: RunManager, runId: string, json: boolean): Promise<void> {
  const onEvent = progressPrinter(json);
  manager.on('event', (e) => e.runId === runId && onEvent(e));
  const onSignal = () => {
    process.stderr.write('cancelling…\n');
    manager.cancel(runId);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const status = await manager.wait(runId);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  // the run's folder may be unreadable (deleted while it trained): the status this process holds still tells the end
  let detail: { dir: string; metrics: unknown[] };
  try {
    detail = manager.get(runId);
  } catch {
    detail = { dir: path.join(manager.workspace, runId), metrics: [] };
  }
  const result = {
    runId,
    dir: detail.dir,
    state: status.state,
    lastGeneration: status.lastGeneration,
    generations: status.generations,
    backend: status.backend,
    error: status.error,
    metrics: detail.metrics[detail.metrics.length - 1] ?? null,
  };
  printResult(result, json, () =>
    [
      `run ${runId}: ${status.state} (${status.lastGeneration + 1}/${status.generations} generations, backend ${status.backend ?? '?'})`,
      `folder: ${detail.dir}`,
      ...(status.error ? [`error: ${status.error}`] : []),
    ].join('\n'),
  );
  if (status.state !== 'completed') process.exitCode = 1;
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run an experiment from a preset or a config file')
    .option('--preset <name>', 'a preset name (see `collapse-lab presets`)')
    .option('--config <file>', 'a JSON config file')
    .option('--out <dir>', 'workspace folder for run folders (default: the user data folder)')
    .addOption(backendOption())
    .option('--json', 'print the result as JSON on stdout (progress as JSON lines on stderr)', false)
    .action(async (opts: { preset?: string; config?: string; out?: string; backend: BackendRequest; json: boolean }) => {
      if (!!opts.preset === !!opts.config) throw new Error('give exactly one of --preset NAME or --config FILE');
      const input = opts.preset ? findPreset(opts.preset).config : readJsonFile(opts.config!);
      const manager = new RunManager(workspaceOption(opts.out, { create: true }), opts.backend);
      // the dataset is checked (in a worker) before the run's folder is made; Ctrl-C abandons the check
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let runId: string;
      try {
        runId = await manager.startChecked(input, { ...(opts.config ? { source: opts.config } : {}), signal: abort.signal });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      await drive(manager, runId, opts.json);
    });

  program
    .command('resume <run>')
    .description('continue a cancelled, failed or killed run from its last completed generation, or extend a finished one')
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option(
      '--generations <g>',
      'extend the run to G generations in all (also a completed run)',
      intOption('--generations', { min: 1, max: 10_000 }),
    )
    .addOption(backendOption())
    .option('--json', 'print the result as JSON', false)
    .action(async (run: string, opts: { out?: string; generations?: number; backend: BackendRequest; json: boolean }) => {
      const { workspace, runId } = locateRun(run, opts.out);
      const generations = opts.generations;
      const manager = new RunManager(workspace, opts.backend);
      manager.resume(runId, { generations });
      await drive(manager, runId, opts.json);
    });

  program
    .command('list')
    .description('list the runs in the workspace')
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--json', 'print as JSON', false)
    .action((opts: { out?: string; json: boolean }) => {
      const manager = new RunManager(workspaceOption(opts.out));
      const runs = manager.list();
      printResult({ workspace: manager.workspace, runs }, opts.json, () =>
        runs.length === 0
          ? `no runs in ${manager.workspace}`
          : runs
              .map((r) => `${r.id}  ${r.state.padEnd(11)} ${r.lastGeneration + 1}/${r.generations}  ${r.dataset}/${r.model}/${r.scheme}`)
              .join('\n'),
      );
    });
}

/** A run is named by its id (in --out or the default workspace) or by the path of its folder. */
function locateRun(run: string, out?: string): { workspace: string; runId: string } {
  if (run.includes('/') || run.includes(path.sep)) {
    const dir = path.resolve(run);
    return { workspace: path.dirname(dir), runId: path.basename(dir) };
  }
  return { workspace: workspaceOption(out), runId: run };
}
