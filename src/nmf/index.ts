/**
 * The NMF engine: X (documents x terms, CSR) ≈ W (documents x topics) · H (topics x terms),
 * W, H >= 0, with scikit-learn 1.2's objectives, initialisations, solvers and stopping rules,
 * plus a fast KL solver (ccd). Numerical code only: no I/O, no printing.
 */
export {
  computeRegularization,
  defaultNmfOptions,
  resolveNmfOptions,
  type NmfIterationInfo,
  type NmfOptions,
  type Regularization,
  type ResolvedNmfOptions,
  type SolverName,
} from "./params.js";
export { fitNmf, type NmfResult } from "./factorize.js";
export { transformNmf, type NmfTransformResult } from "./transform.js";
export {
  frobeniusObjective,
  klObjective,
  relativeError,
  frobeniusObjectiveFromParts,
  klObjectiveFromValues,
} from "./objective.js";
export { canonicalTopicOrder, permuteTopics, topTermIndices } from "./order.js";
export { initializeFactors, type NmfFactors } from "./init.js";
