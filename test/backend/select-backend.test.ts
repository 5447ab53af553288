import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentBackend, initBackend } from '../../main/backend/select-backend';

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
    await expect(initBackend('webgpu' as never)).rejects.toThrow(/unknown backend "webgpu"/);
  });

  it('registers the kernels and gradients wasm lacks', async () => {
    await initBackend('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getGradient('Greater')).toBeDefined();
    expect(tf.getGradient('Conv2DBackpropFilter')).toBeDefined();
  });
});
