import { describe, expect, it } from "vitest";
import { serialExecutor } from "../../../src/linalg/executor.js";
import { sumSquares, sumValues } from "../../../src/linalg/sparse.js";
import {
  buildTermLayout,
  layOutTerms,
  orderTermsByFrequency,
  permuteTermsTransposedInto,
  restoreTermOrder,
} from "../../../src/nmf/layout.js";
import { csrToDense, naiveTranspose, randomDense, randomSparse } from "../linalg/helpers.js";

const X = randomSparse(23, 31, 0.25, 9, [4], [0, 30]);

describe("orderTermsByFrequency", () => {
  it("sorts terms by decreasing document frequency, ties by increasing index", () => {
    const df = new Array(X.nCols).fill(0);
    for (let p = 0; p < X.indptr[X.nRows]; p++) df[X.indices[p]]++;
    const expected = Array.from({ length: X.nCols }, (_, j) => j).sort((a, b) => df[b] - df[a] || a - b);
    expect(Array.from(orderTermsByFrequency(X))).toEqual(expected);
  });
});

describe("buildTermLayout", () => {
  const order = orderTermsByFrequency(X);
  const layout = buildTermLayout(X, order, serialExecutor);
  const dense = csrToDense(X);

  it("X's columns are the caller's in termOrder, sorted per row; Xt is its transpose", () => {
    const renumbered = new Float64Array(X.nRows * X.nCols);
    for (let i = 0; i < X.nRows; i++) for (let c = 0; c < X.nCols; c++) renumbered[i * X.nCols + c] = dense[i * X.nCols + order[c]];
    expect(Array.from(csrToDense(layout.X))).toEqual(Array.from(renumbered));
    expect(Array.from(csrToDense(layout.Xt))).toEqual(Array.from(naiveTranspose(renumbered, X.nRows, X.nCols)));
    for (const M of [layout.X, layout.Xt]) {
      for (let i = 0; i < M.nRows; i++) {
        for (let p = M.indptr[i] + 1; p < M.indptr[i + 1]; p++) expect(M.indices[p]).toBeGreaterThan(M.indices[p - 1]);
      }
    }
  });

  it("permuteTermsTransposedInto and restoreTermOrder are inverse maps between H and the solver's Hᵀ", () => {
    const k = 4;
    const H = randomDense(k * X.nCols, 3);
    const Ht = new Float64Array(X.nCols * k);
    permuteTermsTransposedInto(H, order, k, Ht);
    for (let c = 0; c < X.nCols; c++) for (let t = 0; t < k; t++) expect(Ht[c * k + t]).toBe(H[t * X.nCols + order[c]]);
    expect(Array.from(restoreTermOrder(Ht, order, k))).toEqual(Array.from(H));
  });
});

describe("layOutTerms", () => {
  it("is orderTermsByFrequency then buildTermLayout, with X's sum and sum of squares in its storage order", () => {
    const order = orderTermsByFrequency(X);
    const expected = buildTermLayout(X, order, serialExecutor);
    const layout = layOutTerms(X, serialExecutor);
    expect(Array.from(layout.termOrder)).toEqual(Array.from(order));
    for (const key of ["indptr", "indices", "data"] as const) {
      expect(Array.from(layout.X[key])).toEqual(Array.from(expected.X[key]));
      expect(Array.from(layout.Xt[key])).toEqual(Array.from(expected.Xt[key]));
    }
    expect(layout.sum).toBe(sumValues(expected.X));
    expect(layout.sumSquares).toBe(sumSquares(expected.X));
  });
});

