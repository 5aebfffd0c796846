/**
 * Test helpers for the numerical code: one closeness rule (numpy's), random sparse matrices with
 * empty rows and columns, and naive dense oracles.
 */
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { denseToCsr, makeTestRandom } from "../../helpers/matrices.js";

export { csrToDense, denseToCsr, makeTestRandom } from "../../helpers/matrices.js";

/** numpy's rule: |a - e| <= atol + rtol·|e| for every entry; returns the first failing index or -1. */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): number {
  if (actual.length !== expected.length) return -2;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) return i;
  }
  return -1;
}

/** Throws with the first differing entry unless `actual` is close to `expected` (numpy's allclose). */
export function expectAllClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 1e-12,
  atol = 0,
): void {
  const i = firstMismatch(actual, expected, rtol, atol);
  if (i === -2) throw new Error(`length ${actual.length} != ${expected.length}`);
  if (i >= 0) throw new Error(`entry ${i}: ${actual[i]} is not close to ${expected[i]} (rtol ${rtol}, atol ${atol})`);
}

/**
 * Random non-negative sparse matrix with the given density; rows listed in `emptyRows` and
 * columns in `emptyCols` are left empty.
 */
export function randomSparse(
  nRows: number,
  nCols: number,
  density: number,
  seed: number,
  emptyRows: number[] = [],
  emptyCols: number[] = [],
): CsrMatrix {
  const rand = makeTestRandom(seed);
  const dense = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    if (emptyRows.includes(i)) continue;
    for (let j = 0; j < nCols; j++) {
      if (emptyCols.includes(j)) continue;
      if (rand() < density) dense[i * nCols + j] = 0.05 + rand();
    }
  }
  return denseToCsr(dense, nRows, nCols);
}

/** Random dense matrix with entries in [0, 1), a share `zeroShare` of them set to 0. */
export function randomDense(n: number, seed: number, zeroShare = 0): Float64Array {
  const rand = makeTestRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = rand();
    out[i] = rand() < zeroShare ? 0 : v;
  }
  return out;
}

/** C = A·B for dense row-major A (m x p) and B (p x n), summed in index order. */
export function naiveMatMul(A: ArrayLike<number>, B: ArrayLike<number>, m: number, p: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < p; q++) s += A[i * p + q] * B[q * n + j];
      C[i * n + j] = s;
    }
  }
  return C;
}

/** Aᵀ for dense row-major A (m x n). */
export function naiveTranspose(A: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = A[i * n + j];
  return out;
}

/** Solves A·x = b (A k x k) by Gaussian elimination with partial pivoting. */
export function naiveSolve(A: ArrayLike<number>, b: ArrayLike<number>, k: number): number[] {
  const M = Array.from({ length: k }, (_, i) => [...Array.from({ length: k }, (_, j) => A[i * k + j]), b[i]]);
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = c + 1; r < k; r++) {
      const f = M[r][c] / M[c][c];
      for (let j = c; j <= k; j++) M[r][j] -= f * M[c][j];
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = M[r][k];
    for (let j = r + 1; j < k; j++) s -= M[r][j] * x[j];
    x[r] = s / M[r][r];
  }
  return x;
}
