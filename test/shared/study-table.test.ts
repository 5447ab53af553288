import { describe, expect, it } from 'vitest';
import { metricLabel } from '../../main/contract/metric-catalog';
import { aggregateStudy, type StudyAggregate } from '../../main/shared/aggregate';
import { latexText } from '../../main/shared/latex';
import { formatNumber } from '../../main/shared/number-format';
import { formatStudyTable } from '../../main/shared/study-table';

/**
 * Two cells.
 * random (3 seeds):
 *   seed 0: g0 fid 20 precision 0.5  w1 1.5 Tr 8 | g1 fid 10 precision 0.5  w1 1.25 Tr 4
 *   seed 1: g0 fid 22 precision 0.75 w1 2.5 Tr 8 | g1 fid 12 precision 0.75 w1 1.75 Tr 6
 *   seed 2: g0 fid 24 precision 0.25 w1 2   Tr 8 | g1 fid 14 precision 0.5  Tr 7 | g2 fid 17 precision 0.25 Tr 5
 *   last: fid 10, 12, 17 → 13 ± √13 = 3.606 (3); precision 0.5, 0.75, 0.25 → 0.5 ± 0.25 (3);
 *         w1 1.25, 1.75 → 1.5 ± √0.125 = 0.3536 (2); Tr 4, 6, 5 → 5 ± 1 (3)
 * top_k & 50% (1 seed): g0 fid 30 precision 0.875 w1 1 Tr 9 | g1 fid 11 precision 0.95 w1 3 Tr 2
 * Best at the last: FID (lower) 11, precision (higher) 0.95, W₁ (lower) 1.5; Tr(Σ) has no better side.
 */
function twoCells(): StudyAggregate {
  return aggregateStudy({
    studyId: 'toy',
    fieldPaths: ['selection.scheme'],
    cells: [
      {
        cellKey: 'c1',
        fields: { 'selection.scheme': 'random' },
        runs: [
          {
            key: 'r0',
            seed: 0,
            lines: [
              { generation: 0, fid: 20, precision: 0.5, w1: 1.5, varianceTrace: 8 },
              { generation: 1, fid: 10, precision: 0.5, w1: 1.25, varianceTrace: 4 },
            ],
          },
          {
            key: 'r1',
            seed: 1,
            lines: [
              { generation: 0, fid: 22, precision: 0.75, w1: 2.5, varianceTrace: 8 },
              { generation: 1, fid: 12, precision: 0.75, w1: 1.75, varianceTrace: 6 },
            ],
          },
          {
            key: 'r2',
            seed: 2,
            lines: [
              { generation: 0, fid: 24, precision: 0.25, w1: 2, varianceTrace: 8 },
              { generation: 1, fid: 14, precision: 0.5, varianceTrace: 7 },
              { generation: 2, fid: 17, precision: 0.25, varianceTrace: 5 },
            ],
          },
        ],
      },
      {
        cellKey: 'c2',
        fields: { 'selection.scheme': 'top_k & 50%' },
        runs: [
          {
            key: 't0',
            seed: 0,
            lines: [
              { generation: 0, fid: 30, precision: 0.875, w1: 1, varianceTrace: 9 },
              { generation: 1, fid: 11, precision: 0.95, w1: 3, varianceTrace: 2 },
            ],
          },
        ],
      },
    ],
  });
}

