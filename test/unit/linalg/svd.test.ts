import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/linalg/random.js";
import { transposeCsr } from "../../../src/linalg/sparse.js";
import { flipSigns, orthonormalizeColumns, randomizedSvd, randomizedSvdColumns, svdSquare } from "../../../src/linalg/svd.js";
import { csrToDense, denseToCsr, expectAllClose, naiveMatMul, naiveTranspose, randomDense, randomSparse } from "./helpers.js";

function identity(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** Exact singular values of a dense matrix (ml-matrix as an independent oracle). */
function exactSingularValues(dense: Float64Array, m: number, n: number): number[] {
  const rows = Array.from({ length: m }, (_, i) => Array.from(dense.subarray(i * n, (i + 1) * n)));
  const svd = new SingularValueDecomposition(new Matrix(rows), { autoTranspose: true });
  return svd.diagonal;
}

describe("orthonormalizeColumns", () => {
  it("returns Q with orthonormal columns and upper triangular R with QR = A", () => {
    const m = 200;
    const n = 8;
    const A = randomDense(m * n, 1);
    const { Q, R } = orthonormalizeColumns(A, m, n);
    expectAllClose(naiveMatMul(naiveTranspose(Q, m, n), Q, n, m, n), identity(n), 0, 1e-13);
    expectAllClose(naiveMatMul(Q, R, m, n, n), A, 1e-12, 1e-13);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(R[i * n + j]).toBe(0);
  });

  it("falls back to Householder for a rank-deficient A and still returns orthonormal Q", () => {
    const m = 30;
    const n = 4;
    const A = randomDense(m * n, 2);
    for (let i = 0; i < m; i++) A[i * n + 3] = A[i * n + 1]; // duplicate column
    const { Q, R } = orthonormalizeColumns(A, m, n);
    expectAllClose(naiveMatMul(naiveTranspose(Q, m, n), Q, n, m, n), identity(n), 0, 1e-12);
    expectAllClose(naiveMatMul(Q, R, m, n, n), A, 1e-12, 1e-12);
  });

  it("with one pass in place writes the same Q over A (and leaves a rank-deficient A to Householder)", () => {
    const A = randomDense(60 * 4, 5);
    const expected = orthonormalizeColumns(A, 60, 4, 1);
    const B = A.slice();
    const inPlace = orthonormalizeColumns(B, 60, 4, 1, undefined, { inPlace: true });
    expect(inPlace.Q).toBe(B);
    expect(Array.from(inPlace.Q)).toEqual(Array.from(expected.Q));
    expect(Array.from(inPlace.R)).toEqual(Array.from(expected.R));
    for (let i = 0; i < 60; i++) A[i * 4 + 3] = A[i * 4 + 1]; // duplicate column
    const C = A.slice();
    const deficient = orthonormalizeColumns(C, 60, 4, 1, undefined, { inPlace: true });
    expect(Array.from(C)).toEqual(Array.from(A));
    expect(Array.from(deficient.Q)).toEqual(Array.from(orthonormalizeColumns(A, 60, 4, 1).Q));
  });

  it("with one pass (CholeskyQR) is orthonormal for a well-conditioned A", () => {
    const A = randomDense(100 * 5, 3);
    const { Q } = orthonormalizeColumns(A, 100, 5, 1);
    expectAllClose(naiveMatMul(naiveTranspose(Q, 100, 5), Q, 5, 100, 5), identity(5), 0, 1e-10);
  });
});

describe("svdSquare", () => {
  it("is ml-matrix's SVD: A = U·diag(s)·Vᵀ, s non-increasing, U and V orthogonal", () => {
    const n = 6;
    const A = randomDense(n * n, 4);
    const { U, s, V } = svdSquare(A, n);
    const rows = Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)));
    const reference = new SingularValueDecomposition(new Matrix(rows));
    expect(Array.from(s)).toEqual(reference.diagonal);
    for (let j = 1; j < n; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]);
    expectAllClose(naiveMatMul(naiveTranspose(U, n, n), U, n, n, n), identity(n), 0, 1e-13);
    expectAllClose(naiveMatMul(naiveTranspose(V, n, n), V, n, n, n), identity(n), 0, 1e-13);
    const US = U.map((u, i) => u * s[i % n]);
    expectAllClose(naiveMatMul(US, naiveTranspose(V, n, n), n, n, n), A, 1e-12, 1e-13);
  });
});

