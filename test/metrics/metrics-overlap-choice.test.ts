import { describe, expect, it } from 'vitest';
import { validateConfig, type ExperimentConfigInput } from '../../main/contract/config';
import { metricsOverlapWanted } from '../../main/metrics/metrics-thread';

/** Which runs compute their metrics in a thread of their own while the next generation trains. */
const mnist: ExperimentConfigInput = {
  name: 'choice',
  seed: 1,
  dataset: { kind: 'mnist', subset: 300, testSubset: 200 },
  model: { kind: 'vae-mlp', params: { epochs: 1 } },
  loop: { generations: 3, paradigm: 'replace', keep: 100, ratio: 2 },
  selection: { scheme: 'random' },
};
const gaussian: ExperimentConfigInput = {
  ...mnist,
  dataset: { kind: 'gaussian', dim: 2, trainSize: 100, testSize: 50 },
  model: { kind: 'gaussian', params: {} },
};
const wanted = (input: ExperimentConfigInput, alone: boolean, backend = 'wasm', env: NodeJS.ProcessEnv = {}) =>
  metricsOverlapWanted(validateConfig(input), { alone, backend }, env);

describe('metrics overlap, decided per run', () => {
  it('overlaps a lone run whose metrics run a feature network, over more than one generation', () => {
    expect(wanted(mnist, true)).toBe(true);
    expect(wanted(mnist, false)).toBe(false);
    expect(wanted({ ...mnist, loop: { ...mnist.loop, generations: 1 } }, true)).toBe(false);
    // no network: raw features and no class metrics take milliseconds, less than the thread's start
    expect(wanted({ ...mnist, metrics: { features: 'raw', compute: ['fid', 'w1'] } }, true)).toBe(false);
    expect(wanted({ ...mnist, metrics: { features: 'raw', compute: ['fid', 'classHistogram'] } }, true)).toBe(true);
    expect(wanted(gaussian, true)).toBe(false);
  });

  it('keeps GPU runs and metrics that read the model in the run thread, whatever the override says', () => {
    expect(wanted(mnist, true, 'webgpu')).toBe(false);
    expect(wanted(mnist, true, 'cpu')).toBe(true);
    const truth: ExperimentConfigInput = {
      ...gaussian,
      dataset: { kind: 'gaussian', dim: 2, trainSize: 100, testSize: 50, truth: 'generating' },
    };
    expect(wanted(truth, true, 'js', { COLLAPSE_LAB_METRICS_OVERLAP: '1' })).toBe(false);
    expect(wanted({ ...truth, metrics: { compute: ['meanDistance'] } }, true, 'js', { COLLAPSE_LAB_METRICS_OVERLAP: '1' })).toBe(true);
    expect(wanted(mnist, true, 'wasm', { COLLAPSE_LAB_METRICS_OVERLAP: '0' })).toBe(false);
    expect(wanted(gaussian, false, 'js', { COLLAPSE_LAB_METRICS_OVERLAP: '1' })).toBe(true);
    expect(() => wanted(mnist, true, 'wasm', { COLLAPSE_LAB_METRICS_OVERLAP: 'yes' })).toThrow(
      /COLLAPSE_LAB_METRICS_OVERLAP must be 1 or 0/,
    );
  });
});
