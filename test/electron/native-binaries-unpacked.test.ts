import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app loads native binaries (Dawn's `dawn.node` for the webgpu backend, its DLLs on Windows) from outside
 * the ASAR archive: electron-builder.yml, read by electron-builder's own config loader, must unpack every such file
 * of the installed runtime packages. The file list is the packages' own (what `files` ships of node_modules).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** The native files of the package in `dir`, as the app's paths (`node_modules/<name>/…`). */
function nativeFiles(dir: string, name: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.(node|dll|dylib|so(\.\d+)*)$/.test(e.name))
        out.push(`node_modules/${name}/${path.relative(dir, p).split(path.sep).join('/')}`);
    }
  };
  visit(dir);
  return out;
}

describe('the packaged app unpacks native binaries from the ASAR', () => {
  it("every native file of the webgpu package matches electron-builder's asarUnpack", async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config') as {
      getConfig(dir: string, file: string | null, extra: null): Promise<{ asarUnpack?: string[] | string }>;
    };
    const { minimatch } = (await import('minimatch')) as { minimatch: (p: string, g: string, o?: object) => boolean };
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const globs = ([] as string[]).concat(config.asarUnpack ?? []);
    const webgpu = path.dirname(require.resolve('webgpu/package.json'));
    const files = nativeFiles(webgpu, 'webgpu');
    expect(files.some((f) => f.endsWith('/linux-x64/dawn.node'))).toBe(true);
    const packed = files.filter((f) => !globs.some((g) => minimatch(f, g, { dot: true })));
    expect(packed, 'native files left inside the ASAR').toEqual([]);
  });
});