describe("randomizedSvd", () => {
  it.each([
    [12, 30, 4], // wide: transposed like scikit-learn
    [40, 9, 3], // tall
    [15, 15, 15], // k = min(shape)
  ])("matches the exact SVD of a small %i x %i matrix for k = %i", (m, n, k) => {
    const X = randomSparse(m, n, 0.6, m * n, [1], [2]);
    const Xd = csrToDense(X);
    const { U, s, Vt } = randomizedSvd(X, transposeCsr(X), k, createRng(0));
    expectAllClose(s, exactSingularValues(Xd, m, n).slice(0, k), 1e-10, 1e-12);
    // Orthonormal columns of U, rows of Vt; X v_j = s_j u_j.
    expectAllClose(naiveMatMul(naiveTranspose(U, m, k), U, k, m, k), identity(k), 0, 1e-10);
    expectAllClose(naiveMatMul(Vt, naiveTranspose(Vt, k, n), k, n, k), identity(k), 0, 1e-10);
    const XV = naiveMatMul(Xd, naiveTranspose(Vt, k, n), m, n, k);
    const US = U.map((u, idx) => u * s[idx % k]);
    expectAllClose(XV, US, 1e-9, 1e-10);
    // svd_flip: the entry of largest magnitude of each column of U is positive.
    for (let j = 0; j < k; j++) {
      let best = 0;
      for (let i = 1; i < m; i++) if (Math.abs(U[i * k + j]) > Math.abs(U[best * k + j])) best = i;
      expect(U[best * k + j]).toBeGreaterThan(0);
    }
  });

  it("recovers the leading triplets of an exactly low-rank larger matrix", () => {
    const m = 120;
    const n = 90;
    const A = randomDense(m * 5, 7);
    const B = randomDense(5 * n, 8);
    const Xd = naiveMatMul(A, B, m, 5, n);
    const X = denseToCsr(Xd, m, n);
    const { s } = randomizedSvd(X, transposeCsr(X), 3, createRng(3));
    expectAllClose(s, exactSingularValues(Xd, m, n).slice(0, 3), 1e-11, 0);
  });

  it("is deterministic for a seed", () => {
    const X = randomSparse(25, 40, 0.3, 11);
    const Xt = transposeCsr(X);
    const a = randomizedSvd(X, Xt, 5, createRng(9));
    const b = randomizedSvd(X, Xt, 5, createRng(9));
    expect(Array.from(a.U)).toEqual(Array.from(b.U));
    expect(Array.from(a.Vt)).toEqual(Array.from(b.Vt));
  });

  it("randomizedSvdColumns gives the same triplets with V = Vtᵀ, and svd_flip picks the first of tied magnitudes", () => {
    const X = randomSparse(20, 33, 0.4, 12, [4], [5]);
    const Xt = transposeCsr(X);
    const a = randomizedSvd(X, Xt, 4, createRng(2));
    const b = randomizedSvdColumns(X, Xt, 4, createRng(2));
    expect(Array.from(b.U)).toEqual(Array.from(a.U));
    expect(Array.from(b.s)).toEqual(Array.from(a.s));
    expect(Array.from(naiveTranspose(b.V, 33, 4))).toEqual(Array.from(a.Vt));
    // Column 0 of U: -2 (row 1) ties 2 (row 3) in magnitude: row 1 comes first, so the column is negated.
    const U = Float64Array.of(1, 5, -2, 0, 0, 1, 2, -7);
    const V = Float64Array.of(3, 4, -1, 2);
    flipSigns(U, V, 4, 2, 2);
    expect(Array.from(U)).toEqual([-1, -5, 2, -0, -0, -1, -2, 7]);
    expect(Array.from(V)).toEqual([-3, -4, 1, -2]);
  });

  it("rejects k outside 1..min(shape)", () => {
    const X = randomSparse(5, 8, 0.5, 1);
    expect(() => randomizedSvd(X, transposeCsr(X), 6, createRng(0))).toThrow(RangeError);
  });
});
