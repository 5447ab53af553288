/**
 * Exact discrete optimal transport (the transportation problem) by successive shortest augmenting paths with dual
 * potentials: a dense primal-dual method, the transportation form of the Jonker–Volgenant / Crouse assignment solver
 * (the one SciPy's `linear_sum_assignment` uses). Hand-written because no npm package solves dense transport problems
 * with real weights and returns dual potentials.
 *
 * Invariants: u_i + v_j ≤ M_ij for every pair (dual feasibility) and u_i + v_j = M_ij wherever the plan is positive
 * (complementary slackness). Each step runs Dijkstra on reduced costs from one row that still has mass to ship to the
 * nearest column that still has room, pushes as much mass along the path as it carries, and updates the potentials
 * of the nodes it settled. For uniform weights on a square problem every step ships one unit 1/n, which is exactly
 * the assignment algorithm.
 */

export interface TransportSolution {
  /** ⟨P, M⟩ */
  cost: number;
  /** Row dual potentials (before centring, see {@link centreDuals}). */
  u: Float64Array;
  v: Float64Array;
  /** The plan's positive entries: P[rows[e], cols[e]] = mass[e]. */
  rows: Int32Array;
  cols: Int32Array;
  mass: Float64Array;
  /** Augmenting paths found (Dijkstra runs). */
  augmentations: number;
}

/** POT's `center_ot_dual`: shift u up and v down by the constant that balances Σ a·u and Σ b·v. */
export function centreDuals(u: Float64Array, v: Float64Array, a: Float64Array, b: Float64Array): void {
  let sa = 0;
  let sb = 0;
  let au = 0;
  let bv = 0;
  for (let i = 0; i < u.length; i++) {
    sa += a[i];
    au += a[i] * u[i];
  }
  for (let j = 0; j < v.length; j++) {
    sb += b[j];
    bv += b[j] * v[j];
  }
  const c = (bv - au) / (sa + sb);
  for (let i = 0; i < u.length; i++) u[i] += c;
  for (let j = 0; j < v.length; j++) v[j] -= c;
}

/** Positive flows of one column: a small growable list of (row, mass). */
class ColumnFlows {
  rows: Int32Array = new Int32Array(2);
  mass: Float64Array = new Float64Array(2);
  size = 0;

  add(r: number, theta: number): void {
    for (let e = 0; e < this.size; e++) {
      if (this.rows[e] === r) {
        this.mass[e] += theta;
        return;
      }
    }
    if (this.size === this.rows.length) {
      const rows = new Int32Array(this.size * 2);
      rows.set(this.rows);
      const mass = new Float64Array(this.size * 2);
      mass.set(this.mass);
      this.rows = rows;
      this.mass = mass;
    }
    this.rows[this.size] = r;
    this.mass[this.size] = theta;
    this.size++;
  }

  get(r: number): number {
    for (let e = 0; e < this.size; e++) if (this.rows[e] === r) return this.mass[e];
    return 0;
  }

  /** Remove θ from (r, ·); drops the entry when nothing is left (masses are whole units, exact). */
  sub(r: number, theta: number): void {
    for (let e = 0; e < this.size; e++) {
      if (this.rows[e] === r) {
        const left = this.mass[e] - theta;
        if (left <= 0) {
          this.size--;
          this.rows[e] = this.rows[this.size];
          this.mass[e] = this.mass[this.size];
        } else {
          this.mass[e] = left;
        }
        return;
      }
    }
    throw new Error('transport solver: internal error (missing flow on a backward arc)');
  }
}

/**
 * The marginals are solved in integer units: each side is scaled to exactly UNITS (2^50) whole units, so that every
 * supply, demand and flow is an integer held exactly by a double (all sums stay below 2^53) and a balanced problem
 * stays exactly balanced whatever the rounding of its weights (1/180 summed 180 times is not 1). A unit is 2^-50 of
 * the total mass: the plan's marginals are the given ones to about 1e-15, relative.
 */
export const MASS_UNITS = 2 ** 50;

