/**
 * Shared test helpers for numerical code: the one closeness rule (numpy's isclose), a seeded
 * generator for test data independent of src/linalg/random.ts, and dense <-> CSR conversions.
 */
import { expect } from "vitest";
import type { CsrMatrix } from "../../src/linalg/types.js";

/** numpy's rule for one value: |actual - expected| <= atol + rtol * |expected|. */
export function isClose(actual: number, expected: number, atol: number, rtol: number): boolean {
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Fails the test unless `actual` is close to `expected` (numpy's isclose; default atol 1e-9). */
export function expectClose(actual: number, expected: number, atol = 1e-9, rtol = 0, what = ""): void {
  if (!isClose(actual, expected, atol, rtol)) expect.fail(`${what} ${actual} is not within ${atol} + ${rtol}*|e| of ${expected}`);
}

/** mulberry32: a small seeded generator in [0, 1) for test data, so tests never use Math.random. */
export function makeTestRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CSR from a dense row-major matrix, storing every entry for which `keep` is true (default: non-zeros). */
export function denseToCsr(
  dense: ArrayLike<number>,
  nRows: number,
  nCols: number,
  keep: (v: number, r: number, c: number) => boolean = (v) => v !== 0,
): CsrMatrix {
  const indptr = new Int32Array(nRows + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) {
      const v = dense[r * nCols + c];
      if (keep(v, r, c)) {
        indices.push(c);
        data.push(v);
      }
    }
    indptr[r + 1] = indices.length;
  }
  return { nRows, nCols, indptr, indices: Int32Array.from(indices), data: Float64Array.from(data) };
}

/** Dense row-major copy of a CSR matrix. */
export function csrToDense(X: CsrMatrix): Float64Array {
  const out = new Float64Array(X.nRows * X.nCols);
  for (let i = 0; i < X.nRows; i++) {
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) out[i * X.nCols + X.indices[p]] = X.data[p];
  }
  return out;
}

/** Rows [start, end) of X. */
export function sliceRows(X: CsrMatrix, start: number, end: number): CsrMatrix {
  const base = X.indptr[start];
  return {
    nRows: end - start,
    nCols: X.nCols,
    indptr: X.indptr.slice(start, end + 1).map((p) => p - base),
    indices: X.indices.slice(base, X.indptr[end]),
    data: X.data.slice(base, X.indptr[end]),
  };
}
