/**
 * What every solver receives and returns. Solvers are free functions
 * `(problem, W, Ht) -> { iterations, converged }` that update W (nDocs x k) and Ht = Hᵀ
 * (nTerms x k, row-major: the term-major layout keeps every product a row loop) in place.
 */
import { NumericalError } from "../../errors.js";
import { findNonFinite } from "../../linalg/dense.js";
import type { ParallelExecutor } from "../../linalg/executor.js";
import type { CsrMatrix } from "../../linalg/types.js";
import type { NmfIterationInfo, Regularization } from "../params.js";

/** The data and settings of one fit (or transform, with `updateH = false`). */
export interface SolverProblem {
  /** nDocs x nTerms. */
  readonly X: CsrMatrix;
  /** The term-major copy `transposeCsr(X)`, nTerms x nDocs. */
  readonly Xt: CsrMatrix;
  /** ||X||_F², precomputed. */
  readonly xNormSq: number;
  /** Number of topics. */
  readonly k: number;
  readonly reg: Regularization;
  readonly maxIter: number;
  readonly tol: number;
  /** false for transform: H stays fixed and only W is solved. */
  readonly updateH: boolean;
  readonly onIteration?: (info: NmfIterationInfo) => void;
  /**
   * Runs the solver's chunked kernels (default: serially on the calling thread). With a
   * multi-threaded executor, X, Xt, W and Ht must be visible to its threads
   * (`executor.share`); the result does not depend on the executor.
   */
  readonly executor?: ParallelExecutor;
}

/** How a solver ended. */
export interface SolverOutcome {
  /** Iterations run (>= 1). */
  iterations: number;
  /** The stopping rule was met (always true when tol = 0 and maxIter iterations ran). */
  converged: boolean;
  /**
   * The Frobenius objective `0.5·||X - WH||_F²` of the final W and H, when the solver computed
   * it exactly from quantities of its last sweeps (cd: cross term and Gram matrices), so that
   * the caller need not recompute it.
   */
  frobenius?: number;
}

/** scikit-learn's EPSILON: the float32 machine epsilon, 2^-23. */
export const FLOAT32_EPS = 1.1920928955078125e-7;

/** The float64 machine epsilon, 2^-52. */
export const FLOAT64_EPS = 2.220446049250313e-16;

/**
 * Throws a {@link NumericalError} naming the factor and the iteration when W or Ht holds a NaN
 * or an infinity. `hint` is a cheap value computed from both (e.g. a sum or an objective): when
 * it is finite the arrays are not scanned.
 */
export function checkFinite(W: Float64Array, Ht: Float64Array, iteration: number, hint: number): void {
  if (Number.isFinite(hint)) return;
  const which = findNonFinite(W) >= 0 ? "W" : findNonFinite(Ht) >= 0 ? "H" : null;
  if (which === null) {
    throw new NumericalError(
      `non-finite objective at iteration ${iteration}; the values overflowed: check the input matrix for extreme values`,
    );
  }
  throw new NumericalError(
    `non-finite value in ${which} at iteration ${iteration}; try another --init or --seed, lower --alpha-w/--alpha-h, or check the input for extreme values`,
  );
}
