import { describe, expect, it } from "vitest";
import { gramInto, transposeDense } from "../../../src/linalg/dense.js";
import { csrTimesDenseInto } from "../../../src/linalg/sparse.js";
import { fitNmf } from "../../../src/nmf/factorize.js";
import { frobeniusObjective } from "../../../src/nmf/objective.js";
import { defaultNmfOptions } from "../../../src/nmf/params.js";
import { partitionRows } from "../../../src/linalg/executor.js";
import {
  fitCoordinateDescent,
  halsPartialsStride,
  BLOCK_TOPICS,
  halsSweepKernel,
  updateCoordinatesInPlace,
  type HalsSweepTask,
} from "../../../src/nmf/solvers/cd.js";
import { expectAllClose, randomDense, randomSparse } from "../linalg/helpers.js";
import { makeProblem, plantedProblem, startingFactors } from "./helpers.js";

/** scikit-learn's _update_cdnmf_fast, transcribed: topics outer, rows inner, dense gradient. */
function naiveCdSweep(A: Float64Array, G: Float64Array, B: Float64Array, n: number, k: number, l1: number): number {
  let violation = 0;
  for (let t = 0; t < k; t++) {
    for (let i = 0; i < n; i++) {
      let grad = -(B[i * k + t] - l1);
      for (let r = 0; r < k; r++) grad += G[t * k + r] * A[i * k + r];
      const pg = A[i * k + t] === 0 ? Math.min(0, grad) : grad;
      violation += Math.abs(pg);
      const hess = G[t * k + t];
      if (hess !== 0) A[i * k + t] = Math.max(A[i * k + t] - grad / hess, 0);
    }
  }
  return violation;
}

/**
 * One sweep of a random problem (n rows, k topics, a share `zeros` of zeros, an l2 term on G's
 * diagonal) by updateCoordinatesInPlace (A1, v1) and by the scikit-learn transcription (A2, v2).
 */
function sweepBothWays(n: number, k: number, zeros: number, l1: number) {
  const nCols = 15;
  const X = randomSparse(n, nCols, 0.4, n + k);
  const Ht = randomDense(nCols * k, 5, zeros);
  const G = new Float64Array(k * k);
  gramInto(Ht, nCols, k, G);
  for (let t = 0; t < k; t++) G[t * k + t] += 0.01;
  const B = new Float64Array(n * k);
  csrTimesDenseInto(X, Ht, k, B);
  const A1 = randomDense(n * k, 6, zeros);
  const A2 = A1.slice();
  const v1 = updateCoordinatesInPlace(A1, G, B, n, k, l1);
  const v2 = naiveCdSweep(A2, G, B, n, k, l1);
  return { A1, A2, v1, v2 };
}

describe("updateCoordinatesInPlace (one HALS sweep)", () => {
  it.each([
    [40, 24, 0, 0],
    [25, 32, 0.7, 0], // sparse rows: the non-zero-list path
    [30, 21, 0.4, 0.05], // with an l1 penalty
  ])("above BLOCK_TOPICS, row by row: equals scikit-learn's sweep up to rounding (incremental gradients) (n=%i, k=%i, zeros=%f, l1=%f)", (n, k, zeros, l1) => {
    expect(k).toBeGreaterThan(BLOCK_TOPICS);
    const { A1, A2, v1, v2 } = sweepBothWays(n, k, zeros, l1);
    // (a coordinate whose update lands within rounding of 0 may be clipped on one side only)
    expectAllClose(A1, A2, 1e-11, 1e-14);
    expect(v1).toBeCloseTo(v2, 10);
  });
});