describe('formatStudyTable', () => {
  const agg = twoCells();

  it('Markdown at the last generation, best values in bold', () => {
    expect(formatStudyTable(agg, { format: 'md' })).toBe(
      [
        '| selection.scheme | FID | Precision | W₁ | Tr(Σ) of the kept samples |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| random | 13 ± 3.606 (3) | 0.5 ± 0.25 (3) | **1.5 ± 0.3536 (2)** | 5 ± 1 (3) |',
        '| top_k & 50% | **11 (1)** | **0.95 (1)** | 3 (1) | 2 (1) |',
        '',
      ].join('\n'),
    );
  });

  it('Markdown at generation 2: a cell without it shows —, nothing marked with a single value', () => {
    expect(formatStudyTable(agg, { format: 'md', generation: 2 })).toBe(
      [
        '| selection.scheme | FID | Precision | W₁ | Tr(Σ) of the kept samples |',
        '| --- | ---: | ---: | ---: | ---: |',
        '| random | 17 (1) | 0.25 (1) | — | 5 (1) |',
        '| top_k & 50% | — | — | — | — |',
        '',
      ].join('\n'),
    );
  });

  it('Markdown at generation 0 with chosen metrics, in the order given', () => {
    // random g0: Tr 8, 8, 8 → 8 ± 0 (3); fid 20, 22, 24 → 22 ± 2 (3); top_k: Tr 9, fid 30
    expect(formatStudyTable(agg, { format: 'md', generation: 0, metrics: ['varianceTrace', 'fid'] })).toBe(
      [
        '| selection.scheme | Tr(Σ) of the kept samples | FID |',
        '| --- | ---: | ---: |',
        '| random | 8 ± 0 (3) | **22 ± 2 (3)** |',
        '| top_k & 50% | 9 (1) | 30 (1) |',
        '',
      ].join('\n'),
    );
  });

  it('without metrics asked, the ones the study chose to compute lead, then the usual ones', () => {
    const header = formatStudyTable(agg, { format: 'md', chosen: ['varianceTrace', 'notRecorded'] }).split('\n')[0];
    expect(header).toBe('| selection.scheme | Tr(Σ) of the kept samples | FID | Precision | W₁ |');
    // metrics asked win over the chosen ones
    expect(formatStudyTable(agg, { format: 'md', metrics: ['w1'], chosen: ['fid'] }).split('\n')[0]).toBe('| selection.scheme | W₁ |');
  });

  it('LaTeX: booktabs, escaped, numbers, ± and symbols as math, best in \\textbf', () => {
    expect(formatStudyTable(agg, { format: 'latex' })).toBe(
      [
        '\\begin{tabular}{lrrrr}',
        '\\toprule',
        'selection.scheme & FID & Precision & $W_1$ & $\\mathrm{Tr}(\\Sigma)$ of the kept samples \\\\',
        '\\midrule',
        'random & $13 \\pm 3.606$ (3) & $0.5 \\pm 0.25$ (3) & \\textbf{\\boldmath $1.5 \\pm 0.3536$ (2)} & $5 \\pm 1$ (3) \\\\',
        'top\\_k \\& 50\\% & \\textbf{\\boldmath $11$ (1)} & \\textbf{\\boldmath $0.95$ (1)} & $3$ (1) & $2$ (1) \\\\',
        '\\bottomrule',
        '\\end{tabular}',
        '',
      ].join('\n'),
    );
  });

  it('LaTeX at generation 2 shows --- for a missing cell', () => {
    const lines = formatStudyTable(agg, { format: 'latex', generation: 2 }).split('\n');
    expect(lines[4]).toBe('random & $17$ (1) & $0.25$ (1) & --- & $5$ (1) \\\\');
    expect(lines[5]).toBe('top\\_k \\& 50\\% & --- & --- & --- & --- \\\\');
  });

  it('CSV: separate mean, sd and n columns at full precision, no marking', () => {
    expect(formatStudyTable(agg, { format: 'csv' })).toBe(
      [
        'selection.scheme,fid_mean,fid_sd,fid_n,precision_mean,precision_sd,precision_n,w1_mean,w1_sd,w1_n,varianceTrace_mean,varianceTrace_sd,varianceTrace_n',
        'random,13,3.605551275463989,3,0.5,0.25,3,1.5,0.3535533905932738,2,5,1,3',
        'top_k & 50%,11,,1,0.95,,1,3,,1,2,,1',
        '',
      ].join('\n'),
    );
    expect(formatStudyTable(agg, { format: 'csv', generation: 2, metrics: ['fid', 'w1'] })).toBe(
      ['selection.scheme,fid_mean,fid_sd,fid_n,w1_mean,w1_sd,w1_n', 'random,17,,1,,,', 'top_k & 50%,,,,,,', ''].join('\n'),
    );
  });

  it('JSON: rows as objects', () => {
    const text = formatStudyTable(agg, { format: 'json', metrics: ['fid', 'w1'] });
    expect(text.endsWith('\n')).toBe(true);
    expect(JSON.parse(text)).toEqual([
      { 'selection.scheme': 'random', fid: { mean: 13, sd: 3.605551275463989, n: 3 }, w1: { mean: 1.5, sd: 0.3535533905932738, n: 2 } },
      { 'selection.scheme': 'top_k & 50%', fid: { mean: 11, sd: null, n: 1 }, w1: { mean: 3, sd: null, n: 1 } },
    ]);
    expect(JSON.parse(formatStudyTable(agg, { format: 'json', metrics: ['fid'], generation: 2 }))).toEqual([
      { 'selection.scheme': 'random', fid: { mean: 17, sd: null, n: 1 } },
      { 'selection.scheme': 'top_k & 50%', fid: null },
    ]);
  });

  it('throws on an unknown metric, naming it and the available ones', () => {
    expect(() => formatStudyTable(agg, { format: 'md', metrics: ['fid', 'nope'] })).toThrow(
      'unknown metric nope; available: fid, precision, w1, varianceTrace',
    );
  });

  it('throws on a generation that is not an integer ≥ 0', () => {
    expect(() => formatStudyTable(agg, { format: 'md', generation: -1 })).toThrow('generation must be "last" or an integer ≥ 0, got -1');
  });

  it('does not mark a column whose values are all equal', () => {
    const flat = aggregateStudy({
      studyId: 's',
      fieldPaths: ['a'],
      cells: [
        { cellKey: 'x', fields: { a: 1 }, runs: [{ key: 'x0', seed: 0, lines: [{ generation: 0, fid: 2 }] }] },
        { cellKey: 'y', fields: { a: [2, 3] }, runs: [{ key: 'y0', seed: 0, lines: [{ generation: 0, fid: 2 }] }] },
      ],
    });
    expect(formatStudyTable(flat, { format: 'md' })).toBe(
      ['| a | FID |', '| --- | ---: |', '| 1 | 2 (1) |', '| [2,3] | 2 (1) |', ''].join('\n'),
    );
  });
});

