import { describe, expect, it } from 'vitest';
import { metricInfo } from '../../main/contract/metric-catalog';
import { parsePsiMetric } from '../../main/shared/psi';
import type { StudyAggregate } from '../../main/contract/study-aggregate';
import { findStudyPreset, studyPresets } from '../../main/presets/studies/index';
import { canonicalJson, expandStudy } from '../../main/studies/expand-study';

/**
 * A catalog metric, a scheme's / model's nested diagnostic as the aggregate flattens it (`selection.covarianceGap`), or ψ
 * per seed / of the cell mean of a catalog metric (`psi-per-seed:modelVarianceTrace`).
 */
const known = (key: string) => {
  const psi = parsePsiMetric(key);
  if (psi) return metricInfo(psi.metric) !== undefined;
  return metricInfo(key) !== undefined || /^[A-Za-z]+\.[A-Za-z0-9_-]+$/.test(key);
};

const empty = (fieldPaths: string[] = []): StudyAggregate => ({ studyId: 'empty', fieldPaths, metrics: [], cells: [] });

describe('built-in study presets', () => {
  it('have distinct names, and findStudyPreset finds each', () => {
    const names = studyPresets.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(findStudyPreset(n).name).toBe(n);
    for (const n of ['selection-bias-islands', 'vae-collapse', 'covariance-matching', 'diffusion-truncation', 'wgan-drift'])
      expect(names).toContain(n);
  });

  for (const preset of studyPresets) {
    describe(preset.name, () => {
      it('expands into valid run configs', () => {
        const plan = expandStudy(preset.study, `study preset ${preset.name}`);
        expect(plan.runs.length).toBeGreaterThan(0);
        expect(preset.expectedMinutes).toBeGreaterThan(0);
      });

      it('a claim comes with figures and a verdict, whose numbers name real metrics and cells', () => {
        if (!preset.claim) return;
        expect(preset.verdict).toBeTypeOf('function');
        expect(preset.figures?.length ?? 0).toBeGreaterThan(0);
        expect(preset.claim.statement.length).toBeGreaterThan(20);
        expect(preset.claim.figures.length).toBeGreaterThan(0);
        const plan = expandStudy(preset.study);
        const cellValues = plan.runs.map((r) => r.fields);
        for (const f of preset.claim.figures) {
          if (!f.ours) continue;
          expect(known(f.ours.metric), `${f.quantity}: metric ${f.ours.metric}`).toBe(true);
          if (f.ours.cell) {
            const match = cellValues.some((fields) =>
              Object.entries(f.ours!.cell!).every(([p, v]) => canonicalJson(fields[p]) === canonicalJson(v)),
            );
            expect(match, `${f.quantity}: no cell has ${canonicalJson(f.ours.cell)}`).toBe(true);
          }
        }
        for (const fig of preset.figures ?? []) {
          if ('metric' in fig) expect(known(fig.metric), `${fig.title}: metric ${fig.metric}`).toBe(true);
          if (fig.kind === 'metric-vs-generation' && fig.reference) expect(known(fig.reference.metric)).toBe(true);
        }
      });

      it('gives a pending verdict on an empty aggregate', () => {
        if (!preset.verdict) return;
        expect(preset.verdict(empty()).reproduced).toBe('pending');
      });
    });
  }
});
