import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { otBarycenter } from '../../main/cli/commands/ot';
import { writeNpy } from '../../main/data/npy';
import { sqeuclideanCost } from '../../main/ot/cost-matrix';
import { emd } from '../../main/ot/emd';
import { freeSupportBarycenter } from '../../main/ot/free-support-barycenter';
import { solveTransport } from '../../main/ot/transport-shortest-path';
import { Rng } from '../../main/util/random';

/**
 * Issue 14, item 11: floating-point marginals such as 1/180 made balanced transport problems "infeasible" (the last
 * row kept a rounding crumb of mass after every column was full: "no augmenting path"). The example: the
 * barycenter of three clouds of 150, 120 and 180 points in 2-D with a support of 100.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-ot-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cloud(rng: Rng, n: number, shift: number): Float64Array {
  const x = rng.fillNormal(new Float64Array(n * 2)) as Float64Array;
  for (let k = 0; k < x.length; k++) x[k] += shift;
  return x;
}

describe('exact OT on unequal sizes', () => {
  it('the barycenter of clouds of 150, 120 and 180 points with a support of 100 solves', () => {
    const rng = new Rng(0);
    const measures = [150, 120, 180].map((n, i) => ({ x: cloud(rng, n, i), n }));
    const res = freeSupportBarycenter(measures, cloud(rng, 100, 1), 100, 2, { maxIter: 20 });
    expect(Number.isFinite(res.cost)).toBe(true);
    expect(res.x.every(Number.isFinite)).toBe(true);
  });

  it('`ot barycenter` on three .npy clouds of 150, 120 and 180 points, support 100', async () => {
    const rng = new Rng(11);
    const inputs = [150, 120, 180].map((n, i) => path.join(tmp, `c${i}.npy`));
    for (const [i, n] of [150, 120, 180].entries()) await writeNpy(inputs[i], Float32Array.from(cloud(rng, n, i)), [n, 2]);
    const res = await otBarycenter({ inputs, support: 100, out: path.join(tmp, 'bary.npy'), maxIter: 20, tol: 1e-7, seed: 0 });
    expect(Number.isFinite(res.cost)).toBe(true);
  });

  it('uniform marginals of every pair of sizes up to 60 solve, with exact row and column sums', () => {
    const rng = new Rng(2);
    for (let n = 1; n <= 60; n += 7) {
      for (let m = 1; m <= 60; m += 3) {
        if (n === m) continue;
        const M = sqeuclideanCost(cloud(rng, n, 0), cloud(rng, m, 0.5), n, m, 2);
        const a = new Float64Array(n).fill(1 / n);
        const b = new Float64Array(m).fill(1 / m);
        const sol = solveTransport(a, b, M, n, m);
        const rows = new Float64Array(n);
        const cols = new Float64Array(m);
        for (let e = 0; e < sol.rows.length; e++) {
          rows[sol.rows[e]] += sol.mass[e];
          cols[sol.cols[e]] += sol.mass[e];
        }
        for (let i = 0; i < n; i++) expect(Math.abs(rows[i] - 1 / n), `${n}×${m} row ${i}`).toBeLessThan(1e-14);
        for (let j = 0; j < m; j++) expect(Math.abs(cols[j] - 1 / m), `${n}×${m} col ${j}`).toBeLessThan(1e-14);
        expect(sol.rows.length).toBeLessThanOrEqual(n + m - 1);
      }
    }
  });

  it('a column total larger than the rows by a rounding crumb still solves (POT rescales within 1.5e-7)', () => {
    const a = Float64Array.of(1 / 3, 1 / 3, 1 / 3);
    const b = new Float64Array(7).fill(1 / 7);
    b[6] += 1e-9;
    const M = new Float64Array(21).map((_, k) => (k * 7919) % 13);
    const res = emd(a, b, M, 3, 7);
    expect(Number.isFinite(res.cost)).toBe(true);
  });
});