/**
 * Whole units proportional to w, summing to exactly `units` (largest remainders get the units that rounding down
 * left over, or give back the ones that rounding of the quotients added). A weight of 0 stays 0.
 */
export function integerMarginal(w: Float64Array, units: number): Float64Array {
  let total = 0;
  for (let i = 0; i < w.length; i++) total += w[i];
  if (!(total > 0) || !Number.isFinite(total)) throw new RangeError(`transport: weights sum to ${total}`);
  const out = new Float64Array(w.length);
  const frac = new Float64Array(w.length);
  let sum = 0;
  for (let i = 0; i < w.length; i++) {
    const q = (w[i] / total) * units;
    const f = Math.floor(q);
    out[i] = f;
    frac[i] = q - f;
    sum += f;
  }
  let left = units - sum; // an integer (every term is), small: at most about the number of weights
  if (left !== 0) {
    const order = Array.from(w.keys()).sort((i, j) => frac[j] - frac[i] || i - j);
    while (left > 0) {
      let gave = false;
      for (const i of order) {
        if (left === 0) break;
        if (w[i] > 0) {
          out[i]++;
          left--;
          gave = true;
        }
      }
      if (!gave) throw new RangeError('transport: the weights sum to 0');
    }
    while (left < 0) {
      for (let k = order.length - 1; k >= 0 && left < 0; k--) {
        const i = order[k];
        if (out[i] >= 1) {
          out[i]--;
          left++;
        }
      }
    }
  }
  return out;
}

/**
 * Solve min ⟨P, M⟩ over P ≥ 0 with P·1 = a and Pᵀ·1 = b. `a` and `b` must be non-negative; b's total is taken to be
 * a's (callers check that the totals agree, as POT does, and b is scaled to a's total). M is row-major [n, m].
 * Successive shortest augmenting paths: each row's supply is pushed along the cheapest path (in reduced costs) to a
 * column with room left, until every row is empty.
 */
export function solveTransport(a: Float64Array, b: Float64Array, M: Float64Array, n: number, m: number): TransportSolution {
  if (M.length !== n * m) throw new RangeError(`transport: cost matrix holds ${M.length} values, expected ${n} × ${m}`);
  if (a.length !== n || b.length !== m) throw new RangeError(`transport: ${a.length} and ${b.length} weights for ${n} × ${m} points`);
  let total = 0;
  for (let i = 0; i < n; i++) total += a[i];
  // exact integer marginals (see MASS_UNITS): supply and demand balance exactly, so no crumb of mass is ever stranded
  const supply = integerMarginal(a, MASS_UNITS);
  const demand = integerMarginal(b, MASS_UNITS);

  const { u, v, flows } = greedyStart(M, n, m, supply, demand);
  const search = new ShortestPathSearch(M, n, m, u, v, flows, demand);
  let augmentations = 0;
  for (let i0 = 0; i0 < n; i0++) {
    while (supply[i0] > 0) {
      augmentations++;
      const end = search.shortestPath(i0);
      pushAlongPath(search, i0, end, supply, demand, flows);
    }
  }
  return { ...collectPlan(flows, M, m, total / MASS_UNITS), u, v, augmentations };
}

/**
 * Initial duals by column reduction then row reduction (feasible: M_ij − u_i − v_j ≥ 0), with a greedy flow on each
 * row's tight arc.
 */
function greedyStart(
  M: Float64Array,
  n: number,
  m: number,
  supply: Float64Array,
  demand: Float64Array,
): { u: Float64Array; v: Float64Array; flows: ColumnFlows[] } {
  const u = new Float64Array(n);
  const v = new Float64Array(m).fill(Infinity);
  for (let i = 0; i < n; i++) {
    const o = i * m;
    for (let j = 0; j < m; j++) if (M[o + j] < v[j]) v[j] = M[o + j];
  }
  const flows: ColumnFlows[] = new Array(m);
  for (let j = 0; j < m; j++) flows[j] = new ColumnFlows();
  for (let i = 0; i < n; i++) {
    const o = i * m;
    let best = Infinity;
    let arg = -1;
    for (let j = 0; j < m; j++) {
      const r = M[o + j] - v[j];
      if (r < best || (r === best && arg >= 0 && demand[arg] === 0 && demand[j] > 0)) {
        best = r;
        arg = j;
      }
    }
    u[i] = best;
    if (supply[i] > 0 && demand[arg] > 0) {
      const theta = Math.min(supply[i], demand[arg]);
      flows[arg].add(i, theta);
      supply[i] -= theta;
      demand[arg] -= theta;
    }
  }
  return { u, v, flows };
}

