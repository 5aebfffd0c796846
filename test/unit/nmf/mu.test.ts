import { describe, expect, it } from "vitest";
import { transposeDense } from "../../../src/linalg/dense.js";
import { frobeniusObjective, klObjective } from "../../../src/nmf/objective.js";
import { fitMultiplicativeUpdate } from "../../../src/nmf/solvers/mu.js";
import { randomSparse } from "../linalg/helpers.js";
import { makeProblem, startingFactors } from "./helpers.js";

/** Objective plus scikit-learn-scaled penalties for the W (nDocs x k) and Ht (nTerms x k) given. */
function penalised(
  loss: "frobenius" | "kl",
  X: ReturnType<typeof randomSparse>,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  reg: { l1W: number; l1H: number; l2W: number; l2H: number },
): number {
  const H = transposeDense(Ht, X.nCols, k);
  const f = loss === "frobenius" ? frobeniusObjective(X, W, H, k) : klObjective(X, W, H, k);
  const pen = (A: Float64Array, l1: number, l2: number): number => A.reduce((s, v) => s + l1 * v + 0.5 * l2 * v * v, 0);
  return f + pen(W, reg.l1W, reg.l2W) + pen(Ht, reg.l1H, reg.l2H);
}

describe.each([
  ["frobenius", 0, 0],
  ["kl", 0, 0],
  ["frobenius", 0.001, 0.5],
  ["kl", 0.0005, 0.5],
] as const)("multiplicative updates, %s loss, alpha %f, l1Ratio %f", (loss, alpha, l1Ratio) => {
  const X = randomSparse(25, 35, 0.25, 8, [3], [5, 6]);
  const k = 4;

  it("never raise the (penalised) objective, iteration after iteration", () => {
    const { W, Ht } = startingFactors(25, 35, k, 3);
    const problem = makeProblem(X, k, { maxIter: 1, tol: 0, alphaW: alpha, l1Ratio });
    let previous = penalised(loss, X, W, Ht, k, problem.reg);
    const first = previous;
    for (let it = 0; it < 60; it++) {
      fitMultiplicativeUpdate(problem, loss, W, Ht); // one iteration, continuing from W, Ht
      const current = penalised(loss, X, W, Ht, k, problem.reg);
      expect(current).toBeLessThanOrEqual(previous * (1 + 1e-12));
      previous = current;
    }
    expect(previous).toBeLessThan(first * 0.95);
    for (const v of W) expect(v).toBeGreaterThanOrEqual(0);
    for (const v of Ht) expect(v).toBeGreaterThanOrEqual(0);
  });

  it("check convergence every 10 iterations: (e_prev - e) / e_init < tol with e = sqrt(2·objective)", () => {
    const { W, Ht } = startingFactors(25, 35, k, 3);
    const reported: Array<number | null> = [];
    const outcome = fitMultiplicativeUpdate(
      makeProblem(X, k, { maxIter: 1000, tol: 1e-3, alphaW: alpha, l1Ratio, onIteration: (i) => reported.push(i.objective) }),
      loss,
      W,
      Ht,
    );
    expect(outcome.converged).toBe(true);
    expect(outcome.iterations % 10).toBe(0);
    reported.forEach((v, i) => expect(v === null).toBe((i + 1) % 10 !== 0));
    const errors = reported.filter((v): v is number => v !== null).map((v) => Math.sqrt(2 * v));
    const { W: W0, Ht: Ht0 } = startingFactors(25, 35, k, 3);
    const H0 = transposeDense(Ht0, 35, k);
    const e0 = Math.sqrt(2 * (loss === "frobenius" ? frobeniusObjective(X, W0, H0, k) : klObjective(X, W0, H0, k)));
    const decrease = (i: number): number => ((i === 0 ? e0 : errors[i - 1]) - errors[i]) / e0;
    for (let i = 0; i < errors.length - 1; i++) expect(decrease(i)).toBeGreaterThanOrEqual(1e-3);
    expect(decrease(errors.length - 1)).toBeLessThan(1e-3);
  });
});
