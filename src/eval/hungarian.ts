/**
 * Minimum-cost assignment (Kuhn-Munkres) by shortest augmenting paths with dual potentials, the
 * O(n^2 m) form of Jonker-Volgenant.
 */

/**
 * Minimum-cost assignment of rows to distinct columns of a rectangular cost matrix.
 *
 * Finds `assignment` minimizing `sum_i cost[i, assignment[i]]` over the rows that are assigned, where
 * `min(nRows, nCols)` rows are assigned, each to a different column: every row when
 * `nRows <= nCols`; otherwise `nCols` rows, and the other rows get -1. To maximize a similarity,
 * pass its negation.
 *
 * Ties (several optimal assignments) are resolved by a fixed rule, so equal inputs give equal
 * outputs. Call the shorter side "items" (the rows when `nRows <= nCols`, else the columns, which
 * are then solved as the rows of the transposed matrix) and the other side "slots". Items are
 * inserted one at a time in increasing index order, each by a Dijkstra-like search that scans slots
 * in increasing index order and advances to the first slot with the strictly smallest reduced
 * distance. Among equally cheap choices, lower slot indices therefore go to earlier items: an
 * all-equal 3 x 4 matrix gives `[0, 1, 2]`, an all-equal 4 x 3 matrix gives `[0, 1, 2, -1]`.
 *
 * Cost: O(s^2 * l) time for s = min(nRows, nCols), l = max(nRows, nCols); O(nRows * nCols) memory
 * when the matrix has to be transposed (more rows than columns), O(nRows + nCols) otherwise.
 *
 * @param cost nRows x nCols, row-major, finite values (any sign)
 * @returns Int32Array of length nRows: the column of each row, or -1 when the row is unassigned
 * @throws RangeError when the size does not match or a cost is not finite
 */
export function hungarian(cost: Float64Array, nRows: number, nCols: number): Int32Array {
  if (!(Number.isInteger(nRows) && Number.isInteger(nCols) && nRows >= 0 && nCols >= 0)) {
    throw new RangeError(`hungarian: bad shape ${nRows} x ${nCols}`);
  }
  if (cost.length !== nRows * nCols) {
    throw new RangeError(`hungarian: cost has ${cost.length} values, expected ${nRows} x ${nCols}`);
  }
  for (let p = 0; p < cost.length; p++) {
    if (!Number.isFinite(cost[p])) throw new RangeError(`hungarian: cost[${p}] = ${cost[p]} is not finite`);
  }
  const assignment = new Int32Array(nRows).fill(-1);
  if (nRows === 0 || nCols === 0) return assignment;
  if (nRows <= nCols) return assignShortSide(cost, nRows, nCols);
  const transposed = new Float64Array(nCols * nRows);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) transposed[j * nRows + i] = cost[i * nCols + j];
  }
  const rowOfCol = assignShortSide(transposed, nCols, nRows);
  for (let j = 0; j < nCols; j++) assignment[rowOfCol[j]] = j;
  return assignment;
}

/**
 * The shortest-augmenting-path core for `n <= m`: every one of the n rows gets a distinct column.
 * @param cost n x m, row-major
 * @returns the column of each row (length n)
 */
function assignShortSide(cost: Float64Array, n: number, m: number): Int32Array {
  // 1-based internally; index 0 is the virtual start column / unassigned marker.
  const u = new Float64Array(n + 1); // row potentials
  const v = new Float64Array(m + 1); // column potentials
  const rowOfCol = new Int32Array(m + 1); // row matched to column j (1-based), 0 = free
  const way = new Int32Array(m + 1); // previous column on the shortest path
  const minDist = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);

  for (let i = 1; i <= n; i++) {
    rowOfCol[0] = i;
    let j0 = 0;
    minDist.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = rowOfCol[j0];
      const rowBase = (i0 - 1) * m - 1;
      const ui0 = u[i0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[rowBase + j] - ui0 - v[j];
        if (reduced < minDist[j]) {
          minDist[j] = reduced;
          way[j] = j0;
        }
        if (minDist[j] < delta) {
          delta = minDist[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[rowOfCol[j]] += delta;
          v[j] -= delta;
        } else {
          minDist[j] -= delta;
        }
      }
      j0 = j1;
    } while (rowOfCol[j0] !== 0);
    // Augment along the path back to the virtual column 0.
    do {
      const j1 = way[j0];
      rowOfCol[j0] = rowOfCol[j1];
      j0 = j1;
    } while (j0 !== 0);
  }

  const colOfRow = new Int32Array(n);
  for (let j = 1; j <= m; j++) if (rowOfCol[j] !== 0) colOfRow[rowOfCol[j] - 1] = j - 1;
  return colOfRow;
}