/**
 * Dijkstra on the residual graph in reduced costs, from one row to the nearest column with room left, with its work
 * arrays reused by every search. The unsettled columns are kept compact in remCol[0..nRem) with their tentative
 * distances and prices alongside (remDist, remV), so the relaxation loop reads them sequentially.
 */
class ShortestPathSearch {
  /** Row from which column j was reached. */
  readonly predCol: Int32Array;
  /** Column through which row i was reached (−1 for the source). */
  readonly predRow: Int32Array;
  private readonly dist: Float64Array; // final distance of each settled column
  private readonly remCol: Int32Array;
  private readonly remDist: Float64Array;
  private readonly remV: Float64Array;
  private readonly settledCols: Int32Array;
  private readonly settledRows: Int32Array;
  private readonly rowDist: Float64Array;
  private readonly rowStamp: Int32Array;
  private readonly newRows: Int32Array;
  private stamp = 0;

  constructor(
    private readonly M: Float64Array,
    private readonly n: number,
    private readonly m: number,
    private readonly u: Float64Array,
    private readonly v: Float64Array,
    private readonly flows: ColumnFlows[],
    private readonly demand: Float64Array,
  ) {
    this.dist = new Float64Array(m);
    this.predCol = new Int32Array(m);
    this.predRow = new Int32Array(n);
    this.remCol = new Int32Array(m);
    this.remDist = new Float64Array(m);
    this.remV = new Float64Array(m);
    this.settledCols = new Int32Array(m);
    this.settledRows = new Int32Array(n);
    this.rowDist = new Float64Array(n);
    this.rowStamp = new Int32Array(n).fill(-1);
    this.newRows = new Int32Array(n);
  }

