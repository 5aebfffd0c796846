import { describe, expect, it } from "vitest";
import {
  csrTimesDenseInto,
  csrTimesDenseRowsInto,
  csrTimesDenseTransposeInto,
  denseTransposeTimesCsrInto,
  productAtNonzerosInto,
  sumSquares,
  sumValues,
  transposeCsr,
  transposeCsrWithPositions,
} from "../../../src/linalg/sparse.js";
import { csrToDense, expectAllClose, naiveMatMul, naiveTranspose, randomDense, randomSparse } from "./helpers.js";

// Shapes with empty rows and columns, k values exercising the 8- and 4-wide blocks and the
// 1-, 2- and 3-wide tails.
const cases = [
  { nRows: 9, nCols: 13, density: 0.3, seed: 1, emptyRows: [0, 4], emptyCols: [2, 12], k: 3 },
  { nRows: 17, nCols: 6, density: 0.5, seed: 2, emptyRows: [16], emptyCols: [0], k: 13 },
  { nRows: 30, nCols: 41, density: 0.1, seed: 3, emptyRows: [1, 2, 3], emptyCols: [40], k: 20 },
  { nRows: 1, nCols: 5, density: 1, seed: 4, emptyRows: [], emptyCols: [], k: 8 },
  { nRows: 12, nCols: 9, density: 0.4, seed: 5, emptyRows: [11], emptyCols: [], k: 14 },
  { nRows: 7, nCols: 16, density: 0.3, seed: 6, emptyRows: [], emptyCols: [3], k: 15 },
];

describe.each(cases)("sparse kernels on $nRows x $nCols, k = $k", ({ nRows, nCols, density, seed, emptyRows, emptyCols, k }) => {
  const X = randomSparse(nRows, nCols, density, seed, emptyRows, emptyCols);
  const Xd = csrToDense(X);
  const Xt = transposeCsr(X);

  it("has the intended empty rows and columns", () => {
    for (const r of emptyRows) expect(X.indptr[r + 1] - X.indptr[r]).toBe(0);
    for (const c of emptyCols) for (let i = 0; i < nRows; i++) expect(Xd[i * nCols + c]).toBe(0);
  });

  it("transposeCsr equals the dense transpose, rows sorted, positions map back", () => {
    const { transposed, sourcePositions } = transposeCsrWithPositions(X);
    expect(transposed.nRows).toBe(nCols);
    expect(transposed.nCols).toBe(nRows);
    expect(Array.from(csrToDense(transposed))).toEqual(Array.from(naiveTranspose(Xd, nRows, nCols)));
    for (let j = 0; j < nCols; j++) {
      for (let q = transposed.indptr[j] + 1; q < transposed.indptr[j + 1]; q++) {
        expect(transposed.indices[q]).toBeGreaterThan(transposed.indices[q - 1]);
      }
    }
    for (let q = 0; q < sourcePositions.length; q++) expect(transposed.data[q]).toBe(X.data[sourcePositions[q]]);
  });

  it("csrTimesDenseInto equals the dense product (X·B)", () => {
    const B = randomDense(nCols * k, seed + 10, 0.3);
    const out = new Float64Array(nRows * k).fill(Number.NaN); // must be overwritten
    csrTimesDenseInto(X, B, k, out);
    expectAllClose(out, naiveMatMul(Xd, B, nRows, nCols, k), 1e-14, 1e-15);
  });

  it("csrTimesDenseInto(Xᵀ, ·) gives Xᵀ·B; any split of the rows gives the same bits", () => {
    const B = randomDense(nRows * k, seed + 11, 0.3);
    const whole = new Float64Array(nCols * k);
    csrTimesDenseInto(Xt, B, k, whole);
    expectAllClose(whole, naiveMatMul(naiveTranspose(Xd, nRows, nCols), B, nCols, nRows, k), 1e-14, 1e-15);
    const pieces = new Float64Array(nCols * k).fill(Number.NaN);
    const cut = Math.floor(nCols / 3);
    csrTimesDenseRowsInto(Xt, B, k, pieces, cut, nCols);
    csrTimesDenseRowsInto(Xt, B, k, pieces, 0, cut);
    expect(Array.from(pieces)).toEqual(Array.from(whole));
  });

  it("csrTimesDenseTransposeInto equals X·Hᵀ for H k x nCols", () => {
    const H = randomDense(k * nCols, seed + 12, 0.2);
    const out = new Float64Array(nRows * k);
    csrTimesDenseTransposeInto(X, H, k, out);
    expectAllClose(out, naiveMatMul(Xd, naiveTranspose(H, k, nCols), nRows, nCols, k), 1e-14, 1e-15);
  });

  it("denseTransposeTimesCsrInto equals Wᵀ·X (k x nCols)", () => {
    const W = randomDense(nRows * k, seed + 13, 0.2);
    const out = new Float64Array(k * nCols).fill(Number.NaN);
    denseTransposeTimesCsrInto(W, Xt, k, out);
    expectAllClose(out, naiveMatMul(naiveTranspose(W, nRows, k), Xd, k, nRows, nCols), 1e-14, 1e-15);
  });

  it("productAtNonzerosInto equals (W·H) at the stored entries", () => {
    const W = randomDense(nRows * k, seed + 14, 0.2);
    const H = randomDense(k * nCols, seed + 15, 0.2);
    const WH = naiveMatMul(W, H, nRows, k, nCols);
    const out = new Float64Array(X.data.length);
    productAtNonzerosInto(X, W, naiveTranspose(H, k, nCols), k, out);
    const expected = new Float64Array(X.data.length);
    for (let i = 0; i < nRows; i++) {
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) expected[p] = WH[i * nCols + X.indices[p]];
    }
    expectAllClose(out, expected, 1e-14, 1e-15);
  });

  it("sums of values and squares", () => {
    let s = 0;
    let s2 = 0;
    for (const v of Xd) {
      s += v;
      s2 += v * v;
    }
    expect(sumValues(X)).toBeCloseTo(s, 12);
    expect(sumSquares(X)).toBeCloseTo(s2, 12);
  });
});
