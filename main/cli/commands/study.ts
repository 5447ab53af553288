import { backendOption } from '../backend-option';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { StudyEvent } from '../../contract/study';
import {
  findStudyPreset,
  presetEstimateText,
  StudyManager,
  studyOfPreset,
  studyPlanSummary,
  studyPresetInfos,
  workspaceOption,
  type BackendRequest,
  type QueueChoice,
  type StudyLimitOverrides,
  type StudyStatus,
} from '../../index';
import { parseIntOption } from '../numbers';
import { formatSeconds, printResult, readJsonFile } from '../output';

interface QueueOpts {
  out?: string;
  workspace?: string;
  parallel?: string;
  queue?: string;
  backend: BackendRequest;
  json: boolean;
  oversubscribe?: boolean;
  allowLarge?: boolean;
}

function limitsOf(opts: QueueOpts): StudyLimitOverrides {
  return { oversubscribe: opts.oversubscribe === true, allowLarge: opts.allowLarge === true };
}

function queueChoice(opts: QueueOpts): QueueChoice {
  if (opts.parallel !== undefined && opts.queue)
    throw new Error('give --parallel K (embedded queue) or --queue redis://… (workers), not both');
  if (opts.parallel === undefined) return opts.queue ? { queue: opts.queue } : {};
  return { parallel: parseIntOption('--parallel', opts.parallel, { min: 1, max: 256 }) };
}

function withQueueOptions(c: Command): Command {
  return c
    .option('--out <dir>', 'workspace folder (default: the user data folder); with --queue, one that every worker reaches')
    .option('--workspace <dir>', 'the same as --out')
    .option('--parallel <k>', 'runs at once on this machine, each in its own process (default: one per core)')
    .option('--queue <url>', 'run the study on BullMQ at redis://HOST:PORT; `collapse-lab worker` processes take its runs')
    .option('--oversubscribe', 'allow --parallel above the machine’s cores', false)
    .option('--allow-large', 'accept a study above the run-count limit (COLLAPSE_LAB_MAX_STUDY_RUNS) or the disk estimate', false)
    .addOption(backendOption())
    .option('--json', 'print the result as JSON on stdout, progress as JSON lines on stderr', false);
}