describe("updateCoordinatesInPlace up to BLOCK_TOPICS topics (blocks of rows, topic by topic)", () => {
  it.each([
    [130, 5, 0.5, 0], // two full blocks and a partial one
    [70, 8, 0.2, 0.05],
    [66, 20, 0.6, 0],
    [9, 1, 0.3, 0],
  ])("is scikit-learn's sweep bit for bit (n=%i, k=%i, zeros=%f, l1=%f)", (n, k, zeros, l1) => {
    expect(k).toBeLessThanOrEqual(BLOCK_TOPICS);
    const { A1, A2, v1, v2 } = sweepBothWays(n, k, zeros, l1);
    expect(Array.from(A1)).toEqual(Array.from(A2));
    // The violation adds the same terms in blocks of BLOCK_ROWS rows.
    expect(v1).toBeCloseTo(v2, 10);
  });
});

describe("updateCoordinatesInPlace with a Gram output", () => {
  it("accumulates AᵀA of the updated rows with the same bits as gramInto", () => {
    const n = 50;
    const k = 9;
    const X = randomSparse(n, 20, 0.3, 12);
    const Ht = randomDense(20 * k, 13, 0.5);
    const G = new Float64Array(k * k);
    gramInto(Ht, 20, k, G);
    const B = new Float64Array(n * k);
    csrTimesDenseInto(X, Ht, k, B);
    const A = randomDense(n * k, 14, 0.5);
    const fused = new Float64Array(k * k).fill(Number.NaN);
    updateCoordinatesInPlace(A, G, B, n, k, 0, fused);
    const separate = new Float64Array(k * k);
    gramInto(A, n, k, separate);
    expect(Array.from(fused)).toEqual(Array.from(separate));
  });
});

describe("coordinate descent fit", () => {
  it("recovers a planted exact rank-k X = W·H (relative error < 1e-6)", () => {
    const { X } = plantedProblem(40, 25, 4, 11);
    const r = fitNmf(X, { ...defaultNmfOptions, nTopics: 4, tol: 1e-12, maxIter: 5000 });
    expect(r.solver).toBe("cd");
    expect(r.relativeError).toBeLessThan(1e-6);
    for (const v of r.W) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of r.H) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("stops at the first iteration with violation / violation(1) <= tol", () => {
    const X = randomSparse(30, 40, 0.2, 2);
    const iterations = [1e-2, 1e-3, 1e-4].map((tol) => {
      const { W, Ht } = startingFactors(30, 40, 5, 1);
      return fitCoordinateDescent(makeProblem(X, 5, { tol, maxIter: 5000 }), W, Ht);
    });
    for (const o of iterations) expect(o.converged).toBe(true);
    expect(iterations[0].iterations).toBeLessThan(iterations[1].iterations);
    expect(iterations[1].iterations).toBeLessThan(iterations[2].iterations);
    const { W, Ht } = startingFactors(30, 40, 5, 1);
    const capped = fitCoordinateDescent(makeProblem(X, 5, { tol: 1e-12, maxIter: 7 }), W, Ht);
    expect(capped).toMatchObject({ iterations: 7, converged: false });
    // The returned objective is that of the final factors.
    expect(capped.frobenius).toBeCloseTo(frobeniusObjective(X, W, transposeDense(Ht, 40, 5), 5), 10);
  });

  it("reports a non-increasing objective that equals frobeniusObjective", () => {
    const X = randomSparse(30, 40, 0.2, 3);
    const seen: number[] = [];
    const r = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, tol: 1e-6, onIteration: (i) => seen.push(i.objective as number) });
    expect(seen.length).toBe(r.iterations);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1] * (1 + 1e-12));
    expect(seen[seen.length - 1]).toBeCloseTo(r.objective, 9);
  });

  it("an l1 penalty on both factors zeroes entries, and a large one on W zeroes W", () => {
    const X = randomSparse(40, 30, 0.3, 4);
    const zerosOf = (a: Float64Array): number => a.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    const base = fitNmf(X, { ...defaultNmfOptions, nTopics: 5 });
    const l1 = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, alphaW: 0.01, alphaH: "same", l1Ratio: 1 });
    expect(zerosOf(l1.W) + zerosOf(l1.H)).toBeGreaterThan(zerosOf(base.W) + zerosOf(base.H) + 20);
    // With l1W = alphaW·nTerms larger than every entry of X·Hᵀ, the minimiser has W = 0.
    const huge = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, alphaW: 10, alphaH: 0, l1Ratio: 1 });
    expect(zerosOf(huge.W)).toBe(huge.W.length);
  });

  it("an l2 penalty shrinks the factors", () => {
    const X = randomSparse(40, 30, 0.3, 4);
    const norm = (a: Float64Array): number => Math.sqrt(a.reduce((s, v) => s + v * v, 0));
    const base = fitNmf(X, { ...defaultNmfOptions, nTopics: 3 });
    const l2 = fitNmf(X, { ...defaultNmfOptions, nTopics: 3, alphaW: 0.01, l1Ratio: 0 });
    expect(norm(l2.W) * norm(l2.H)).toBeLessThan(norm(base.W) * norm(base.H));
  });

  it("with H fixed (updateH = false) leaves H untouched and lowers the objective", () => {
    const { X } = plantedProblem(20, 15, 3, 5);
    const { W, Ht } = startingFactors(20, 15, 3, 2);
    const HtBefore = Ht.slice();
    const seen: number[] = [];
    fitCoordinateDescent(makeProblem(X, 3, { updateH: false, onIteration: (i) => seen.push(i.objective as number) }), W, Ht);
    expect(Array.from(Ht)).toEqual(Array.from(HtBefore));
    expect(seen[seen.length - 1]).toBeLessThan(seen[0]);
    expect(transposeDense(Ht, 15, 3).length).toBe(45);
  });
});

