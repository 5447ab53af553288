import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from '../../main/backend/select-backend';
import { describeAdapter, isSoftwareAdapter, probeWebgpu } from '../../main/backend/webgpu';

/** Whether an optional native package is installed (resolved, not loaded: loading one would register its backend). */
const nativeInstalled = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'].some((pkg) => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
});

describe('initBackend', () => {
  it('starts with no backend recorded', () => {
    expect(currentBackend()).toBeNull();
  });

  it('picks the fastest available backend (here wasm: the native packages are not installed)', async () => {
    const info = await initBackend();
    expect(info.name).toBe(nativeInstalled ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(info.name);
    expect(currentBackend()).toEqual(info);
    if (info.name === 'wasm') {
      expect(info.package).toBe('@tensorflow/tfjs-backend-wasm');
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(typeof info.simd).toBe('boolean');
      expect(info.threads).toBeGreaterThanOrEqual(1);
    }
  });

  it('is idempotent', async () => {
    const a = await initBackend('wasm');
    const b = await initBackend('wasm');
    const c = await initBackend(); // auto keeps the backend already chosen
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('switches when another backend is forced, and records it', async () => {
    const info = await initBackend('cpu');
    expect(info).toMatchObject({ name: 'cpu', package: '@tensorflow/tfjs-backend-cpu' });
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackend()?.name).toBe('cpu');
    // a tensor made on cpu survives a switch back to wasm
    const t = tf.tensor1d([1, 2, 3]);
    await initBackend('wasm');
    expect(Array.from(tf.mul(t, 2).dataSync())).toEqual([2, 4, 6]);
  });

  // only where the native package is missing (the skip is reported where it is installed)
  it.skipIf(nativeInstalled)('refuses an unavailable backend with an error naming the package to install', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/npm install @tensorflow\/tfjs-node/);
    // the failed request leaves the previous backend in place
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()?.name).toBe('wasm');
  });

  it('refuses an unknown backend name', async () => {
    await expect(initBackend('metal' as never)).rejects.toThrow(/unknown backend "metal"/);
  });

  it('registers the kernels and gradients wasm lacks', async () => {
    await initBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getGradient('Greater')).toBeDefined();
    expect(tf.getGradient('Conv2DBackpropFilter')).toBeDefined();
  });
});

describe('the webgpu backend', () => {
  const adapter = { vendor: 'nvidia', architecture: 'ampere', device: '', description: 'NVIDIA GeForce RTX 3090', fallback: false };

  it('tells a software adapter from a hardware one', () => {
    expect(isSoftwareAdapter(adapter)).toBe(false);
    expect(isSoftwareAdapter({ ...adapter, fallback: true })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', architecture: 'software', device: 'llvmpipe', description: '', fallback: false })).toBe(
      true,
    );
    expect(isSoftwareAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', fallback: false })).toBe(true);
    expect(describeAdapter({ ...adapter, maxBufferSize: 1, maxStorageBufferBindingSize: 1 })).toBe(
      'nvidia ampere (NVIDIA GeForce RTX 3090)',
    );
  });

  it('auto never picks a software adapter; asked by name, webgpu runs on it and records the adapter', async () => {
    const probe = await probeWebgpu();
    if (!('adapter' in probe)) {
      // no adapter at all (then doctor says why): asking by name fails with the reason
      await expect(initBackend('webgpu')).rejects.toThrow(/backend "webgpu" is not available: /);
      return;
    }
    if (probe.adapter.fallback) {
      // a fresh process (this one has chosen already): auto skips the software adapter
      const url = new URL('../../main/backend/select-backend.ts', import.meta.url).href;
      const code = `const { initBackend } = await import(${JSON.stringify(url)}); console.log('chosen=' + (await initBackend('auto')).name);`;
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
      expect(out).toMatch(/chosen=(tensorflow|wasm|cpu)/);
    }
    const info = await initBackend('webgpu');
    expect(info).toMatchObject({ name: 'webgpu', package: '@tensorflow/tfjs-backend-webgpu', device: 'gpu', adapter: probe.adapter });
    expect(tf.getBackend()).toBe('webgpu');
    expect(Array.from(await tf.mul(tf.tensor1d([1, 2, 3]), 2).data())).toEqual([2, 4, 6]);
    await initBackend('wasm');
  });
});