/** Coordinate a study to its end in this process, with progress on stderr; Ctrl-C cancels it (runs keep what they finished). */
async function drive(manager: StudyManager, studyId: string, json: boolean): Promise<void> {
  const print = studyProgressPrinter(json);
  manager.on('study', (e) => e.studyId === studyId && print(e));
  const onSignal = () => {
    process.stderr.write('\ncancelling the study…\n');
    manager.cancel(studyId);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const status = await manager.wait(studyId);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  printStatus(status, json);
  if (status.state !== 'completed') process.exitCode = 1;
}

function printStatus(status: StudyStatus, json: boolean): void {
  const { spec: _spec, ...rest } = status;
  printResult(rest, json, () => {
    const p = status.progress;
    const lines = [
      `study ${status.id}: ${status.state} (${p.completed}/${p.total} runs completed, ${p.running} running, ${p.queued} queued, ${p.failed} failed, ${p.cancelled + p.interrupted} stopped)`,
    ];
    for (const r of status.runs) {
      const cell = Object.entries(r.fields)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      lines.push(
        `  ${r.state.padEnd(11)} ${String(r.lastGeneration + 1).padStart(3)}/${r.generations}  seed ${r.seed}  ${cell}  ${r.runId}${r.error ? `  (${r.error})` : ''}`,
      );
    }
    return lines.join('\n');
  });
}

/** On a terminal a progress bar redrawn in place; otherwise a line per change of a run's state; JSON lines with --json. */
export function studyProgressPrinter(json: boolean): (e: StudyEvent) => void {
  const tty = process.stderr.isTTY && !json;
  return (e) => {
    if (json) return void process.stderr.write(JSON.stringify(e) + '\n');
    const p = e.progress;
    const width = 24;
    const filled = Math.round(width * p.fraction);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(100 * p.fraction).toFixed(0).padStart(3)}%`;
    const counts = `${p.completed}/${p.total} done, ${p.running} running, ${p.queued} queued${p.failed ? `, ${p.failed} failed` : ''}`;
    const eta = p.etaSeconds !== undefined ? `  ETA ${formatSeconds(p.etaSeconds)}` : '';
    if (tty) {
      if (e.run) process.stderr.write(`\r\x1b[K${e.run.state.padEnd(11)} ${e.run.runId}${e.run.error ? `: ${e.run.error}` : ''}\n`);
      process.stderr.write(`\r\x1b[K${bar} ${counts}${eta}`);
      if (e.state !== 'running') process.stderr.write('\n');
    } else if (e.run || e.state !== 'running') {
      process.stderr.write(
        `${bar} ${counts}${eta}${e.run ? `  ${e.run.runId}: ${e.run.state}${e.run.error ? ` (${e.run.error})` : ''}` : ''}\n`,
      );
    }
  };
}

/** `last` or a generation number. */
function generationOption(raw: string): 'last' | number {
  return raw.trim() === 'last' ? 'last' : parseIntOption('--generation (or "last")', raw, { min: 0, max: 1_000_000 });
}

/** The workspace of a command: --workspace or --out (the same; both only when equal), else the user data folder. */
function workspaceOf(opts: { out?: string; workspace?: string }): string {
  if (opts.out !== undefined && opts.workspace !== undefined && path.resolve(opts.out) !== path.resolve(opts.workspace)) {
    throw new Error('--out and --workspace both name the workspace folder: give one');
  }
  if (opts.workspace !== undefined) return workspaceOption(opts.workspace, { flag: '--workspace' });
  return workspaceOption(opts.out);
}

export function registerStudyCommands(program: Command): void {
  const study = program.command('study').description('studies: grids of runs on a job queue, aggregated');

  withQueueOptions(
    study
      .command('run [file]')
      .description('run a study file (or --preset NAME); a study of the same name continues, running only the new cells')
      .option('--preset <name>', 'a study preset (see `collapse-lab study list --presets`)'),
  ).action(async (file: string | undefined, opts: QueueOpts & { preset?: string }) => {
    if (!!opts.preset === !!file) throw new Error('give exactly one of a study FILE or --preset NAME');
    const input = opts.preset ? studyOfPreset(findStudyPreset(opts.preset)) : readJsonFile(file!);
    const manager = new StudyManager(workspaceOf(opts), opts.backend);
    const id = await manager.startChecked(input, { queue: queueChoice(opts), limits: limitsOf(opts), ...(file ? { source: file } : {}) });
    await drive(manager, id, opts.json);
  });

  study
    .command('plan [file]')
    .description('what a study file (or --preset NAME) would run: runs, cells, files per run and bytes, without running it')
    .option('--preset <name>', 'a study preset')
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--allow-large', 'plan a study above the run-count limit', false)
    .option('--parallel <n>', 'runs at once for the estimated time (default: one per core)', (v) =>
      parseIntOption('--parallel', v, { min: 1, max: 64 }),
    )
    .addOption(backendOption('the backend its runs would ask for (the estimated time uses its measured speed here)'))
    .option('--json', 'print the plan as JSON', false)
    .action(
      (
        file: string | undefined,
        opts: { preset?: string; out?: string; allowLarge?: boolean; parallel?: number; backend: BackendRequest; json: boolean },
      ) => {
        if (!!opts.preset === !!file) throw new Error('give exactly one of a study FILE or --preset NAME');
        const input = opts.preset ? studyOfPreset(findStudyPreset(opts.preset)) : readJsonFile(file!);
        const manager = new StudyManager(workspaceOf(opts), 'auto');
        const needsGpu = opts.preset ? findStudyPreset(opts.preset).needsGpu === true : false;
        const out = studyPlanSummary(manager, input, {
          ...(file ? { source: file } : {}),
          limits: { allowLarge: opts.allowLarge === true },
          ...(opts.parallel !== undefined ? { parallel: opts.parallel } : {}),
          backend: opts.backend,
        });
        const { storage } = out;
        printResult(out, opts.json, () =>
          [
            `study ${out.studyId}: ${out.runs} runs in ${out.cells} cells (${out.completed} completed, ${out.pending} to run)`,
            `time of the runs to do: ${presetEstimateText(out.here, needsGpu)}`,
            `storage ${storage.join(', ')}: about ${out.filesPerRun} files per run, ${(out.estimatedBytes / 1e6).toFixed(1)} MB in all`,
          ].join('\n'),
        );
      },
    );

  withQueueOptions(
    study.command('resume <id>').description('continue a study: every run that is not complete continues where it stopped'),
  ).action(async (id: string, opts: QueueOpts) => {
    const manager = new StudyManager(workspaceOf(opts), opts.backend);
    await manager.resumeChecked(id, { queue: queueChoice(opts), limits: limitsOf(opts) });
    await drive(manager, id, opts.json);
  });

  study
    .command('status <id>')
    .description("a study's runs and their states")
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--workspace <dir>', 'the same as --out')
    .option('--json', 'print as JSON', false)
    .action((id: string, opts: { out?: string; workspace?: string; json: boolean }) => {
      printStatus(new StudyManager(workspaceOf(opts)).status(id), opts.json);
    });

  study
    .command('cancel <id>')
    .description('stop a running study everywhere (its runs keep what they finished; `study resume` continues it)')
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--workspace <dir>', 'the same as --out')
    .option('--json', 'print as JSON', false)
    .action((id: string, opts: { out?: string; workspace?: string; json: boolean }) => {
      new StudyManager(workspaceOf(opts)).cancel(id);
      printResult({ studyId: id, cancelRequested: true }, opts.json, () => `study ${id}: cancel requested`);
    });

  study
    .command('table <id>')
    .description("a study's results: one row per cell, mean ± sd (n) over seeds")
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--workspace <dir>', 'the same as --out')
    .option(
      '--metric <keys>',
      'comma-separated metric keys (default: the metrics the study computes, then FID, precision, recall, coverage, W₁, Tr(Σ), ψ, classes, selection s)',
    )
    .option('--generation <g>', 'last, or a generation number', 'last')
    .addOption(new Option('--format <f>', 'output format').choices(['md', 'csv', 'latex', 'json']).default('md'))
    .action(
      (
        id: string,
        opts: { out?: string; workspace?: string; metric?: string; generation: string; format: 'md' | 'csv' | 'latex' | 'json' },
      ) => {
        const generation = generationOption(opts.generation);
        const metrics = opts.metric
          ? opts.metric
              .split(',')
              .map((m) => m.trim())
              .filter(Boolean)
          : undefined;
        const text = new StudyManager(workspaceOf(opts)).table(id, { metrics, generation, format: opts.format });
        process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      },
    );

  study
    .command('correlate <id>')
    .description("Pearson's and Spearman's correlation of metrics across a study's runs (every cell and seed)")
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--workspace <dir>', 'the same as --out')
    .requiredOption('--x <keys>', 'comma-separated metric keys, e.g. scoreErrorL2,scoreErrorGradient')
    .requiredOption('--y <keys>', 'comma-separated metric keys, e.g. energyToExact')
    .option('--generation <g>', 'last, or a generation number', 'last')
    .option('--json', 'print as JSON', false)
    .action((id: string, opts: { out?: string; workspace?: string; x: string; y: string; generation: string; json: boolean }) => {
      const generation = generationOption(opts.generation);
      const keys = (v: string) =>
        v
          .split(',')
          .map((k) => k.trim())
          .filter(Boolean);
      const rows = new StudyManager(workspaceOf(opts)).correlate(id, keys(opts.x), keys(opts.y), generation);
      const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
      printResult({ studyId: id, generation, correlations: rows }, opts.json, () =>
        ['x | y | n | Pearson r | Spearman ρ', ...rows.map((r) => `${r.x} | ${r.y} | ${r.n} | ${f(r.pearson)} | ${f(r.spearman)}`)].join(
          '\n',
        ),
      );
    });

  study
    .command('report <id>')
    .description("a study's report in DIR: its figures (SVG, PNG, CSV), its table (Markdown, CSV, LaTeX), report.json and report.md")
    .requiredOption('--out <dir>', 'the folder to write the report into (created if needed)')
    .option('--workspace <dir>', 'workspace folder (default: the user data folder)')
    .option('--json', 'print the files written as JSON', false)
    .action(async (id: string, opts: { out: string; workspace?: string; json: boolean }) => {
      // echarts and the wasm rasteriser load only for this command
      const { writeStudyReport } = await import('../../studies/write-study-report');
      const written = await writeStudyReport(new StudyManager(workspaceOf({ workspace: opts.workspace })), id, opts.out);
      for (const w of written.warnings) process.stderr.write(`warning: ${w}\n`);
      const v = written.report.verdict;
      printResult(
        { studyId: id, dir: written.dir, files: written.files, verdict: v?.reproduced ?? null, warnings: written.warnings },
        opts.json,
        () =>
          [
            `study ${id}: report written to ${path.join(written.dir, 'report.md')} (${written.files.length} files)`,
            v ? `verdict: ${v.reproduced}: ${v.summary}` : 'no verdict: the study was not started from a built-in reproduction',
          ].join('\n'),
      );
    });

  study
    .command('list')
    .description('the studies in the workspace (or the study presets)')
    .option('--out <dir>', 'workspace folder (default: the user data folder)')
    .option('--workspace <dir>', 'the same as --out')
    .option('--presets', 'list the ready-made studies instead, each with its time here', false)
    .addOption(backendOption('with --presets: the backend their runs would ask for (its measured speed here)'))
    .option('--json', 'print as JSON', false)
    .action((opts: { out?: string; workspace?: string; presets: boolean; backend: BackendRequest; json: boolean }) => {
      if (opts.presets) {
        const presets = studyPresetInfos(workspaceOf(opts), opts.backend);
        return printResult({ presets }, opts.json, () =>
          presets
            .map((p) => `${p.name.padEnd(20)} ${presetEstimateText(p.here!, p.needsGpu)}\n${''.padEnd(21)}${p.description}`)
            .join('\n'),
        );
      }
      const manager = new StudyManager(workspaceOf(opts));
      const studies = manager.list();
      printResult({ workspace: manager.workspace, studies }, opts.json, () =>
        studies.length === 0
          ? `no studies in ${manager.workspace}`
          : studies
              .map(
                (s) =>
                  `${s.id.padEnd(30)} ${s.state.padEnd(11)} ${s.progress.completed}/${s.progress.total} runs  ${s.fieldPaths.join(' × ') || '(one cell)'} × ${s.seeds.length} seeds`,
              )
              .join('\n'),
      );
    });
}