describe("halsSweepKernel (the chunked sweep the solver runs)", () => {
  it.each([
    [60, 7, 0.5, 0],
    [45, 12, 0.2, 0.03],
    [50, 26, 0.6, 0.01],
  ])("updates rows as the single-threaded sweep does, bit for bit; partials sum to its violation and Gram (n=%i, k=%i)", (n, k, zeros, l1) => {
    const nCols = 25;
    const X = randomSparse(n, nCols, 0.3, n + k, [3]);
    const Ht = randomDense(nCols * k, 7, zeros);
    const G = new Float64Array(k * k);
    gramInto(Ht, nCols, k, G);
    for (let t = 0; t < k; t++) G[t * k + t] += 0.02;
    const B = new Float64Array(n * k);
    csrTimesDenseInto(X, Ht, k, B);
    const A0 = randomDense(n * k, 8, zeros);
    const reference = A0.slice();
    const referenceGram = new Float64Array(k * k);
    const referenceViolation = updateCoordinatesInPlace(reference, G, B, n, k, l1, referenceGram);
    for (const gathered of [true, false]) {
      const bounds = partitionRows(X.indptr, n, k, 5);
      const task: HalsSweepTask = {
        M: X,
        other: Ht,
        B: gathered ? new Float64Array(0) : B,
        A: A0.slice(),
        G,
        k,
        l1,
        bounds,
        partials: new Float64Array(5 * halsPartialsStride(k)),
      };
      for (let c = 4; c >= 0; c--) halsSweepKernel.run(task, c, null); // any chunk order
      expect(Array.from(task.A)).toEqual(Array.from(reference));
      const stride = halsPartialsStride(k);
      let violation = 0;
      let cross = 0;
      for (let c = 0; c < 5; c++) {
        violation += task.partials[c * stride];
        cross += task.partials[c * stride + 1];
      }
      expect(violation).toBeCloseTo(referenceViolation, 10);
      let expectedCross = 0;
      for (let i = 0; i < n * k; i++) expectedCross += B[i] * reference[i];
      expect(cross).toBeCloseTo(expectedCross, 10);
      for (let t = 0; t < k; t++) {
        for (let s = t; s < k; s++) {
          let g = 0;
          for (let c = 0; c < 5; c++) g += task.partials[c * stride + 2 + t * k + s];
          expect(g).toBeCloseTo(referenceGram[t * k + s], 12);
        }
      }
    }
  });
});
