/**
 * Projected alternating least squares ("als", Frobenius only; Berry et al. 2007): each iteration
 *
 *   `W <- max(0, X·Hᵀ · (H·Hᵀ + λ_W·I)⁻¹)`, then `H <- max(0, (WᵀW + λ_H·I)⁻¹ · Wᵀ·X)`,
 *
 * with `λ_W = l2W + 1e-10·trace(H·Hᵀ)/k` and `λ_H = l2H + 1e-10·trace(WᵀW)/k` (the L2 penalty as
 * a ridge, plus a tiny ridge for stability). The k x k systems are solved by a Cholesky
 * factorisation ({@link choleskyInPlace}). Cheap and approximate: the projection makes each step
 * only an approximation of the non-negative least-squares step, so, unlike cd/HALS and mu, the
 * objective is not guaranteed to decrease at every iteration. L1 penalties are not supported
 * (rejected by `resolveNmfOptions`).
 *
 * Stopping rule, checked every iteration: with `f` the objective `0.5·||X - WH||_F²` (computed
 * exactly from the products of the iteration), stop when `|f_previous - f| < tol · f_previous`.
 * The sparse products run as fixed row chunks on the executor and the row solves are serial, so
 * the bits do not depend on the thread count.
 */
import { gramParallelInto } from "../../linalg/dense.js";
import { partitionRows, serialExecutor } from "../../linalg/executor.js";
import { csrTimesDenseParallel } from "../../linalg/sparse.js";
import { frobeniusObjectiveFromParts, sumProducts } from "../objective.js";
import { checkFinite, type SolverOutcome, type SolverProblem } from "./types.js";

/** Relative size of the stabilising ridge: `1e-10 · trace(G) / k`. */
export const ALS_RIDGE = 1e-10;

/**
 * In-place Cholesky `G = L·Lᵀ` of a symmetric k x k matrix (row-major); L is written to the
 * lower triangle (the upper one is left unchanged and unused). A pivot that is not positive
 * (a singular direction, e.g. an all-zero topic) is set to +Infinity, which makes the matching
 * component of every solution 0.
 */
export function choleskyInPlace(G: Float64Array, k: number): void {
  for (let j = 0; j < k; j++) {
    let d = G[j * k + j];
    for (let r = 0; r < j; r++) d -= G[j * k + r] * G[j * k + r];
    const ljj = d > 0 ? Math.sqrt(d) : Infinity;
    G[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = G[i * k + j];
      for (let r = 0; r < j; r++) s -= G[i * k + r] * G[j * k + r];
      G[i * k + j] = s / ljj;
    }
  }
}

/**
 * For each of the n rows b of B (n x k): solves `L·Lᵀ·x = b` with L from {@link choleskyInPlace}
 * and writes `max(0, x)` into the same row of `out` (n x k). `out` may be B.
 */
export function solveProjectedRowsInto(L: Float64Array, B: Float64Array, n: number, k: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    // Forward: L·y = b (y kept in out's row).
    for (let j = 0; j < k; j++) {
      let s = B[base + j];
      for (let r = 0; r < j; r++) s -= L[j * k + r] * out[base + r];
      out[base + j] = s / L[j * k + j];
    }
    // Backward: Lᵀ·x = y.
    for (let j = k - 1; j >= 0; j--) {
      let s = out[base + j];
      for (let r = j + 1; r < k; r++) s -= L[r * k + j] * out[base + r];
      out[base + j] = s / L[j * k + j];
    }
    for (let j = 0; j < k; j++) if (!(out[base + j] > 0)) out[base + j] = 0;
  }
}

/** `G + (extra + ALS_RIDGE·trace(G)/k)·I` into `out` (k x k). */
function addRidgeInto(G: Float64Array, k: number, extra: number, out: Float64Array): void {
  let trace = 0;
  for (let t = 0; t < k; t++) trace += G[t * k + t];
  const lambda = extra + (ALS_RIDGE * trace) / k;
  out.set(G);
  for (let t = 0; t < k; t++) out[t * k + t] += lambda;
}

/**
 * Runs projected ALS from the given W (nDocs x k) and Ht (nTerms x k), both updated in place.
 * With `updateH = false` (transform) only the W step runs (Ht fixed). Returns the exact final
 * Frobenius objective.
 */
export function fitAlternatingLeastSquares(problem: SolverProblem, W: Float64Array, Ht: Float64Array): SolverOutcome {
  const { X, Xt, k, reg, maxIter, tol, updateH, onIteration, xNormSq } = problem;
  const executor = problem.executor ?? serialExecutor;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const docBounds = executor.share(partitionRows(X.indptr, nDocs, k));
  const termBounds = executor.share(partitionRows(Xt.indptr, nTerms, k));
  const XHt = executor.createFloat64Array(nDocs * k);
  const XtW = updateH ? executor.createFloat64Array(nTerms * k) : new Float64Array(0);
  const HHt = new Float64Array(k * k);
  const WtW = new Float64Array(k * k);
  const L = new Float64Array(k * k);

  gramParallelInto(executor, Ht, nTerms, k, HHt);
  let previous = Infinity;
  let objective = Infinity;
  let iterations = 0;
  let converged = false;
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    // W step.
    csrTimesDenseParallel(executor, X, Ht, k, XHt, docBounds);
    addRidgeInto(HHt, k, reg.l2W, L);
    choleskyInPlace(L, k);
    solveProjectedRowsInto(L, XHt, nDocs, k, W);
    gramParallelInto(executor, W, nDocs, k, WtW);
    let cross: number;
    if (updateH) {
      // H step.
      csrTimesDenseParallel(executor, Xt, W, k, XtW, termBounds);
      addRidgeInto(WtW, k, reg.l2H, L);
      choleskyInPlace(L, k);
      solveProjectedRowsInto(L, XtW, nTerms, k, Ht);
      gramParallelInto(executor, Ht, nTerms, k, HHt);
      cross = sumProducts(XtW, Ht, nTerms * k);
    } else {
      cross = sumProducts(XHt, W, nDocs * k);
    }
    objective = frobeniusObjectiveFromParts(xNormSq, cross, sumProducts(WtW, HHt, k * k));
    checkFinite(W, Ht, it, objective);
    onIteration?.({ iteration: it, maxIter, objective });
    if (tol > 0 && Math.abs(previous - objective) < tol * previous) {
      converged = true;
      break;
    }
    previous = objective;
  }
  if (tol === 0) converged = true;
  return { iterations, converged, frobenius: objective };
}
