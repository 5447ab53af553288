import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../main/cli/index';

/**
 * Run the CLI in this process, as `collapse-lab ARGS…` would (main/cli/index.ts's `main`: commander's own errors
 * print their one line and exit 1; an error thrown by an action prints "error: MESSAGE" and exits 1; an action may set
 * process.exitCode), capturing stdout and stderr. Starting the CLI as a process costs seconds (tsx, TensorFlow.js);
 * this costs milliseconds, so the tests can try every option. Not for commands that run for long.
 */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

function configure(cmd: Command, out: (s: string) => void, err: (s: string) => void): void {
  cmd.exitOverride();
  cmd.configureOutput({ writeOut: out, writeErr: err });
  for (const sub of cmd.commands) configure(sub, out, err);
}

export async function runCliInProcess(args: string[]): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const program = buildProgram();
  configure(
    program,
    (s) => (stdout += s),
    (s) => (stderr += s),
  );
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  const savedCode = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  let code = 0;
  try {
    await program.parseAsync(['node', 'collapse-lab', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) {
      code = e.exitCode; // commander has printed its message (and the help after it) already
    } else {
      stderr += `error: ${(e as Error).message}\n`;
      code = 1;
    }
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = savedCode;
  }
  return { code, stdout, stderr };
}

/** True when the text holds a JavaScript stack trace ("    at fn (file:line:col)"). */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m.test(text) || /\n\s+at (async )?[\w$.<>]+ \(/.test(text);
}
