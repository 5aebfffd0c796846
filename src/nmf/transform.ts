/**
 * `transformNmf`: topic weights W of new documents for a fixed H (scikit-learn's
 * `NMF.transform`), with the same solver family and stopping rule as the fit.
 */
import { InputError } from "../errors.js";
import { serialExecutor } from "../linalg/executor.js";
import { sumSquares } from "../linalg/sparse.js";
import type { CsrMatrix } from "../linalg/types.js";
import { checkInputMatrix, runSolver } from "./factorize.js";
import { computeMean } from "./init.js";
import { layOutTerms, permuteTermsTransposedInto } from "./layout.js";
import { computeRegularization, resolveNmfOptions, type NmfOptions } from "./params.js";
import type { SolverProblem } from "./solvers/types.js";

/** Result of {@link transformNmf}. */
export interface NmfTransformResult {
  /** nDocs x nTopics, row-major, topics in H's order. */
  W: Float64Array;
  iterations: number;
  converged: boolean;
}

/**
 * Solves `min_W loss(X, W·H) + l1W·||W||_1 + 0.5·l2W·||W||_F²`, W >= 0, for a fixed H, with the
 * solver of `options` (same stopping rule as the fit; penalties scaled as scikit-learn does,
 * by nTerms). W starts as scikit-learn's transform starts it: zeros for cd, and the constant
 * `sqrt(mean(X) / k)` for mu (and for ccd, which cannot start from zeros either).
 *
 * Transforming the training matrix gives W close to the fit's W but not equal: the fit stops
 * at a tolerance, and W is then re-solved for that H (documented tolerance in the README/tests).
 *
 * @param X nDocs x nTerms (the model's vocabulary), CSR, non-negative.
 * @param H nTopics x nTerms, row-major (nTopics = options.nTopics).
 */
export function transformNmf(
  X: CsrMatrix,
  H: Float64Array,
  options: NmfOptions,
): NmfTransformResult {
  const o = resolveNmfOptions(options);
  checkInputMatrix(X);
  const k = o.nTopics;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  if (H.length !== k * nTerms) {
    throw new InputError(
      `H has ${H.length} values but ${k} topics x ${nTerms} terms need ${k * nTerms}; the model file does not match its vocabulary`,
    );
  }
  for (let i = 0; i < H.length; i++) {
    if (!(H[i] >= 0) || H[i] === Infinity) {
      throw new InputError("H has a negative or non-finite value; the model file is corrupt");
    }
  }
  const executor = o.executor ?? serialExecutor;
  // The executor's arrays are released when the scope returns: W is copied out.
  return executor.scope(() => {
    const layout = layOutTerms(X, executor);
    const Ht = executor.createFloat64Array(nTerms * k);
    permuteTermsTransposedInto(H, layout.termOrder, k, Ht);
    const W = executor.createFloat64Array(nDocs * k);
    if (o.solver !== "cd") W.fill(Math.sqrt(computeMean(X) / k));
    const problem: SolverProblem = {
      X: layout.X,
      Xt: layout.Xt,
      xNormSq: sumSquares(X),
      executor,
      k,
      reg: computeRegularization(o, nDocs, nTerms),
      maxIter: o.maxIter,
      tol: o.tol,
      updateH: false,
      ...(o.onIteration ? { onIteration: o.onIteration } : {}),
    };
    const outcome = runSolver(o, problem, W, Ht);
    return { W: W.slice(), iterations: outcome.iterations, converged: outcome.converged };
  });
}
