import { Command } from 'commander';
import { validateConfig } from '../../contract/config';
import { presets } from '../../index';
import { printResult } from '../output';

export function registerPresetsCommand(program: Command): void {
  program
    .command('presets')
    .description('list the ready-made experiments')
    .option('--json', 'print as JSON, with each full config', false)
    .action((opts: { json: boolean }) => {
      const list = presets.map((p) => ({ ...p, config: validateConfig(p.config, `preset ${p.name}`) }));
      printResult({ presets: list }, opts.json, () =>
        list.map((p) => `${p.name.padEnd(20)} ~${p.expectedMinutes} min  ${p.description}`).join('\n'),
      );
    });
}
