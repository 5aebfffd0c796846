/** Helpers for the solver tests: planted problems and a SolverProblem builder. */
import { transposeDense } from "../../../src/linalg/dense.js";
import { sumSquares, transposeCsr } from "../../../src/linalg/sparse.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { computeRegularization, type NmfIterationInfo } from "../../../src/nmf/params.js";
import type { SolverProblem } from "../../../src/nmf/solvers/types.js";
import { denseToCsr, naiveMatMul, randomDense } from "../linalg/helpers.js";

/** X = W·H of exact rank k (W, H non-negative with some zeros), returned with the planted factors. */
export function plantedProblem(
  nDocs: number,
  nTerms: number,
  k: number,
  seed: number,
): { X: CsrMatrix; W: Float64Array; H: Float64Array } {
  const W = randomDense(nDocs * k, seed, 0.3);
  const H = randomDense(k * nTerms, seed + 1, 0.3);
  return { X: denseToCsr(naiveMatMul(W, H, nDocs, k, nTerms), nDocs, nTerms), W, H };
}

/** A SolverProblem for X with the given settings (penalties scaled as scikit-learn does). */
export function makeProblem(
  X: CsrMatrix,
  k: number,
  settings: {
    maxIter?: number;
    tol?: number;
    updateH?: boolean;
    alphaW?: number;
    alphaH?: number;
    l1Ratio?: number;
    onIteration?: (info: NmfIterationInfo) => void;
  } = {},
): SolverProblem {
  const transposed = transposeCsr(X);
  const alphaW = settings.alphaW ?? 0;
  return {
    X,
    Xt: transposed,
    xNormSq: sumSquares(X),
    k,
    reg: computeRegularization({ alphaW, alphaH: settings.alphaH ?? alphaW, l1Ratio: settings.l1Ratio ?? 0 }, X.nRows, X.nCols),
    maxIter: settings.maxIter ?? 200,
    tol: settings.tol ?? 1e-4,
    updateH: settings.updateH ?? true,
    ...(settings.onIteration ? { onIteration: settings.onIteration } : {}),
  };
}

/** Positive starting factors: W (nDocs x k) and Ht (nTerms x k). */
export function startingFactors(nDocs: number, nTerms: number, k: number, seed: number): { W: Float64Array; Ht: Float64Array } {
  const W = randomDense(nDocs * k, seed).map((v) => 0.1 + v);
  const H = randomDense(k * nTerms, seed + 1).map((v) => 0.1 + v);
  return { W, Ht: transposeDense(H, k, nTerms) };
}
