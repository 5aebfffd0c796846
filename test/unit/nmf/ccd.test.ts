import { describe, expect, it } from "vitest";
import { fitNmf } from "../../../src/nmf/factorize.js";
import { klObjective } from "../../../src/nmf/objective.js";
import { defaultNmfOptions } from "../../../src/nmf/params.js";
import { chooseDenseOther, DENSE_SHARE, fitCyclicCoordinateDescent } from "../../../src/nmf/solvers/ccd.js";
import { compressRowsInto, type CompressedFactor } from "../../../src/nmf/solvers/lists.js";
import { denseToCsr, randomSparse } from "../linalg/helpers.js";
import { makeProblem, plantedProblem } from "./helpers.js";

describe("KL by cyclic coordinate descent (ccd)", () => {
  it.each([
    [30, 45, 4, 1],
    [60, 25, 6, 2],
  ])("reaches a KL objective <= multiplicative updates' on %i x %i, k = %i, in fewer iterations", (m, n, k, seed) => {
    // ccd checks its rule every iteration, mu every 10: on small problems ccd at tol 1e-6 stops
    // about where mu stops at 1e-4 (at the default tol ccd stops earlier, within ~0.1 %).
    const X = randomSparse(m, n, 0.2, seed, [0], [1]);
    const ccd = fitNmf(X, { ...defaultNmfOptions, nTopics: k, loss: "kl", tol: 1e-6 });
    const mu = fitNmf(X, { ...defaultNmfOptions, nTopics: k, loss: "kl", solver: "mu" });
    expect(ccd.solver).toBe("ccd");
    expect(mu.solver).toBe("mu");
    expect(ccd.objective).toBeLessThanOrEqual(mu.objective);
    expect(ccd.iterations).toBeLessThan(mu.iterations);
    expect(ccd.objective).toBeCloseTo(klObjective(X, ccd.W, ccd.H, k), 8);
  });

  it("beats multiplicative updates on most of 30 random problems (both can stop in different local minima)", () => {
    let wins = 0;
    let sumCcd = 0;
    let sumMu = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const m = 10 + ((seed * 7) % 50);
      const n = 15 + ((seed * 13) % 70);
      const k = 2 + (seed % 6);
      const X = randomSparse(m, n, 0.2, seed, [0], [1]);
      const ccd = fitNmf(X, { ...defaultNmfOptions, nTopics: k, loss: "kl", tol: 1e-6, maxIter: 1000 });
      const mu = fitNmf(X, { ...defaultNmfOptions, nTopics: k, loss: "kl", solver: "mu" });
      if (ccd.objective <= mu.objective) wins++;
      sumCcd += ccd.objective;
      sumMu += mu.objective;
    }
    expect(wins).toBeGreaterThanOrEqual(25); // measured: 27 of 30
    expect(sumCcd).toBeLessThan(sumMu);
  });

  it("lowers the objective every iteration and reports it", () => {
    const X = randomSparse(40, 50, 0.15, 4);
    const seen: number[] = [];
    const r = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, loss: "kl", tol: 1e-7, onIteration: (i) => seen.push(i.objective as number) });
    expect(seen.length).toBe(r.iterations);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeLessThanOrEqual(seen[i - 1] * (1 + 1e-12));
    expect(seen[seen.length - 1]).toBeCloseTo(r.objective, 8);
  });

  it("stops when (F_prev - F) / F_init < tol", () => {
    const X = randomSparse(40, 50, 0.15, 5);
    const seen: number[] = [];
    const tol = 1e-3;
    const problem = makeProblem(X, 5, { tol, onIteration: (i) => seen.push(i.objective as number) });
    const W = new Float64Array(40 * 5).fill(0.3);
    const Ht = new Float64Array(50 * 5).map((_, i) => 0.1 + ((i * 37) % 11) / 20);
    const initial = klObjective(X, W, Float64Array.from({ length: 5 * 50 }, (_, i) => Ht[(i % 50) * 5 + Math.floor(i / 50)]), 5);
    const outcome = fitCyclicCoordinateDescent(problem, W, Ht);
    expect(outcome.converged).toBe(true);
    const prev = (i: number): number => (i === 0 ? initial : seen[i - 1]);
    for (let i = 0; i < seen.length - 1; i++) expect((prev(i) - seen[i]) / initial).toBeGreaterThanOrEqual(tol);
    expect((prev(seen.length - 1) - seen[seen.length - 1]) / initial).toBeLessThan(tol);
  });

  it("fits a planted exact X = W·H to a tiny KL divergence", () => {
    const { X } = plantedProblem(30, 20, 3, 21);
    const r = fitNmf(X, { ...defaultNmfOptions, nTopics: 3, loss: "kl", tol: 1e-14, maxIter: 3000 });
    let xSum = 0;
    for (const v of X.data) xSum += v;
    expect(r.objective / xSum).toBeLessThan(1e-7);
    for (const v of r.W) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of r.H) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("never zeroes the only contribution to a non-zero of X: halves it instead", () => {
    // One entry, one topic: f(w) = -ln(w·h) + w·h with h = 1; Newton from w = 10 overshoots past 0.
    const X = denseToCsr([1], 1, 1);
    const W = Float64Array.from([10]);
    const Ht = Float64Array.from([1]);
    const seen: number[] = [];
    fitCyclicCoordinateDescent(makeProblem(X, 1, { updateH: false, maxIter: 1, tol: 0, onIteration: (i) => seen.push(i.objective as number) }), W, Ht);
    expect(W[0]).toBe(5);
    fitCyclicCoordinateDescent(makeProblem(X, 1, { updateH: false, maxIter: 100, tol: 1e-15 }), W, Ht);
    expect(W[0]).toBeCloseTo(1, 12); // the minimiser x / h
    expect(Number.isFinite(seen[0])).toBe(true);
  });

  it("an l1 penalty zeroes entries", () => {
    const X = randomSparse(40, 30, 0.3, 6);
    const zerosOf = (a: Float64Array): number => a.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    const base = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, loss: "kl" });
    const l1 = fitNmf(X, { ...defaultNmfOptions, nTopics: 5, loss: "kl", alphaW: 0.2, l1Ratio: 1 });
    expect(zerosOf(l1.W) + zerosOf(l1.H)).toBeGreaterThan(zerosOf(base.W) + zerosOf(base.H) + 20);
  });
});