  /**
   * The shortest path from row i0 to a column with room left (ties: prefer a column with room); updates the
   * potentials of the settled nodes so that reduced costs stay ≥ 0 and the path is tight. Returns the end column;
   * the path is read back through predCol and predRow.
   */
  shortestPath(i0: number): number {
    const {
      M,
      m,
      u,
      v,
      flows,
      demand,
      dist,
      predCol,
      predRow,
      remCol,
      remDist,
      remV,
      settledCols,
      settledRows,
      rowDist,
      rowStamp,
      newRows,
    } = this;
    const stamp = ++this.stamp;
    let nRem = m;
    let nSettledCols = 0;
    let nSettledRows = 0;

    // settle the source row and relax all columns from it, finding the nearest on the way
    rowStamp[i0] = stamp;
    predRow[i0] = -1;
    rowDist[i0] = 0;
    settledRows[nSettledRows++] = i0;
    let best = Infinity;
    let bestPos = -1;
    {
      const o = i0 * m;
      const ui = u[i0];
      for (let j = 0; j < m; j++) {
        const vj = v[j];
        const dj = M[o + j] - ui - vj;
        remCol[j] = j;
        remDist[j] = dj;
        remV[j] = vj;
        predCol[j] = i0;
        if (dj < best || (dj === best && demand[j] > 0 && demand[remCol[bestPos]] === 0)) {
          best = dj;
          bestPos = j;
        }
      }
    }

    let end = -1;
    let D = 0;
    for (;;) {
      // cannot happen: supply and demand balance exactly, and every column is reachable from the source row
      if (bestPos < 0) throw new Error('transport solver: internal error (no column with room left)');
      const j = remCol[bestPos];
      const dj = best;
      // remove from the unsettled set (swap with the last)
      nRem--;
      remCol[bestPos] = remCol[nRem];
      remDist[bestPos] = remDist[nRem];
      remV[bestPos] = remV[nRem];
      dist[j] = dj;
      if (demand[j] > 0) {
        end = j;
        D = dj;
        break;
      }
      settledCols[nSettledCols++] = j;
      // follow the backward arcs (positive flows, reduced cost 0) into rows not yet settled
      const fl = flows[j];
      let nNew = 0;
      for (let e = 0; e < fl.size; e++) {
        const r = fl.rows[e];
        if (rowStamp[r] === stamp) continue;
        rowStamp[r] = stamp;
        predRow[r] = j;
        rowDist[r] = dj;
        settledRows[nSettledRows++] = r;
        newRows[nNew++] = r;
      }
      // relax from them; the last relaxation also finds the next nearest column (ties: prefer one with room)
      best = Infinity;
      bestPos = -1;
      if (nNew === 0) {
        for (let p = 0; p < nRem; p++) {
          const dp = remDist[p];
          if (dp < best || (dp === best && demand[remCol[p]] > 0 && demand[remCol[bestPos]] === 0)) {
            best = dp;
            bestPos = p;
          }
        }
        continue;
      }
      for (let q = 0; q < nNew; q++) {
        const r = newRows[q];
        const o = r * m;
        const base = dj - u[r];
        if (q < nNew - 1) {
          for (let p = 0; p < nRem; p++) {
            const k = remCol[p];
            const nd = base + M[o + k] - remV[p];
            if (nd < remDist[p]) {
              remDist[p] = nd;
              predCol[k] = r;
            }
          }
        } else {
          for (let p = 0; p < nRem; p++) {
            const k = remCol[p];
            const nd = base + M[o + k] - remV[p];
            let dp = remDist[p];
            if (nd < dp) {
              remDist[p] = nd;
              predCol[k] = r;
              dp = nd;
            }
            if (dp < best || (dp === best && demand[k] > 0 && demand[remCol[bestPos]] === 0)) {
              best = dp;
              bestPos = p;
            }
          }
        }
      }
    }

    // potentials of settled nodes (keeps reduced costs ≥ 0 and makes the path tight)
    for (let p = 0; p < nSettledRows; p++) {
      const r = settledRows[p];
      u[r] += D - rowDist[r];
    }
    for (let p = 0; p < nSettledCols; p++) {
      const c = settledCols[p];
      v[c] -= D - dist[c];
    }
    return end;
  }
}

/** Push the path's bottleneck θ from row i0 to column `end`: forward arcs gain θ, backward arcs lose it. */
function pushAlongPath(
  search: ShortestPathSearch,
  i0: number,
  end: number,
  supply: Float64Array,
  demand: Float64Array,
  flows: ColumnFlows[],
): void {
  const { predCol, predRow } = search;
  let theta = Math.min(supply[i0], demand[end]);
  for (let k = end; ;) {
    const r = predCol[k];
    if (r === i0) break;
    const jb = predRow[r];
    const f = flows[jb].get(r);
    if (f < theta) theta = f;
    k = jb;
  }
  for (let k = end; ;) {
    const r = predCol[k];
    flows[k].add(r, theta);
    if (r === i0) break;
    const jb = predRow[r];
    flows[jb].sub(r, theta);
    k = jb;
  }
  supply[i0] -= theta;
  demand[end] -= theta;
}

/** The plan's non-zero entries (in mass, from whole units) and its cost. */
function collectPlan(
  flows: ColumnFlows[],
  M: Float64Array,
  m: number,
  unitMass: number,
): Pick<TransportSolution, 'cost' | 'rows' | 'cols' | 'mass'> {
  let count = 0;
  for (let j = 0; j < m; j++) count += flows[j].size;
  const rows = new Int32Array(count);
  const cols = new Int32Array(count);
  const mass = new Float64Array(count);
  let cost = 0;
  let e = 0;
  for (let j = 0; j < m; j++) {
    const fl = flows[j];
    for (let q = 0; q < fl.size; q++) {
      rows[e] = fl.rows[q];
      cols[e] = j;
      mass[e] = fl.mass[q] * unitMass;
      cost += mass[e] * M[fl.rows[q] * m + j];
      e++;
    }
  }
  return { cost, rows, cols, mass };
}
