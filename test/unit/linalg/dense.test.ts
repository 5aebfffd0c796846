import { describe, expect, it } from "vitest";
import { columnSumsInto, findNonFinite, gramInto, transposeDense } from "../../../src/linalg/dense.js";
import { expectAllClose, naiveMatMul, naiveTranspose, randomDense } from "./helpers.js";

describe("gramInto", () => {
  it.each([
    [50, 7, 0],
    [40, 20, 0.85], // mostly-sparse rows (the list path)
    [33, 12, 0.3], // mixed rows
    [5, 1, 0.5],
  ])("equals AᵀA for %i x %i with %f zeros", (n, k, zeros) => {
    const A = randomDense(n * k, n + k, zeros);
    const out = new Float64Array(k * k).fill(Number.NaN);
    gramInto(A, n, k, out);
    expectAllClose(out, naiveMatMul(naiveTranspose(A, n, k), A, k, n, k), 1e-14, 1e-15);
    for (let t = 0; t < k; t++) for (let s = 0; s < k; s++) expect(out[t * k + s]).toBe(out[s * k + t]);
  });

  it("gives the same bits whichever path a row takes (skipping zeros changes nothing)", () => {
    const n = 60;
    const k = 10;
    const A = randomDense(n * k, 9, 0.5);
    const out = new Float64Array(k * k);
    gramInto(A, n, k, out);
    // Sequential reference: every product, zeros included, rows in order.
    const ref = new Float64Array(k * k);
    for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) for (let s = t; s < k; s++) ref[t * k + s] += A[i * k + t] * A[i * k + s];
    for (let t = 0; t < k; t++) for (let s = t; s < k; s++) expect(out[t * k + s]).toBe(ref[t * k + s]);
  });
});

describe("small dense helpers", () => {
  it("transposeDense and columnSumsInto", () => {
    const A = randomDense(6 * 4, 3);
    expect(Array.from(transposeDense(A, 6, 4))).toEqual(Array.from(naiveTranspose(A, 6, 4)));
    const sums = new Float64Array(4);
    columnSumsInto(A, 6, 4, sums);
    for (let t = 0; t < 4; t++) {
      let s = 0;
      for (let i = 0; i < 6; i++) s += A[i * 4 + t];
      expect(sums[t]).toBe(s);
    }
  });

  it("findNonFinite finds NaN and infinities only", () => {
    expect(findNonFinite(Float64Array.from([0, 1e308, -1e-320]))).toBe(-1);
    expect(findNonFinite(Float64Array.from([0, 1, Number.NaN]))).toBe(2);
    expect(findNonFinite(Float64Array.from([-Infinity, 1]))).toBe(0);
  });
});
