import { backendOption } from '../backend-option';
import { Command } from 'commander';
import type { BackendName } from '../../contract/api';
import { openExternal, workspaceOption } from '../../index';
import { startServer } from '../../server/server';
import { intOption } from '../numbers';

/** `collapse-lab serve`: the local server door (the app's interface in a browser), until Ctrl-C. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app in a browser at a local URL (with an access token)')
    .option('--port <port>', 'port to listen on (0: any free port)', intOption('--port', { min: 0, max: 65_535 }), 0)
    .option('--host <address>', 'address to bind (keep 127.0.0.1 unless you know why)', '127.0.0.1')
    .option('--out <dir>', 'workspace folder for run folders (default: the user data folder)')
    .addOption(backendOption('TensorFlow.js backend of runs'))
    .option('--no-open', 'do not open a browser')
    .action(async (opts: { port: number; host: string; out?: string; backend: BackendName; open: boolean }) => {
      await serve(opts);
    });
}

export async function serve(opts: { port: number; host: string; out?: string; backend: BackendName; open: boolean }): Promise<void> {
  const workspace = workspaceOption(opts.out, { create: true });
  const server = await startServer({ port: opts.port, host: opts.host, workspace, backend: opts.backend });
  if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
    process.stderr.write(`warning: bound to ${opts.host}: anyone who can reach this address and has the token can run experiments\n`);
  }
  process.stdout.write(`Collapse Lab is served at:\n\n    ${server.openUrl}\n\nworkspace: ${workspace}\npress Ctrl-C to stop\n`);
  if (opts.open) {
    const r = await openExternal(server.openUrl);
    if (!r.opened) process.stderr.write(`(no browser opened: ${r.reason}; open the URL above yourself)\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stderr.write('stopping (cancelling active runs)…\n');
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
}
