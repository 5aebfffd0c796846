/** Projected ALS (`--solver als`): against a naive dense ALS, planted rank k, options, transform. */
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { transposeDense } from "../../../src/linalg/dense.js";
import { fitNmf } from "../../../src/nmf/factorize.js";
import { frobeniusObjective } from "../../../src/nmf/objective.js";
import { resolveNmfOptions, type NmfOptions } from "../../../src/nmf/params.js";
import { choleskyInPlace, fitAlternatingLeastSquares, solveProjectedRowsInto } from "../../../src/nmf/solvers/als.js";
import { csrToDense, expectAllClose, naiveMatMul, naiveTranspose, randomDense, randomSparse, naiveSolve } from "../linalg/helpers.js";
import { makeProblem, plantedProblem, startingFactors } from "./helpers.js";


/** A <- max(0, B · (G + λI)⁻¹) row by row, naive; B n x k, G k x k. */
function naiveStep(B: Float64Array, G: Float64Array, n: number, k: number, l2: number): Float64Array {
  const R = Float64Array.from(G);
  let trace = 0;
  for (let t = 0; t < k; t++) trace += G[t * k + t];
  for (let t = 0; t < k; t++) R[t * k + t] += l2 + (1e-10 * trace) / k;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const x = naiveSolve(R, B.subarray(i * k, (i + 1) * k), k);
    for (let t = 0; t < k; t++) out[i * k + t] = Math.max(0, x[t]);
  }
  return out;
}

const base: NmfOptions = { nTopics: 3, loss: "frobenius", solver: "als", init: "nndsvda", maxIter: 200, tol: 1e-4, seed: 0, alphaW: 0, alphaH: "same", l1Ratio: 0 };

describe("choleskyInPlace + solveProjectedRowsInto", () => {
  it("solves SPD systems like Gaussian elimination, then projects", () => {
    const k = 5;
    const A = randomDense(9 * k, 3);
    const G = naiveMatMul(naiveTranspose(A, 9, k), A, k, 9, k);
    const B = randomDense(4 * k, 4).map((v) => v - 0.5);
    const L = Float64Array.from(G);
    choleskyInPlace(L, k);
    const out = new Float64Array(4 * k);
    solveProjectedRowsInto(L, B, 4, k, out);
    for (let i = 0; i < 4; i++) {
      const x = naiveSolve(G, B.subarray(i * k, (i + 1) * k), k).map((v) => Math.max(0, v));
      expectAllClose(out.subarray(i * k, (i + 1) * k), Float64Array.from(x), 1e-10, 1e-12);
    }
    expect(Array.from(out).some((v) => v === 0)).toBe(true); // the projection did act
  });

  it("gives 0 for a singular direction (an all-zero topic) instead of NaN", () => {
    const G = Float64Array.from([4, 0, 0, 0]);
    choleskyInPlace(G, 2);
    const out = new Float64Array(2);
    solveProjectedRowsInto(G, Float64Array.from([8, 0]), 1, 2, out);
    expect(Array.from(out)).toEqual([2, 0]);
  });
});

describe("fitAlternatingLeastSquares", () => {
  it("equals a naive dense ALS iterate by iterate (with and without an L2 ridge)", () => {
    for (const [n, m, k, alpha] of [[12, 9, 3, 0], [20, 15, 4, 0.01]] as const) {
      const X = randomSparse(n, m, 0.4, n + k);
      const dense = csrToDense(X);
      const { W: W0, Ht: Ht0 } = startingFactors(n, m, k, 5);
      for (const iters of [1, 2, 5]) {
        const problem = makeProblem(X, k, { maxIter: iters, tol: 0, alphaW: alpha });
        const W = Float64Array.from(W0);
        const Ht = Float64Array.from(Ht0);
        const out = fitAlternatingLeastSquares(problem, W, Ht);
        expect(out.iterations).toBe(iters);
        let w = Float64Array.from(W0);
        let h = naiveTranspose(Ht0, m, k); // k x m
        for (let it = 0; it < iters; it++) {
          const ht = naiveTranspose(h, k, m);
          w = naiveStep(naiveMatMul(dense, ht, n, m, k), naiveMatMul(h, ht, k, m, k), n, k, problem.reg.l2W);
          const wt = naiveTranspose(w, n, k);
          const htNew = naiveStep(naiveMatMul(naiveTranspose(dense, n, m), w, m, n, k), naiveMatMul(wt, w, k, n, k), m, k, problem.reg.l2H);
          h = naiveTranspose(htNew, m, k);
        }
        expectAllClose(W, w, 1e-10, 1e-12);
        expectAllClose(Ht, naiveTranspose(h, k, m), 1e-10, 1e-12);
        expect(out.frobenius).toBeCloseTo(frobeniusObjective(X, W, naiveTranspose(Ht, m, k), k), 9);
      }
    }
  });

  it("reaches a relative error < 1e-6 on a planted rank-k matrix", () => {
    const { X } = plantedProblem(40, 30, 4, 21);
    const r = fitNmf(X, { ...base, nTopics: 4, maxIter: 2000, tol: 1e-14 });
    expect(r.solver).toBe("als");
    expect(r.relativeError).toBeLessThan(1e-6);
  });

  it("stops by its rule (|Δf| < tol·f) and reports the objective every iteration", () => {
    const X = randomSparse(30, 20, 0.3, 8);
    const seen: number[] = [];
    const r = fitNmf(X, { ...base, onIteration: (info) => seen.push(info.objective as number) });
    expect(r.converged).toBe(true);
    expect(seen.length).toBe(r.iterations);
    const last = seen[seen.length - 1];
    const prev = seen[seen.length - 2];
    expect(Math.abs(prev - last)).toBeLessThan(1e-4 * prev);
    for (let i = 1; i < seen.length - 1; i++) expect(Math.abs(seen[i - 1] - seen[i])).toBeGreaterThanOrEqual(1e-4 * seen[i - 1]);
    expect(r.objective).toBeCloseTo(last, 10);
  });

  it("with H fixed (transform) solves W once per iteration by least squares", () => {
    const X = randomSparse(15, 10, 0.4, 2);
    const k = 3;
    const { W, Ht } = startingFactors(15, 10, k, 3);
    const HtCopy = Float64Array.from(Ht);
    fitAlternatingLeastSquares(makeProblem(X, k, { maxIter: 3, tol: 0, updateH: false }), W, Ht);
    expect(Array.from(Ht)).toEqual(Array.from(HtCopy));
    const H = transposeDense(Ht, 10, k);
    const want = naiveStep(naiveMatMul(csrToDense(X), Ht, 15, 10, k), naiveMatMul(H, Ht, k, 10, k), 15, k, 0);
    expectAllClose(W, want, 1e-10, 1e-12);
  });
});

describe("als options", () => {
  it("rejects kl and L1 penalties with a UsageError naming the flag", () => {
    expect(() => resolveNmfOptions({ ...base, loss: "kl" })).toThrow(UsageError);
    expect(() => resolveNmfOptions({ ...base, alphaW: 0.1, l1Ratio: 0.5 })).toThrow(/--l1-ratio/);
    expect(resolveNmfOptions({ ...base, alphaW: 0.1, l1Ratio: 0 }).solver).toBe("als");
    expect(resolveNmfOptions({ ...base, alphaW: 0, l1Ratio: 0.5 }).solver).toBe("als");
    expect(resolveNmfOptions({ ...base, init: "kmeans" }).init).toBe("kmeans");
  });
});