describe("chooseDenseOther", () => {
  /** Lists of a 3 x 4 factor whose rows have 4, 2 and 0 non-zeros. */
  function lists(): { A: Float64Array; list: CompressedFactor } {
    const A = Float64Array.of(1, 2, 3, 4, 0, 5, 0, 6, 0, 0, 0, 0);
    const list: CompressedFactor = {
      start: new Int32Array(3),
      end: new Int32Array(3),
      topics: new Int32Array(12),
      values: new Float64Array(12),
    };
    compressRowsInto(A, 4, 0, 3, list, 0);
    return { A, list };
  }

  it("weighs each row of the other factor by the entries that pair with it", () => {
    const { A, list } = lists();
    expect(DENSE_SHARE).toBe(0.5);
    // Rows 0, 1, 2 paired with 1, 1, 2 entries: (4 + 2 + 0) / (4 · 4) = 0.375 of the pairs.
    expect(chooseDenseOther(Int32Array.of(0, 1, 2, 4), list, 4, A)).toBeNull();
    // With 3, 1, 0 entries: (12 + 2) / 16 = 0.875.
    expect(chooseDenseOther(Int32Array.of(0, 3, 4, 4), list, 4, A)).toBe(A);
    // Exactly half: (4 + 2·2) / (4 · 4) = 0.5 reads dense.
    expect(chooseDenseOther(Int32Array.of(0, 1, 3, 4), list, 4, A)).toBe(A);
    // No entries at all: the lists.
    expect(chooseDenseOther(Int32Array.of(0, 0, 0, 0), list, 4, A)).toBeNull();
  });
});
