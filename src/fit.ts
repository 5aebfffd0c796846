/**
 * The fit pipeline as a library call: documents -> TF-IDF matrix -> NMF -> top terms and metrics.
 * Returns plain data; rendering and I/O belong to report/ and cli/.
 */
import { createHash } from "node:crypto";
import type { Document } from "./corpus/types.js";
import { argmaxTopics, labelAgreement, npmiCoherence, topicDiversity } from "./eval/index.js";
import type { ColumnRows, CsrMatrix } from "./linalg/types.js";
import { fitNmf, topTermIndices, type NmfOptions, type NmfResult } from "./nmf/index.js";
import { fitVectorizer, type TextOptions, type VectorizerState } from "./text/index.js";

export interface FitOptions {
  text: TextOptions;
  nmf: NmfOptions;
  /** Top words listed per topic (default 10). */
  topWords: number;
}

/** Clustering agreement of the argmax topics with the documents' labels (when every document has one). */
export interface LabelAgreement {
  nmi: number;
  ari: number;
  purity: number;
}

export interface TopicSummary {
  /** Canonical id: 0 is the topic with the largest total weight. */
  id: number;
  /** Share of the corpus: sum_d W[d,t] * sum_j H[t,j] over the same sum for all topics. */
  share: number;
  /** Term indices of the top words, H[t,j] descending, ties by lower j. */
  termIndices: Int32Array;
  /** Mean NPMI of the top words (document co-occurrence in the fitted corpus). */
  npmi: number;
}

export interface FitRun {
  documents: readonly Document[];
  X: CsrMatrix;
  vectorizer: VectorizerState;
  documentFrequency: Int32Array;
  emptyDocuments: number[];
  nmf: NmfResult;
  topics: TopicSummary[];
  /** argmax_t W[d,t] per document (first index on ties). */
  documentTopics: Int32Array;
  metrics: { npmi: number; diversity: number; labels: LabelAgreement | null };
  fingerprint: string;
  timings: { vectorizeMs: number; fitMs: number; evaluateMs: number };
}

/**
 * sha256 (hex) of the ordered (id, text) pairs: for each document, UTF-8 of the id, a NUL byte,
 * UTF-8 of the text, a NUL byte. Identifies a corpus independently of where its files live.
 */
export function fingerprintDocuments(documents: readonly Document[]): string {
  const hash = createHash("sha256");
  const nul = Buffer.from([0]);
  for (const doc of documents) {
    hash.update(doc.id, "utf8");
    hash.update(nul);
    hash.update(doc.text, "utf8");
    hash.update(nul);
  }
  return hash.digest("hex");
}

/**
 * Topic shares s_t / sum(s) with s_t = (sum_d W[d,t]) * (sum_j H[t,j]); the same quantity that
 * orders topics canonically, so shares are non-increasing in topic id.
 */
export function topicShares(W: Float64Array, H: Float64Array, nDocs: number, nTerms: number, k: number): Float64Array {
  const totals = new Float64Array(k);
  let all = 0;
  for (let t = 0; t < k; t++) {
    totals[t] = columnSum(W, nDocs, k, t) * rangeSum(H, t * nTerms, (t + 1) * nTerms);
    all += totals[t];
  }
  if (all > 0) for (let t = 0; t < k; t++) totals[t] /= all;
  return totals;
}

/**
 * `sum_d W[d, t]` in increasing d. The sums are small functions, called once per topic: V8
 * optimizes them whole after the first calls, where one loop nest ran unoptimized far longer
 * (this code runs once per process).
 */
function columnSum(W: Float64Array, nDocs: number, k: number, t: number): number {
  let sum = 0;
  for (let d = 0; d < nDocs; d++) sum += W[d * k + t];
  return sum;
}

/** `sum_{i in from..to-1} values[i]` in increasing i. */
function rangeSum(values: Float64Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i];
  return sum;
}

/**
 * Integer codes of labels (sorted label names -> 0..L-1), or null when any document has none.
 * One pass numbers the labels in order of appearance; the codes are then renumbered by name.
 */
export function labelCodes(documents: readonly Document[]): { codes: Int32Array; names: string[] } | null {
  if (documents.length === 0) return null;
  const seen = new Map<string, number>();
  const codes = new Int32Array(documents.length);
  for (let d = 0; d < documents.length; d++) {
    const label = documents[d].label;
    if (label === undefined) return null;
    let code = seen.get(label);
    if (code === undefined) seen.set(label, (code = seen.size));
    codes[d] = code;
  }
  const names = [...seen.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const rank = new Int32Array(names.length);
  for (let r = 0; r < names.length; r++) rank[seen.get(names[r]) as number] = r;
  for (let d = 0; d < codes.length; d++) codes[d] = rank[codes[d]];
  return { codes, names };
}

/** Top terms, coherence, shares and label agreement of a factorization of X. */
export function summarizeTopics(
  X: CsrMatrix,
  nmf: NmfResult,
  documents: readonly Document[],
  topWords: number,
  columns: ColumnRows | null = null,
): Pick<FitRun, "topics" | "documentTopics" | "metrics"> {
  const { W, H, nDocs, nTerms, nTopics: k } = nmf;
  const shares = topicShares(W, H, nDocs, nTerms, k);
  const top: Int32Array[] = [];
  for (let t = 0; t < k; t++) top.push(topTermIndices(H, t, nTerms, Math.min(topWords, nTerms)));
  const coherence = npmiCoherence(X, top, columns);
  const topics: TopicSummary[] = top.map((termIndices, t) => ({
    id: t,
    share: shares[t],
    termIndices,
    npmi: coherence[t],
  }));
  const documentTopics = argmaxTopics(W, nDocs, k);
  const labels = labelCodes(documents);
  const agreement: LabelAgreement | null = labels ? labelAgreement(labels.codes, documentTopics) : null;
  const npmi = coherence.length > 0 ? coherence.reduce((a, b) => a + b, 0) / coherence.length : 0;
  return {
    topics,
    documentTopics,
    metrics: { npmi, diversity: topicDiversity(top), labels: agreement },
  };
}

/** Runs the whole pipeline on documents already read. Throws InputError/NumericalError/UsageError. */
export function fitCorpus(documents: readonly Document[], options: FitOptions): FitRun {
  const t0 = performance.now();
  const texts = documents.map((d) => d.text);
  const vectorized = fitVectorizer(texts, options.text);
  const t1 = performance.now();
  const nmf = fitNmf(vectorized.X, options.nmf);
  const t2 = performance.now();
  const summary = summarizeTopics(vectorized.X, nmf, documents, options.topWords, vectorized.columns);
  const t3 = performance.now();
  return {
    documents,
    X: vectorized.X,
    vectorizer: vectorized.state,
    documentFrequency: vectorized.documentFrequency,
    emptyDocuments: vectorized.emptyDocuments,
    nmf,
    ...summary,
    fingerprint: fingerprintDocuments(documents),
    timings: { vectorizeMs: t1 - t0, fitMs: t2 - t1, evaluateMs: t3 - t2 },
  };
}
