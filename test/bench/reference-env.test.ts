import { describe, expect, it } from 'vitest';
import { issueTableLines, ratio } from '../../bench/issue-table';
import { referenceEnv } from '../../bench/reference-env';

describe('reference environment', () => {
  it('unsets the OpenBLAS overrides and sets the thread counts', () => {
    const env = referenceEnv(1, { OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', PATH: '/bin', OMP_NUM_THREADS: '8' });
    expect(env.OPENBLAS_CORETYPE).toBeUndefined();
    expect(env.OPENBLAS_L2_SIZE).toBeUndefined();
    expect(env.PATH).toBe('/bin');
    expect([env.OMP_NUM_THREADS, env.OPENBLAS_NUM_THREADS, env.MKL_NUM_THREADS]).toEqual(['1', '1', '1']);
    expect(referenceEnv(2, {}).OMP_NUM_THREADS).toBe('2');
  });
});

describe('issue table', () => {
  it('rates compare ours / reference, times reference / ours', () => {
    expect(ratio({ unit: 'images/s' }, 30, 100)).toBeCloseTo(0.3);
    expect(ratio({ unit: 's' }, 0.02, 0.01)).toBeCloseTo(0.5);
    expect(ratio({ unit: 's' }, null, 0.01)).toBeNull();
  });

  it('marks goals met or not at one thread, and busy figures', () => {
    const lines = issueTableLines([
      { work: 'A step', unit: 'images/s', ours1: 40, ref1: 100, oursAll: null, refAll: 150, refAllThreads: 2, goal: 0.35 },
      {
        work: 'B step',
        unit: 'images/s',
        ours1: 20,
        ref1: 100,
        oursAll: 30,
        oursAllThreads: 2,
        refAll: 150,
        refAllThreads: 2,
        goal: 0.3,
        busy: true,
      },
      { work: 'FID', unit: 's', ours1: 0.01, ref1: 0.011, oursAll: null, refAll: null, goal: 1 },
      { work: 'sampling', unit: 'images/s', ours1: 5, ref1: null, oursAll: null, refAll: null },
    ]);
    expect(lines[1]).toMatch(/^A step .*0\.40×.*≥ 0\.35×\s+met$/);
    expect(lines[2]).toMatch(/^B step \(busy\).*0\.20×.*30\.0 \(2\).*0\.20×.*NOT met$/);
    expect(lines[3]).toMatch(/^FID .*1\.10×.*met$/);
    expect(lines[4]).toMatch(/^sampling .*–/);
  });
});
