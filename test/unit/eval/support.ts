/** Test helpers for the eval tests: closeness (numpy semantics), a seeded RNG, naive oracles. */
import { expect } from "vitest";
import type { CsrMatrix } from "../../../src/linalg/types.js";

/** Asserts `|actual - expected| <= atol + rtol * |expected|` (numpy `isclose`), with a useful message. */
export function expectClose(actual: number, expected: number, atol = 1e-9, rtol = 0, what = ""): void {
  const ok = Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
  if (!ok) expect.fail(`${what} ${actual} is not within ${atol} + ${rtol}*|e| of ${expected}`);
}

/** mulberry32: a small seeded PRNG in [0, 1), so the tests never depend on Math.random. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CSR from a dense row-major matrix, storing every entry for which `keep` is true (explicit zeros included). */
export function denseToCsr(
  dense: Float64Array,
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

/** CSR from the JSON of bench/sklearn_metrics_ref.py. */
export function csrFromJson(x: { nRows: number; nCols: number; indptr: number[]; indices: number[]; data: number[] }): CsrMatrix {
  return {
    nRows: x.nRows,
    nCols: x.nCols,
    indptr: Int32Array.from(x.indptr),
    indices: Int32Array.from(x.indices),
    data: Float64Array.from(x.data),
  };
}
