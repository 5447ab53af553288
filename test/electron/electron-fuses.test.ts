import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 14, item 6 (Electron security checklist, item 19: fuses). The packaged app's fuses, as electron-builder will
 * flip them: electron-builder.yml is read by the installed electron-builder's own config loader, checked against its
 * schema, and turned into the fuse wire by its own `generateFuseConfig` (the step right before signing).
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

interface FuseOptions {
  runAsNode?: boolean;
  [k: string]: unknown;
}

async function packagedFuses() {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
    getConfig(
      dir: string,
      file: string | null,
      extra: null,
    ): Promise<Record<string, unknown> & { electronFuses?: FuseOptions; asar?: unknown }>;
    validateConfiguration(config: unknown, logger: unknown): Promise<void>;
  };
  const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
  const { LinuxPackager } = require('app-builder-lib') as {
    LinuxPackager: { prototype: { generateFuseConfig(f: FuseOptions): Promise<Record<number, boolean>> } };
  };
  const { FuseV1Options } = (await import('@electron/fuses')) as unknown as { FuseV1Options: Record<string, number> };
  const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
  await validateConfiguration(config, new DebugLogger(false));
  expect(config.electronFuses, 'electron-builder.yml has no electronFuses').toBeTruthy();
  const wire = await LinuxPackager.prototype.generateFuseConfig.call(null, config.electronFuses!);
  const fuse = (name: string) => wire[FuseV1Options[name]];
  return { config, fuse };
}

describe('the packaged app’s Electron fuses', () => {
  it('NODE_OPTIONS and --inspect are ignored, the app loads only from its ASAR and checks its integrity', async () => {
    const { config, fuse } = await packagedFuses();
    expect(fuse('EnableNodeOptionsEnvironmentVariable')).toBe(false);
    expect(fuse('EnableNodeCliInspectArguments')).toBe(false);
    expect(fuse('EnableEmbeddedAsarIntegrityValidation')).toBe(true);
    expect(fuse('OnlyLoadAppFromAsar')).toBe(true);
    // the renderer is served by app:// and run files by lab-file://, never file://
    expect(fuse('GrantFileProtocolExtraPrivileges')).toBe(false);
    // OnlyLoadAppFromAsar needs the app in an ASAR archive
    expect(config.asar).not.toBe(false);
  });

  it('RunAsNode is off, and the desktop app starts engine processes through utilityProcess instead of fork', async () => {
    const { fuse } = await packagedFuses();
    // Electron's child_process.fork starts the Electron binary with ELECTRON_RUN_AS_NODE=1, which this fuse ignores:
    // the study queue's run processes must start another way in the app (electron/engine-processes.ts)
    expect(fuse('RunAsNode')).toBe(false);
    const shell = fs.readFileSync(path.join(root, 'electron/main.ts'), 'utf8');
    expect(shell).toMatch(/setProcessLauncher\(launchUtilityProcess\)/);
  });
});
