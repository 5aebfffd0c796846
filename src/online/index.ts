/**
 * Online NMF for corpora larger than memory: scikit-learn's MiniBatchNMF update of H from a stream of
 * batches, and the streaming evaluation of fixed topics. Numerical code only: no I/O, no printing,
 * the seeded generator of linalg/random.ts.
 */
export {
  checkOnlineOptions,
  computeRho,
  defaultOnlineSettings,
  resumeOnlineNmf,
  solveBatchW,
  startOnlineNmf,
  stepOnlineNmf,
  ONLINE_EPSILON,
  type OnlineNmfOptions,
  type OnlineNmfState,
  type OnlineStepResult,
} from "./minibatch.js";
export { StreamingEvaluation, type StreamEvaluationResult, type StreamLabelAgreement } from "./evaluate.js";
