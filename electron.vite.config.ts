import fs from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config';

/**
 * Builds the desktop app into out/: out/main (the Electron main process, plus every worker-thread entry of the engine
 * as its own file, since workers start from files), out/preload (CommonJS: sandboxed preloads cannot be ES modules)
 * and out/renderer (the Vue app, which the local server serves too). Works without the Electron binary.
 */
// import.meta.url, not import.meta.dirname: electron-vite rewrites only the former when it bundles this config
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The engine's worker entries: every `new URL('<file>.ts', import.meta.url)` in main/. In the bundle spawnWorker
 * (main/util/spawn-worker.ts) swaps such a URL for `<basename>.js` beside itself, so each entry is built under
 * its basename into out/main, and shared chunks go there too (not in a sub-folder) so that "beside" holds.
 */
function workerEntries(): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (dir: string) => {
    for (const name of fs.readdirSync(dir)) {
      const p = join(dir, name);
      if (fs.statSync(p).isDirectory()) visit(p);
      else if (p.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/new URL\(\s*'([^']+\.ts)'\s*,\s*import\.meta\.url\s*\)/g)) {
          const target = resolve(dirname(p), m[1]);
          const key = basename(target, '.ts');
          if (out[key] && out[key] !== target)
            throw new Error(`two worker entries named ${key}: ${relative(root, out[key])}, ${relative(root, target)}`);
          if (fs.existsSync(target)) out[key] = target;
        }
      }
    }
  };
  visit(resolve(root, 'main'));
  return out;
}

/**
 * electron-vite's ESM shim adds `const require = createRequire(import.meta.url)` to every chunk that calls require();
 * an engine module that declares the same at its top level (main/backend/select-backend.ts) then collides ("Identifier
 * 'require' has already been declared"). The two are the same function of the same chunk, so the module's own
 * declaration is dropped where the shim's is present.
 */
const dedupeRequireShim = {
  name: 'collapse-lab:dedupe-require-shim',
  apply: 'build' as const,
  enforce: 'post' as const,
  renderChunk(code: string) {
    if (!code.includes('const require = __shims_module__.createRequire(import.meta.url);')) return null;
    const out = code.replace(/^(?:var|let|const) require = createRequire\(import\.meta\.url\);\n/gm, '');
    return out === code ? null : { code: out, map: null };
  },
};

export default defineConfig({
  main: {
    plugins: [dedupeRequireShim],
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/main.ts'), ...workerEntries() },
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
