/**
 * nmf-topics as a library: read a corpus, vectorize it, factorize it, evaluate topics. Never
 * imports the CLI; returns data, prints nothing.
 */
export * from "./errors.js";
export type { CsrMatrix, DenseMatrix } from "./linalg/types.js";
export type { Document, ReadOptions, Warn } from "./corpus/types.js";
export { readCorpus, defaultReadOptions } from "./corpus/index.js";
export { fitVectorizer, transformTexts, defaultTextOptions, type TextOptions, type VectorizerState } from "./text/index.js";
export {
  fitNmf,
  transformNmf,
  frobeniusObjective,
  klObjective,
  topTermIndices,
  defaultNmfOptions,
  type NmfOptions,
  type NmfResult,
} from "./nmf/index.js";
export * from "./eval/index.js";
export { fitCorpus, fingerprintDocuments, summarizeTopics, topicShares, type FitOptions, type FitRun } from "./fit.js";
export { buildModel, parseModel, serializeModel, MODEL_SCHEMA, type Model } from "./model.js";
export { formatNumber, stringifyJson } from "./report/json.js";
