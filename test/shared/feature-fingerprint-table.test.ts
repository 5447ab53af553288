import { describe, expect, it } from 'vitest';
import { describeFingerprint, frechetName, type FeatureFingerprint } from '../../main/contract/feature-fingerprint';
import { aggregateStudy } from '../../main/shared/aggregate';
import { formatStudyTable, studyTableRows, tableColumns } from '../../main/shared/study-table';

/**
 * Metrics carry their feature fingerprint (issue 27): the study table never puts two fingerprints in one column, names
 * the Fréchet distance by its space, and exports the fingerprint with the numbers.
 */
const inception: FeatureFingerprint = {
  space: 'onnx:/m/inception.onnx',
  network: 'inception-v3-pytorch-fid',
  family: 'inception',
  weightsSha256: 'a'.repeat(64),
  layer: 'pool3',
  inputSize: [299, 299],
  preprocessing: 'bilinear to 299×299, rgb, (x − 0.5) / 0.5',
  featureDim: 2048,
  nReal: 2000,
  nGenerated: 2000,
};
const dino: FeatureFingerprint = {
  ...inception,
  space: 'onnx:/m/dino.onnx',
  network: 'dinov2-vitb14',
  family: 'dinov2',
  layer: 'cls',
  featureDim: 768,
};

function study(fps: (FeatureFingerprint | undefined)[][]) {
  return aggregateStudy({
    studyId: 's',
    fieldPaths: ['selection.scheme'],
    cells: fps.map((runs, c) => ({
      cellKey: `c${c}`,
      fields: { 'selection.scheme': `s${c}` },
      runs: runs.map((fp, r) => ({
        key: `r${c}${r}`,
        seed: r,
        lines: [{ generation: 0, fid: 10 + c + r, precision: 0.5, w1: 1, ...(fp ? { featureFingerprint: fp } : {}) }],
      })),
    })),
  });
}

describe('feature fingerprints in the study table', () => {
  it('names the Fréchet distance by its space', () => {
    expect(frechetName(inception)).toBe('FID');
    expect(frechetName(dino)).toBe('FD_DINOv2');
    expect(frechetName({ family: 'reference', network: 'reference classifier (mnist)' })).toBe('FD (reference classifier)');
    expect(frechetName({ family: 'other', network: 'tiny' })).toBe('FD (tiny)');
    const agg = study([[dino], [dino]]);
    expect(tableColumns(agg, ['fid', 'precision', 'w1']).map((c) => [c.id, c.label])).toEqual([
      ['fid', 'FD_DINOv2'],
      ['precision', 'Precision'],
      ['w1', 'W₁'],
    ]);
    const md = formatStudyTable(agg, { format: 'md', metrics: ['fid', 'precision'] });
    expect(md).toContain('| selection.scheme | FD_DINOv2 | Precision |');
    expect(md).toContain('- FD_DINOv2, Precision: features: dinov2-vitb14, layer cls (768-d; space onnx:/m/dino.onnx)');
  });

  it('splits a metric whose cells differ in fingerprint into one named column each', () => {
    const agg = study([[inception, inception], [dino], [undefined]]);
    const cols = tableColumns(agg, ['fid', 'w1']);
    expect(cols.map((c) => c.label)).toEqual([
      'FID [inception-v3-pytorch-fid pool3, 2048-d, n 2000/2000]',
      'FD_DINOv2 [dinov2-vitb14 cls, 768-d, n 2000/2000]',
      'FID [features not recorded]',
      'W₁',
    ]);
    const rows = studyTableRows(agg, cols, 'last');
    // each cell's value in its own column only
    expect(rows.map((r) => r.stats.map((s) => s?.mean ?? null))).toEqual([
      [10.5, null, null, 1],
      [null, 11, null, 1],
      [null, null, 12, 1],
    ]);
    const csv = formatStudyTable(agg, { format: 'csv', metrics: ['fid'] }).split('\n');
    expect(csv[0]).toBe(
      'selection.scheme,fid#1_mean,fid#1_sd,fid#1_n,fid#1_features,fid#2_mean,fid#2_sd,fid#2_n,fid#2_features,fid#3_mean,fid#3_sd,fid#3_n',
    );
    expect(csv[1]).toContain(`"${describeFingerprint(inception).join('; ')}"`);
    const latex = formatStudyTable(agg, { format: 'latex', metrics: ['fid'] });
    expect(latex).toContain('% FID [inception-v3-pytorch-fid pool3, 2048-d, n 2000/2000]: features: inception-v3-pytorch-fid, layer pool3');
    expect(latex).toContain('weights sha256 aaaaaaaaaaaaaaaa');
  });

  it('keeps a cell whose own runs disagree apart, and says fewer samples than dimensions', () => {
    const agg = study([[inception, { ...inception, nGenerated: 500 }], [inception]]);
    const cols = tableColumns(agg, ['fid']);
    expect(cols.map((c) => c.label)).toEqual([
      'FID [runs differ in features]',
      'FID [inception-v3-pytorch-fid pool3, 2048-d, n 2000/2000]',
    ]);
    expect(describeFingerprint({ ...inception, nGenerated: 500 }).at(-1)).toMatch(
      /fewer samples \(500\) than feature dimensions \(2048\): the covariance is singular/,
    );
  });
});
