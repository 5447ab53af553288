import { Command } from 'commander';
import { validateConfig } from '../../contract/config';
import { presetEstimateText, runPresetInfos, workspaceOption, type BackendRequest } from '../../index';
import { backendOption } from '../backend-option';
import { printResult } from '../output';

export function registerPresetsCommand(program: Command): void {
  program
    .command('presets')
    .description('list the ready-made experiments, each with its time on this machine')
    .option('--out <dir>', 'workspace folder whose measured speed the times use (default: the user data folder)')
    .addOption(backendOption('the backend the runs would ask for (its measured speed here)'))
    .option('--json', 'print as JSON, with each full config', false)
    .action((opts: { out?: string; backend: BackendRequest; json: boolean }) => {
      const list = runPresetInfos(workspaceOption(opts.out), opts.backend).map((p) => ({
        ...p,
        config: validateConfig(p.config, `preset ${p.name}`),
      }));
      printResult({ presets: list }, opts.json, () =>
        list.map((p) => `${p.name.padEnd(26)} ${presetEstimateText(p.here!, p.needsGpu)}\n${''.padEnd(27)}${p.description}`).join('\n'),
      );
    });
}
