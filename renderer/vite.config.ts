import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type UserConfig } from 'vite';

/**
 * The renderer's build (Vue 3 app → out/renderer), shared by electron.vite.config.ts and by the server door, which
 * builds only this (`vite build --config renderer/vite.config.ts`) and needs neither Electron nor the engine bundle.
 */
const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export const rendererConfig: UserConfig = {
  root: resolve(projectRoot, 'renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: resolve(projectRoot, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { input: resolve(projectRoot, 'renderer/index.html') },
  },
};

export default defineConfig(rendererConfig);
