import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/contract/config';
import type { SampleShape } from '../../main/data/samples';
import { createModel } from '../../main/models/registry';
import { findPreset } from '../../main/presets/index';

const zoo = ['wgan-gp-5', 'wgan-gp-2', 'vae-conv', 'gmm', 'kde', 'ddpm-small', 'diffusion-exact', 'diffusion-exact-annealed'];

describe('model-zoo presets', () => {
  for (const name of zoo) {
    it(`${name}: validates, builds its model, fits a 2-core machine`, () => {
      const p = findPreset(name);
      const c = validateConfig(p.config, `preset ${name}`);
      expect(p.expectedMinutes).toBeLessThanOrEqual(30);
      const shape: SampleShape = c.dataset.kind === 'gaussian-mixture' ? [c.dataset.dim] : [28, 28, 1];
      const m = createModel(c.model, shape);
      expect(m.kind).toBe(c.model.kind);
      m.dispose();
      if (c.model.kind === 'diffusion-exact' && c.dataset.kind === 'gaussian-mixture') {
        const truth = (c.model.params as { truth: unknown }).truth;
        const { weights, means, covs } = c.dataset;
        expect(truth).toEqual({ weights, means, covs });
      }
    });
  }

  it("the two WGAN-GP setups keep the study's ratio: 6/5 the critic updates, 3× the generator updates", () => {
    const p5 = validateConfig(findPreset('wgan-gp-5').config).model.params as { epochs: number; criticSteps: number };
    const p2 = validateConfig(findPreset('wgan-gp-2').config).model.params as { epochs: number; criticSteps: number };
    expect((p2.epochs * p2.criticSteps) / (p5.epochs * p5.criticSteps)).toBeCloseTo(6 / 5, 10);
    expect(p2.epochs / p5.epochs).toBe(3);
  });
});