describe('formatNumber', () => {
  it('prints integers whole and other numbers to 4 significant digits', () => {
    expect(formatNumber(13)).toBe('13');
    expect(formatNumber(123456)).toBe('123456');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(3.605551275463989)).toBe('3.606');
    expect(formatNumber(0.25)).toBe('0.25');
    expect(formatNumber(1234.5678)).toBe('1235');
    expect(formatNumber(12345678.9)).toBe('12350000');
    expect(formatNumber(-0.0123456)).toBe('-0.01235');
    expect(formatNumber(0.000123456)).toBe('0.0001235');
    expect(formatNumber(0.0000123456)).toBe('1.235e-5');
    expect(formatNumber(0.00001)).toBe('1e-5');
    expect(formatNumber(2500000000.5)).toBe('2.5e9');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });
});

describe('latexText', () => {
  it('escapes the special characters', () => {
    expect(latexText('a_b % & # $ { } ~ ^ \\')).toBe(
      'a\\_b \\% \\& \\# \\$ \\{ \\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}',
    );
  });

  it('renders the catalog’s symbols as math', () => {
    expect(latexText(metricLabel('w1'))).toBe('$W_1$');
    expect(latexText(metricLabel('varianceTrace'))).toBe('$\\mathrm{Tr}(\\Sigma)$ of the kept samples');
    expect(latexText(metricLabel('powerLawPsi'))).toBe('$\\psi$ per seed');
    expect(latexText(metricLabel('powerLawPsiStderr'))).toBe('$\\psi$ per seed s.e.');
    expect(latexText(metricLabel('traceFeatures'))).toBe('$\\mathrm{Tr}(\\Sigma)$ features');
    expect(latexText(metricLabel('w2Gaussian'))).toBe('$W_2$ (Gaussian) to truth');
    expect(latexText(metricLabel('meanDistance'))).toBe('$\\|\\mu - \\mu^*\\|$');
    expect(latexText(metricLabel('modelVarianceTrace'))).toBe('$\\mathrm{Tr}(\\bar{\\Sigma})$ of the fitted model');
    expect(latexText(metricLabel('tvToTruthRise'))).toBe('TV to truth $-$ generation 0');
    expect(latexText(metricLabel('truncationDelta'))).toBe('$\\delta$');
  });
});
