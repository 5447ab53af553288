/**
 * Dense linear assignment by the Jonker–Volgenant algorithm (LAPJV, 1987): column reduction, reduction transfer, two
 * rounds of augmenting row reduction, then shortest augmenting paths. Exact. Used for optimal transport between two
 * equally sized sets with uniform weights, where the optimal plan is a permutation. Hand-written: no npm package
 * solves dense float64 assignment problems with dual potentials at this speed.
 *
 * Returns rowToCol (σ), and duals u, v with u_i + v_j ≤ C_ij for all i, j and equality on (i, σ(i)).
 */
export interface AssignmentSolution {
  rowToCol: Int32Array;
  u: Float64Array;
  v: Float64Array;
  /** Σ_i C[i, σ(i)] */
  total: number;
  /** Rows left free by the reductions and assigned by a shortest augmenting path. */
  augmentations: number;
}

export function solveAssignment(C: Float64Array, n: number): AssignmentSolution {
  if (C.length !== n * n) throw new RangeError(`assignment: cost matrix holds ${C.length} values, expected ${n} × ${n}`);
  if (n === 1) return { rowToCol: Int32Array.of(0), u: Float64Array.of(C[0]), v: new Float64Array(1), total: C[0], augmentations: 0 };
  const rowsol = new Int32Array(n).fill(-1);
  const colsol = new Int32Array(n).fill(-1);
  const v = new Float64Array(n);
  const matches = new Int32Array(n);
  const free = new Int32Array(n);

  // column reduction: each column's cheapest row (first on ties), keeping at most one column per row. The minima
  // are found row by row (contiguous reads), then the columns are visited from the last, as in the original.
  const colMin = new Float64Array(n).fill(Infinity);
  const colArg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * n;
    for (let j = 0; j < n; j++) {
      const c = C[o + j];
      if (c < colMin[j]) {
        colMin[j] = c;
        colArg[j] = i;
      }
    }
  }
  for (let j = n - 1; j >= 0; j--) {
    const min = colMin[j];
    const imin = colArg[j];
    v[j] = min;
    if (++matches[imin] === 1) {
      rowsol[imin] = j;
      colsol[j] = imin;
    } else if (v[j] < v[rowsol[imin]]) {
      const j1 = rowsol[imin];
      rowsol[imin] = j;
      colsol[j] = imin;
      colsol[j1] = -1;
    } else {
      colsol[j] = -1;
    }
  }

  // reduction transfer
  let numFree = 0;
  for (let i = 0; i < n; i++) {
    if (matches[i] === 0) {
      free[numFree++] = i;
    } else if (matches[i] === 1) {
      const j1 = rowsol[i];
      let min = Infinity;
      const o = i * n;
      for (let j = 0; j < n; j++) {
        if (j === j1) continue;
        const h = C[o + j] - v[j];
        if (h < min) min = h;
      }
      if (min < Infinity) v[j1] -= min - (C[o + j1] - v[j1]);
    }
  }
  // (the classic code writes v[j1] -= min with v already reduced by the column minimum, where C[i][j1] - v[j1] = 0;
  // the form above is the same and stays exact if that difference is not exactly 0)

  // augmenting row reduction, two rounds; the step cap guards against slow cycling on near-ties
  for (let round = 0; round < 2; round++) {
    let k = 0;
    const prevNumFree = numFree;
    numFree = 0;
    let steps = 0;
    const maxSteps = 8 * n + 100;
    while (k < prevNumFree) {
      const i = free[k++];
      const o = i * n;
      let umin = C[o] - v[0];
      let j1 = 0;
      let usubmin = Infinity;
      let j2 = -1;
      for (let j = 1; j < n; j++) {
        const h = C[o + j] - v[j];
        if (h < usubmin) {
          if (h >= umin) {
            usubmin = h;
            j2 = j;
          } else {
            usubmin = umin;
            umin = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
      let i0 = colsol[j1];
      if (umin < usubmin) {
        v[j1] -= usubmin - umin;
      } else if (i0 >= 0 && j2 >= 0) {
        j1 = j2;
        i0 = colsol[j2];
      }
      rowsol[i] = j1;
      colsol[j1] = i;
      if (i0 >= 0) {
        rowsol[i0] = -1;
        if (umin < usubmin && ++steps < maxSteps) free[--k] = i0;
        else free[numFree++] = i0;
      }
    }
  }

  // shortest augmenting paths for the rows still free. The columns are kept in collist order with their tentative
  // distances and prices alongside (dk, vk), so the scans read those sequentially.
  const pred = new Int32Array(n);
  const collist = new Int32Array(n);
  const dk = new Float64Array(n);
  const vk = new Float64Array(n);
  const swap = (a: number, b: number) => {
    const c = collist[a];
    collist[a] = collist[b];
    collist[b] = c;
    const x = dk[a];
    dk[a] = dk[b];
    dk[b] = x;
    const y = vk[a];
    vk[a] = vk[b];
    vk[b] = y;
  };
  for (let f = 0; f < numFree; f++) {
    const freeRow = free[f];
    const of = freeRow * n;
    for (let j = 0; j < n; j++) {
      const vj = v[j];
      dk[j] = C[of + j] - vj;
      vk[j] = vj;
      pred[j] = freeRow;
      collist[j] = j;
    }
    let low = 0;
    let up = 0;
    let last = 0;
    let min = 0;
    let endOfPath = -1;
    while (endOfPath < 0) {
      if (up === low) {
        // next batch: all columns at the current minimum distance
        last = low - 1;
        min = dk[up++];
        for (let k = up; k < n; k++) {
          const h = dk[k];
          if (h <= min) {
            if (h < min) {
              up = low;
              min = h;
            }
            swap(k, up++);
          }
        }
        for (let k = low; k < up; k++) {
          if (colsol[collist[k]] < 0) {
            endOfPath = collist[k];
            break;
          }
        }
      }
      if (endOfPath < 0) {
        // scan the row assigned to the next column of the batch
        const j1 = collist[low];
        const i = colsol[j1];
        const oi = i * n;
        const h = C[oi + j1] - vk[low] - min;
        low++;
        for (let k = up; k < n; k++) {
          const j = collist[k];
          const v2 = C[oi + j] - vk[k] - h;
          if (v2 < dk[k]) {
            pred[j] = i;
            dk[k] = v2;
            if (v2 === min) {
              if (colsol[j] < 0) {
                endOfPath = j;
                break;
              }
              swap(k, up++);
            }
          }
        }
      }
    }
    // prices of the columns settled before the last batch
    for (let k = 0; k <= last; k++) v[collist[k]] += dk[k] - min;
    // flip the path
    for (;;) {
      const i = pred[endOfPath];
      colsol[endOfPath] = i;
      const j1 = endOfPath;
      endOfPath = rowsol[i];
      rowsol[i] = j1;
      if (i === freeRow) break;
    }
  }

  const u = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = rowsol[i];
    const c = C[i * n + j];
    u[i] = c - v[j];
    total += c;
  }
  return { rowToCol: rowsol, u, v, total, augmentations: numFree };
}
