import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config';

/**
 * Builds the desktop app into out/: out/main (the Electron main process, plus the run worker as its own entry, since
 * RunManager starts it as a worker thread from a file), out/preload (CommonJS: sandboxed preloads cannot be ES
 * modules) and out/renderer (the Vue app, which the local server serves too). Works without the Electron binary.
 */
const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      rolldownOptions: {
        input: {
          index: resolve(root, 'electron/main.ts'),
          'run-worker': resolve(root, 'main/workers/run-worker.ts'),
        },
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
