import { describe, expect, it } from 'vitest';
import type { FeatureFingerprint } from '../../main/contract/feature-fingerprint';
import { fingerprintGroups } from '../../main/shared/fingerprint-groups';

const fp = (network: string, nReal = 100): FeatureFingerprint => ({
  space: 'raw',
  network,
  family: 'pixels',
  featureDim: 784,
  nReal,
  nGenerated: 100,
});

describe('fingerprintGroups', () => {
  it('groups cells by their one fingerprint, apart from cells with none and cells whose runs differ, in first-cell order', () => {
    const groups = fingerprintGroups([
      { cellKey: 'a', featureFingerprints: [fp('pixels')] },
      { cellKey: 'b', featureFingerprints: [] },
      { cellKey: 'c', featureFingerprints: [fp('pixels'), fp('pixels', 50)] },
      { cellKey: 'd', featureFingerprints: [fp('pixels')] },
      { cellKey: 'e', featureFingerprints: [fp('pixels', 50)] },
      { cellKey: 'f' },
    ]);
    expect(groups).toEqual([
      { fingerprint: fp('pixels'), mixed: false, cells: ['a', 'd'] },
      { mixed: false, cells: ['b', 'f'] },
      { mixed: true, cells: ['c'] },
      { fingerprint: fp('pixels', 50), mixed: false, cells: ['e'] },
    ]);
    expect(fingerprintGroups([])).toEqual([]);
  });
});
