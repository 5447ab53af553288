import { Command } from 'commander';
import { registerBenchCommand } from './commands/bench';
import { registerDoctorCommand } from './commands/doctor';
import { registerMetricsCommand } from './commands/metrics';
import { registerOtCommand } from './commands/ot';
import { registerPresetsCommand } from './commands/presets';
import { registerRunCommands } from './commands/run';
import { registerSelectCommand } from './commands/select';
import { registerSplitCommand } from './commands/split';
import { registerStudyCommands } from './commands/study';
import { registerServeCommand } from './commands/serve';
import { registerWorkerCommand } from './commands/worker';

/**
 * The command-line door: parses arguments, calls the engine, prints. Each command group lives in its own file in
 * main/cli/commands and is registered here.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('collapse-lab')
    .description('Collapse Lab: model-collapse experiments with data islands and selection schemes')
    .showHelpAfterError();
  // command registrations (one line per command file)
  registerRunCommands(program);
  registerPresetsCommand(program);
  registerSplitCommand(program);
  registerServeCommand(program);
  registerBenchCommand(program);
  registerDoctorCommand(program);
  registerMetricsCommand(program);
  registerOtCommand(program);
  registerSelectCommand(program);
  registerStudyCommands(program);
  registerWorkerCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}
