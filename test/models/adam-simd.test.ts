import { describe, expect, it } from 'vitest';
import { adamStep, ADAM_DEFAULTS } from '../../main/models/adam-flat';
import { AdamArena } from '../../main/models/adam-simd';
import { Rng } from '../../main/util/random';

/** main/models/adam-simd.ts: the SIMD Adam step gives adamStep's parameters and moments bit for bit. */

function bytes(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('AdamArena', () => {
  for (const [count, shards] of [
    [1001, 1],
    [1000, 2],
    [1, 1],
  ] as const) {
    it(`matches adamStep bit for bit (${count} parameters, ${shards} gradient shard${shards > 1 ? 's' : ''})`, () => {
      const rng = new Rng(count + shards);
      const arena = new AdamArena(count, shards);
      const p = rng.fillNormal(new Float32Array(count)) as Float32Array;
      const m = new Float32Array(count);
      const v = new Float32Array(count);
      arena.params.set(p);
      const cfg = { lr: 3e-3, ...ADAM_DEFAULTS };
      for (let t = 1; t <= 5; t++) {
        const grads = Array.from({ length: shards }, () => {
          const g = rng.fillNormal(new Float32Array(count)) as Float32Array;
          for (let i = 0; i < count; i += 7) g[i] *= 1e-6; // small and large gradients
          return g;
        });
        grads.forEach((g, s) => arena.grads[s].set(g));
        adamStep(cfg, t, p, m, v, grads);
        arena.step(cfg, t);
        expect(bytes(arena.params).equals(bytes(p))).toBe(true);
        expect(bytes(arena.m).equals(bytes(m))).toBe(true);
        expect(bytes(arena.v).equals(bytes(v))).toBe(true);
      }
    });
  }
});
