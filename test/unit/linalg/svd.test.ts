import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { describe, expect, it } from "vitest";
import { createRng } from "../../../src/linalg/random.js";
import { transposeCsr } from "../../../src/linalg/sparse.js";
import { orthonormalizeColumns, randomizedSvd } from "../../../src/linalg/svd.js";
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

  it("with one pass (CholeskyQR) is orthonormal for a well-conditioned A", () => {
    const A = randomDense(100 * 5, 3);
    const { Q } = orthonormalizeColumns(A, 100, 5, 1);
    expectAllClose(naiveMatMul(naiveTranspose(Q, 100, 5), Q, 5, 100, 5), identity(5), 0, 1e-10);
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

  it("rejects k outside 1..min(shape)", () => {
    const X = randomSparse(5, 8, 0.5, 1);
    expect(() => randomizedSvd(X, transposeCsr(X), 6, createRng(0))).toThrow(RangeError);
  });
});
