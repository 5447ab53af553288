import { Command } from 'commander';
import type { ComputeReport } from '../../contract/compute-report';
import { recordDoctorSpeed, runDoctor, workspaceOption } from '../../index';
import { parseNumberOption } from '../numbers';
import { printResult } from '../output';

/** The report as text: one block per backend (its checks under it), then auto's choice. */
export function formatComputeReport(r: ComputeReport): string {
  const lines: string[] = [];
  for (const b of r.backends) {
    const speed = b.imagesPerSecond !== null ? `${Math.round(b.imagesPerSecond).toLocaleString('en-US')} img/s` : (b.measureError ?? '');
    const state = b.available ? 'available' : 'unavailable';
    lines.push(`${b.backend.padEnd(10)} ${b.via.padEnd(30)} ${state.padEnd(11)} ${speed}`);
    if (b.why) lines.push(`           why: ${b.why}`);
    for (const c of b.checks) lines.push(`           ${c.ok ? 'ok ' : 'no '} ${c.label}: ${c.detail}`);
  }
  lines.push('', `auto picks: ${r.auto.backend} (${r.auto.via})`, `timed: ${r.measuredModel}; load ${r.load}`);
  return lines.join('\n');
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('every TensorFlow.js backend: available or why not, its training speed here, and what auto picks')
    .option('--json', 'print the report as JSON', false)
    .option('--out <dir>', 'workspace folder whose estimates use the measured speed (default: the user data folder)')
    .option('--no-measure', 'skip the timed training steps')
    .option('--seconds <s>', 'timed seconds per backend', (v) => parseNumberOption('--seconds', v, { above: 0, max: 600 }), 2)
    .action(async (opts: { json: boolean; measure: boolean; seconds: number; out?: string }) => {
      const report = await runDoctor({ measure: opts.measure, seconds: opts.seconds });
      recordDoctorSpeed(workspaceOption(opts.out, { create: true }), report);
      printResult(report, opts.json, () => formatComputeReport(report));
    });
}
