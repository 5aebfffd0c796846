/**
 * `fitNmf`: the one entry point of a fit. Validates the options, builds the term-major copy of X
 * once, initialises W and H, dispatches to the solver and returns the factors in canonical topic
 * order with the objective and the relative error.
 *
 * Shapes: X nDocs x nTerms (CSR), W nDocs x k, H k x nTerms, row-major, as in scikit-learn.
 */
import { InputError } from "../errors.js";
import { serialExecutor, type ParallelExecutor } from "../linalg/executor.js";
import { createRng } from "../linalg/random.js";
import type { CsrMatrix } from "../linalg/types.js";
import { initializeFactorsInto, meanFromSum } from "./init.js";
import { firstInvalidValue, layOutTerms } from "./layout.js";
import {
  bothObjectivesTransposed,
  frobeniusObjectiveTransposed,
  relativeErrorFromObjective,
} from "./objective.js";
import { sortTopicsTransposed } from "./order.js";
import { computeRegularization, resolveNmfOptions, type NmfOptions, type ResolvedNmfOptions } from "./params.js";
import { fitAlternatingLeastSquares } from "./solvers/als.js";
import { fitCyclicCoordinateDescent } from "./solvers/ccd.js";
import { fitCoordinateDescent } from "./solvers/cd.js";
import { fitMultiplicativeUpdate } from "./solvers/mu.js";
import type { SolverOutcome, SolverProblem } from "./solvers/types.js";

/** Result of {@link fitNmf}. Topics are in canonical order (see `canonicalTopicOrder`). */
export interface NmfResult {
  /** nDocs x nTopics, row-major. */
  W: Float64Array;
  /** nTopics x nTerms, row-major. */
  H: Float64Array;
  nDocs: number;
  nTerms: number;
  nTopics: number;
  /** The solver that ran ("auto" resolved): "cd", "mu", "ccd" or "als". */
  solver: string;
  iterations: number;
  /** Whether the solver's stopping rule was met within maxIter (true when tol = 0). */
  converged: boolean;
  /** The objective of the loss (`frobeniusObjective` or `klObjective`), without penalties. */
  objective: number;
  /** ||X - WH||_F / ||X||_F. */
  relativeError: number;
}

/**
 * Checks that X is a usable NMF input: at least one row and one column, CSR arrays of consistent
 * length, values finite and non-negative.
 *
 * @throws InputError naming what to change.
 */
export function checkInputMatrix(X: CsrMatrix): void {
  checkMatrixShape(X);
  const p = firstInvalidValue(X);
  if (p >= 0) throw invalidValueError(X.data[p]);
}

/** {@link checkInputMatrix} without the scan of the values (the fit's term layout does it). */
export function checkMatrixShape(X: CsrMatrix): void {
  if (X.nRows < 1 || X.nCols < 1) {
    throw new InputError(
      `nothing to factorize: ${X.nRows} documents x ${X.nCols} terms; check the input or lower --min-df / raise --max-df`,
    );
  }
  const nnz = X.indptr[X.nRows];
  if (X.indptr.length !== X.nRows + 1 || X.indices.length < nnz || X.data.length < nnz) {
    throw new RangeError("malformed CSR matrix: indptr, indices and data lengths disagree");
  }
}

/** The InputError of a negative or non-finite value v of X. */
function invalidValueError(v: number): InputError {
  return new InputError(
    `the document-term matrix has a ${v < 0 ? "negative" : "non-finite"} value (${v}); NMF needs finite non-negative weights`,
  );
}

/** Runs the resolved solver on `problem`, updating W and Ht in place. */
export function runSolver(
  options: Pick<ResolvedNmfOptions, "solver" | "loss">,
  problem: SolverProblem,
  W: Float64Array,
  Ht: Float64Array,
): SolverOutcome {
  switch (options.solver) {
    case "cd":
      return fitCoordinateDescent(problem, W, Ht);
    case "mu":
      return fitMultiplicativeUpdate(problem, options.loss, W, Ht);
    case "ccd":
      return fitCyclicCoordinateDescent(problem, W, Ht);
    case "als":
      return fitAlternatingLeastSquares(problem, W, Ht);
  }
}

/**
 * Factorizes X ≈ W·H with W, H >= 0, minimising the loss plus scikit-learn 1.2's scaled penalties
 * `l1W·||W||_1 + l1H·||H||_1 + 0.5·l2W·||W||_F² + 0.5·l2H·||H||_F²` (see `computeRegularization`).
 * Synchronous and deterministic: the same X, options and seed give the same bits, whatever
 * `options.executor` (serial, or a worker pool with any number of threads) runs the kernels.
 *
 * @param X nDocs x nTerms, CSR, non-negative.
 * @throws UsageError for an invalid option, InputError for an unusable X, NumericalError when
 *   k > min(nDocs, nTerms) with an nndsvd init or when a value becomes non-finite.
 */
export function fitNmf(X: CsrMatrix, options: NmfOptions): NmfResult {
  const o = resolveNmfOptions(options);
  checkMatrixShape(X);
  const executor = o.executor ?? serialExecutor;
  // The executor's arrays of this fit are released when it returns: W and H are copied out.
  return executor.scope(() => fitWithExecutor(X, o, executor));
}

function fitWithExecutor(X: CsrMatrix, o: ResolvedNmfOptions, executor: ParallelExecutor): NmfResult {
  const k = o.nTopics;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  // The solvers see X with its terms renumbered by frequency (layout.ts); H is mapped back.
  const layout = layOutTerms(X, executor);
  // The values are checked by the layout's first pass (checkInputMatrix's scan, while JavaScript is cold).
  if (layout.firstInvalid >= 0) throw invalidValueError(X.data[layout.firstInvalid]);
  const { X: Xs, Xt, termOrder } = layout;
  const rng = createRng(o.seed);
  const W = executor.createFloat64Array(nDocs * k);
  const Ht = executor.createFloat64Array(nTerms * k);
  initializeFactorsInto(Xs, Xt, k, o.init, rng, W, Ht, {
    executor,
    columnOrder: termOrder,
    mean: meanFromSum(Xs, layout.sum),
  });
  const xNormSq = layout.sumSquares;
  const problem: SolverProblem = {
    X: Xs,
    Xt,
    xNormSq,
    k,
    reg: computeRegularization(o, nDocs, nTerms),
    maxIter: o.maxIter,
    tol: o.tol,
    updateH: true,
    executor,
    ...(o.onIteration ? { onIteration: o.onIteration } : {}),
  };
  const outcome = runSolver(o, problem, W, Ht);
  // cd and als have the exact final Frobenius objective from their last sweeps; otherwise it is
  // computed (once), with the KL one in the same pass over X for a KL fit.
  let frobenius: number;
  let objective: number;
  if (o.loss === "frobenius") {
    frobenius = outcome.frobenius ?? frobeniusObjectiveTransposed(Xs, W, Ht, k, executor, xNormSq);
    objective = frobenius;
  } else {
    const both = bothObjectivesTransposed(Xs, W, Ht, k, executor, xNormSq);
    frobenius = outcome.frobenius ?? both.frobenius;
    objective = both.kl;
  }
  const sorted = sortTopicsTransposed(W, Ht, termOrder, nDocs, k, executor);
  return {
    W: sorted.W,
    H: sorted.H,
    nDocs,
    nTerms,
    nTopics: k,
    solver: o.solver,
    iterations: outcome.iterations,
    converged: outcome.converged,
    objective,
    relativeError: relativeErrorFromObjective(frobenius, xNormSq),
  };
}
