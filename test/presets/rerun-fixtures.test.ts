import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLAPSE_OR_THRIVE_RERUN, COLLAPSE_OR_THRIVE_RERUN_SEEDS } from '../../main/presets/studies/collapse-or-thrive-rerun';
import { COLLAPSE_OR_THRIVE_KDE_RERUN, COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS } from '../../main/presets/studies/collapse-or-thrive-kde-rerun';
import {
  BANDWIDTHS as KDE_BANDWIDTHS,
  PARADIGMS as KDE_PARADIGMS,
  SHAPES as KDE_SHAPES,
  kdeRerunOf,
} from '../../main/presets/studies/collapse-or-thrive-kde';
import { DEY_DONOHO_BOUND, DEY_DONOHO_RERUN } from '../../main/presets/studies/dey-donoho-accumulate';
import {
  ALPHAS as KHELIFA_ALPHAS,
  KHELIFA_RERUN,
  KHELIFA_RERUN_SEEDS,
  LAST as KHELIFA_LAST,
  MAGNITUDES as KHELIFA_MAGNITUDES,
} from '../../main/presets/studies/khelifa-discounted-drift';
import {
  BERTRAND_RERUN,
  BERTRAND_RERUN_SEEDS,
  KINDS as BERTRAND_KINDS,
  MID as BERTRAND_MID,
  SHARES as BERTRAND_SHARES,
} from '../../main/presets/studies/bertrand-stability';
import {
  AMOUNTS as PHASE_AMOUNTS,
  SELF_CONSUMING_RERUN,
  SELF_CONSUMING_RERUN_SEEDS,
} from '../../main/presets/studies/self-consuming-phase';
import { DIFFUSION_TRUNCATION_RERUN, DIFFUSION_TRUNCATION_RERUN_SEEDS } from '../../main/presets/studies/diffusion-truncation';
import { findStudyPreset } from '../../main/presets/studies';

/**
 * The built-in studies hold copies (rounded to 4 significant digits) of their independent numpy re-runs' numbers; these
 * tests hold the copies to the fixtures the scripts wrote (test/fixtures/studies/simulate_*.py).
 */

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/studies', name), 'utf8'));
const close = (ours: number, theirs: number, what: string) =>
  expect(Math.abs(ours - theirs), `${what}: ${ours} vs ${theirs}`).toBeLessThanOrEqual(1e-3 * Math.abs(theirs) + 1e-12);

