import { describe, expect, it } from "vitest";
import { transposeDense } from "../../../src/linalg/dense.js";
import {
  bothObjectivesTransposed,
  frobeniusObjective,
  frobeniusObjectiveTransposed,
  klObjective,
  klObjectiveTransposed,
  relativeError,
} from "../../../src/nmf/objective.js";
import { csrToDense, naiveMatMul, randomDense, randomSparse } from "../linalg/helpers.js";

/** Naive dense objectives, straight from the definitions of sklearn_ref.py. */
function naiveObjectives(Xd: Float64Array, WH: Float64Array): { fro: number; kl: number; rel: number } {
  let fro = 0;
  let kl = 0;
  let x2 = 0;
  for (let i = 0; i < Xd.length; i++) {
    const x = Xd[i];
    const y = WH[i];
    fro += (x - y) ** 2;
    x2 += x * x;
    kl += x === 0 ? y : x * Math.log(x / Math.max(y, 1e-12)) - x + y;
  }
  return { fro: 0.5 * fro, kl, rel: Math.sqrt(fro / x2) };
}

describe.each([
  [7, 11, 3, 0.4, 0],
  [20, 9, 5, 0.2, 0.5], // factors with zeros
  [5, 30, 1, 0.6, 0],
])("objectives on %i x %i, k = %i", (m, n, k, density, zeros) => {
  const X = randomSparse(m, n, density, m + n + k, [1], [0]);
  const Xd = csrToDense(X);
  const W = randomDense(m * k, 3, zeros);
  const H = randomDense(k * n, 4, zeros);
  const naive = naiveObjectives(Xd, naiveMatMul(W, H, m, k, n));

  it("frobeniusObjective = 0.5·||X - WH||²", () => {
    expect(frobeniusObjective(X, W, H, k)).toBeCloseTo(naive.fro, 10);
  });
  it("klObjective = generalized KL divergence", () => {
    expect(klObjective(X, W, H, k)).toBeCloseTo(naive.kl, 9);
  });
  it("relativeError = ||X - WH|| / ||X||", () => {
    expect(relativeError(X, W, H, k)).toBeCloseTo(naive.rel, 12);
  });
  it("both objectives from one pass are each one's own bits", () => {
    const Ht = transposeDense(H, k, n);
    expect(bothObjectivesTransposed(X, W, Ht, k)).toEqual({
      frobenius: frobeniusObjectiveTransposed(X, W, Ht, k),
      kl: klObjectiveTransposed(X, W, Ht, k),
    });
  });
});

describe("objective edge cases", () => {
  it("KL floors W·H at 1e-12 where X is non-zero and is 0 at an exact fit", () => {
    const X = randomSparse(4, 5, 1, 1);
    const W = new Float64Array(4); // k = 1, all zeros: WH = 0 everywhere
    const H = new Float64Array(5);
    let expected = 0;
    for (const x of X.data) expected += x * Math.log(x / 1e-12) - x;
    expect(klObjective(X, W, H, 1)).toBeCloseTo(expected, 8);
    // Exact rank-1 fit: X = w hᵀ
    const w = Float64Array.from([1, 2, 0.5]);
    const h = Float64Array.from([0.25, 4]);
    const Xd = naiveMatMul(w, h, 3, 1, 2);
    const Xe = { nRows: 3, nCols: 2, indptr: Int32Array.from([0, 2, 4, 6]), indices: Int32Array.from([0, 1, 0, 1, 0, 1]), data: Xd };
    expect(Math.abs(klObjective(Xe, w, h, 1))).toBeLessThan(1e-14);
    expect(Math.abs(frobeniusObjective(Xe, w, h, 1))).toBeLessThan(1e-14);
  });
});
