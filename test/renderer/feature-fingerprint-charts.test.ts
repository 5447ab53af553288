import { describe, expect, it } from 'vitest';
import type { FeatureFingerprint } from '../../main/contract/feature-fingerprint';
import type { MetricsLine } from '../../main/contract/run-record';
import { aggregateStudy } from '../../main/shared/aggregate';
import { chartTitle, curveFingerprints } from '../../renderer/src/compare/curves';
import { metricSeries, metricsCsv } from '../../renderer/src/stores/metric-series';

/** Charts name the Fréchet distance by its space, carry the fingerprint for their hover, and warn when cells differ. */
const dino: FeatureFingerprint = {
  space: 'onnx:/m/dino.onnx',
  network: 'dinov2-vitb14',
  family: 'dinov2',
  weightsSha256: 'b'.repeat(64),
  layer: 'cls',
  inputSize: [224, 224],
  preprocessing: 'bilinear to 224×224, rgb, (x − [0.485, 0.456, 0.406]) / [0.229, 0.224, 0.225]',
  featureDim: 768,
  nReal: 500,
  nGenerated: 500,
};
const reference: FeatureFingerprint = {
  space: 'reference',
  network: 'reference classifier (mnist)',
  family: 'reference',
  featureDim: 128,
  nReal: 500,
  nGenerated: 500,
};

describe('feature fingerprints in the charts', () => {
  it("a run's series: FD_DINOv2 with its fingerprint; the fingerprint's counts are not series", () => {
    const lines = [0, 1].map((g) => ({ generation: g, fid: 5 - g, precision: 0.5, w1: 2 - g, featureFingerprint: dino }) as MetricsLine);
    const series = metricSeries(lines);
    expect(series.map((s) => s.key)).toEqual(['fid', 'precision', 'w1']);
    expect(series[0]).toMatchObject({ label: 'FD_DINOv2', fingerprint: dino });
    expect(series[2].fingerprint).toBeUndefined();
    expect(metricsCsv(lines).split('\n')[0]).toBe('generation,fid,precision,w1');
  });

  it('a comparison: one space names the chart; two spaces give a named warning', () => {
    const agg = (fps: FeatureFingerprint[]) =>
      aggregateStudy({
        studyId: 's',
        fieldPaths: ['x'],
        cells: fps.map((fp, c) => ({
          cellKey: `c${c}`,
          fields: { x: c },
          runs: [{ key: `r${c}`, seed: 0, lines: [{ generation: 0, fid: 3, featureFingerprint: fp }] }],
        })),
      });
    const same = agg([dino, dino]);
    expect(chartTitle('fid', same)).toBe('FD_DINOv2');
    expect(curveFingerprints(same, 'fid')?.warning).toBeUndefined();
    expect(curveFingerprints(same, 'fid')?.note).toContain('features: dinov2-vitb14, layer cls (768-d');
    const mixed = agg([dino, reference]);
    expect(chartTitle('fid', mixed)).toBe('Fréchet distance');
    expect(curveFingerprints(mixed, 'fid')?.warning).toBe(
      'not comparable: the cells computed this metric in different feature spaces or with different sample counts — ' +
        'FD_DINOv2 in dinov2-vitb14 cls (768-d, n 500/500) for cell c0; FD (reference classifier) in reference classifier (mnist) (128-d, n 500/500) for cell c1',
    );
    expect(curveFingerprints(mixed, 'w1')).toBeNull();
  });
});