describe('re-run fixtures', () => {
  it('dey-donoho-accumulate holds simulate_dey_donoho.py’s numbers, and its bound is (π²/6)·d/n', () => {
    const sim = fixture('dey_donoho_simulation.json') as {
      sizes: { d: number; n: number; seeds: number };
      bound: number;
      cells: Record<'replace' | 'accumulate', { meanSqError: number[]; meanSqErrorSd: number[] }>;
    };
    expect(sim.sizes).toMatchObject({ d: 10, n: 100, seeds: 200 });
    close(DEY_DONOHO_BOUND, ((Math.PI ** 2 / 6) * sim.sizes.d) / sim.sizes.n, 'bound');
    close(sim.sizes.d / sim.sizes.n / DEY_DONOHO_BOUND, sim.bound, 'efficiency bound 6/π²');
    for (const p of ['replace', 'accumulate'] as const) {
      for (const g of [9, 99] as const) {
        close(DEY_DONOHO_RERUN[p][g].mean, sim.cells[p].meanSqError[g], `${p} mean at ${g}`);
        close(DEY_DONOHO_RERUN[p][g].sd, sim.cells[p].meanSqErrorSd[g], `${p} sd at ${g}`);
      }
    }
  });

  it('bertrand-stability holds simulate_bertrand_stability.py’s numbers for every cell', () => {
    const sim = fixture('bertrand_stability_simulation.json') as {
      sizes: { n: number; seeds: number; generations: number; shares: number[] };
      cells: Record<string, { tv: number[]; tvSd: number[] }>;
    };
    expect(sim.sizes).toMatchObject({ n: 100, seeds: BERTRAND_RERUN_SEEDS, generations: 30 });
    expect(sim.sizes.shares).toEqual([...BERTRAND_SHARES]);
    for (const kind of BERTRAND_KINDS) {
      for (const share of BERTRAND_SHARES) {
        const theirs = sim.cells[`${kind} ${share.toFixed(1)}`];
        for (const g of [BERTRAND_MID, 29] as const) {
          const ours = BERTRAND_RERUN[`${kind} ${share}`][g];
          close(ours.mean, theirs.tv[g], `${kind} ${share} mean at ${g}`);
          close(ours.sd, theirs.tvSd[g], `${kind} ${share} sd at ${g}`);
        }
      }
    }
  });

  it('khelifa-discounted-drift holds simulate_khelifa_discounted.py’s numbers for every cell', () => {
    const sim = fixture('khelifa_discounted_simulation.json') as {
      sizes: { n: number; dim: number; seeds: number; generations: number };
      cells: Record<string, { kl: number[]; klSd: number[]; discounted: number[]; discountedSd: number[] }>;
    };
    expect(sim.sizes).toMatchObject({ n: 1000, dim: 4, seeds: KHELIFA_RERUN_SEEDS, generations: KHELIFA_LAST + 1 });
    for (const alpha of KHELIFA_ALPHAS) {
      for (const g of KHELIFA_MAGNITUDES) {
        const theirs = sim.cells[`${alpha.toFixed(1)} ${g === 0 ? '0.0' : g}`];
        const ours = KHELIFA_RERUN[`${alpha} ${g}`];
        close(ours.kl.mean, theirs.kl[KHELIFA_LAST], `${alpha} ${g} KL mean`);
        close(ours.kl.sd, theirs.klSd[KHELIFA_LAST], `${alpha} ${g} KL sd`);
        close(ours.discounted.mean, theirs.discounted[KHELIFA_LAST], `${alpha} ${g} B mean`);
        if (g > 0) close(ours.discounted.sd, theirs.discountedSd[KHELIFA_LAST], `${alpha} ${g} B sd`);
      }
    }
  });

  it('collapse-or-thrive-gaussians holds simulate_collapse_or_thrive_gaussians.py’s numbers for every cell', () => {
    const sim = fixture('collapse_or_thrive_gaussians_simulation.json') as {
      sizes: { seeds: number };
      cells: Record<string, Record<string, Record<string, { mean: number; sd: number }>>>;
    };
    expect(sim.sizes.seeds).toBe(COLLAPSE_OR_THRIVE_RERUN_SEEDS);
    expect(Object.keys(COLLAPSE_OR_THRIVE_RERUN).sort()).toEqual(Object.keys(sim.cells).sort());
    for (const [key, cell] of Object.entries(COLLAPSE_OR_THRIVE_RERUN)) {
      for (const metric of ['meanSqError', 'trace', 'logDet'] as const) {
        for (const g of [0, 1, 9, 99] as const) {
          const theirs = sim.cells[key][metric][String(g)];
          close(cell[metric][g].mean, theirs.mean, `${key} ${metric} mean at ${g}`);
          close(cell[metric][g].sd, theirs.sd, `${key} ${metric} sd at ${g}`);
        }
      }
    }
  });
  it('collapse-or-thrive-kde holds simulate_collapse_or_thrive_kde.py’s numbers for every cell', () => {
    const sim = fixture('collapse_or_thrive_kde_simulation.json') as {
      sizes: { seeds: number };
      cells: Record<string, { mean: number[]; sd: number[] }>;
    };
    expect(sim.sizes.seeds).toBe(COLLAPSE_OR_THRIVE_KDE_RERUN_SEEDS);
    expect(Object.keys(COLLAPSE_OR_THRIVE_KDE_RERUN).sort()).toEqual(Object.keys(sim.cells).sort());
    // every cell of the study's grid has its re-run
    for (const s of KDE_SHAPES) for (const h of KDE_BANDWIDTHS) for (const p of KDE_PARADIGMS) expect(kdeRerunOf(s, h, p)).toBeDefined();
    for (const [key, cell] of Object.entries(COLLAPSE_OR_THRIVE_KDE_RERUN)) {
      for (const g of [0, 1, 9, 29] as const) {
        close(cell[g].mean, sim.cells[key].mean[g], `${key} mean at ${g}`);
        close(cell[g].sd, sim.cells[key].sd[g], `${key} sd at ${g}`);
      }
    }
  });
  it('self-consuming-phase holds simulate_self_consuming_phase.py’s numbers at its own horizon, sizes and amounts', () => {
    const sim = fixture('self_consuming_phase_simulation.json') as {
      sizes: { n: number; seeds: number; amounts: number[] };
      horizons: Record<
        string,
        { window: number[]; amounts: Record<string, { riseMean: number; riseSd: number; fallMean?: number; fallSd?: number }> }
      >;
    };
    const base = findStudyPreset('self-consuming-phase').study.base as {
      dataset: { trainSize: number };
      loop: { generations: number };
    };
    expect(sim.sizes).toMatchObject({ n: base.dataset.trainSize, seeds: SELF_CONSUMING_RERUN_SEEDS });
    expect(sim.sizes.amounts).toEqual([...PHASE_AMOUNTS]);
    const h = sim.horizons[String(base.loop.generations)];
    expect(h.window).toEqual([base.loop.generations / 2, base.loop.generations - 1]);
    for (const a of PHASE_AMOUNTS) {
      const theirs = h.amounts[String(a)];
      const ours = SELF_CONSUMING_RERUN[a];
      close(ours.rise.mean, theirs.riseMean, `m/n = ${a} rise mean`);
      close(ours.rise.sd, theirs.riseSd, `m/n = ${a} rise sd`);
      if (ours.fall) {
        close(ours.fall.mean, theirs.fallMean!, `m/n = ${a} fall mean`);
        close(ours.fall.sd, theirs.fallSd!, `m/n = ${a} fall sd`);
      } else expect(theirs.fallMean, `m/n = ${a} has no fall`).toBeUndefined();
    }
  });

  it('diffusion-truncation holds simulate_diffusion_truncation.py’s numbers for every schedule, at the study’s sizes', () => {
    const sim = fixture('diffusion_truncation_simulation.json') as {
      sizes: { n: number; realShare: number; generations: number; tail: number[]; seeds: number; sampler: string; steps: number };
      schedules: Record<'constant' | 'power' | 'geometric', { w2: number[]; tail: { mean: number; sd: number } }>;
    };
    const base = findStudyPreset('diffusion-truncation').study.base as {
      dataset: { trainSize: number };
      model: { params: { sampler: string; steps: number } };
      loop: { generations: number; paradigm: string; keep: number };
    };
    expect(sim.sizes).toMatchObject({
      n: base.dataset.trainSize,
      generations: base.loop.generations,
      seeds: DIFFUSION_TRUNCATION_RERUN_SEEDS,
    });
    expect(sim.sizes).toMatchObject({ sampler: base.model.params.sampler, steps: base.model.params.steps });
    expect(base.loop.paradigm).toBe(`mixed:${sim.sizes.realShare}`);
    expect(base.loop.keep).toBe(sim.sizes.n);
    expect(sim.sizes.tail).toEqual([base.loop.generations - 5, base.loop.generations - 1]);
    for (const name of ['constant', 'power', 'geometric'] as const) {
      close(DIFFUSION_TRUNCATION_RERUN[name].first, sim.schedules[name].w2[0], `${name} at generation 0`);
      close(DIFFUSION_TRUNCATION_RERUN[name].tail.mean, sim.schedules[name].tail.mean, `${name} tail mean`);
      close(DIFFUSION_TRUNCATION_RERUN[name].tail.sd, sim.schedules[name].tail.sd, `${name} tail sd`);
    }
  });
});
