/**
 * Plain report objects of `fit` and `transform`, in the key order of the JSON schema
 * `nmf-topics/fit@1`, and the hash that seals them. Renderers (json, ndjson, csv, table) read these.
 */
import { createHash } from "node:crypto";
import type { FitRun } from "../fit.js";
import { stringifyJson, type JsonValue } from "./json.js";

export const FIT_SCHEMA = "nmf-topics/fit@1";

export interface WordWeight {
  term: string;
  weight: number;
}

export interface TopicReport {
  id: number;
  share: number;
  words: WordWeight[];
  /** null when undefined (fewer than two top words). */
  coherence: { npmi: number | null } | undefined;
}

export interface DocumentReport {
  id: string;
  label: string | undefined;
  /** W[d, :] in canonical topic order (scikit-learn's fit_transform scale, not normalised). */
  weights: Float64Array;
  /** argmax of weights, first index on ties. */
  topic: number;
}

export interface FitReport {
  schema: string;
  version: string;
  params: { [key: string]: JsonValue };
  corpus: { documents: number; terms: number; nonzeros: number; fingerprint: string };
  fit: {
    loss: string;
    solver: string;
    init: string;
    iterations: number;
    converged: boolean;
    objective: number;
    relativeError: number;
  } | undefined;
  topics: TopicReport[];
  documents: DocumentReport[];
  metrics: { npmi: number | null; diversity: number | null; nmi?: number; ari?: number; purity?: number } | undefined;
  timings?: { [key: string]: number };
  hash?: string;
}

/** JSON has no NaN: an undefined metric is written as null. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Words of topic t: display terms of its top term indices with their H weights. */
export function topicWords(
  H: Float64Array,
  nTerms: number,
  topic: number,
  termIndices: Int32Array,
  displayTerms: readonly string[],
): WordWeight[] {
  return Array.from(termIndices, (j) => ({ term: displayTerms[j], weight: H[topic * nTerms + j] }));
}

/** Document rows of a W matrix (nDocs x k, canonical order). */
export function documentRows(
  ids: readonly { id: string; label?: string }[],
  W: Float64Array,
  k: number,
  documentTopics: Int32Array,
): DocumentReport[] {
  return ids.map((doc, d) => ({
    id: doc.id,
    label: doc.label,
    weights: W.subarray(d * k, (d + 1) * k),
    topic: documentTopics[d],
  }));
}

/** Builds the fit report from a run; `params` are the resolved options as the CLI records them. */
export function buildFitReport(run: FitRun, params: { [key: string]: JsonValue }, version: string): FitReport {
  const { nmf, vectorizer } = run;
  const labels = run.metrics.labels;
  return {
    schema: FIT_SCHEMA,
    version,
    params,
    corpus: {
      documents: run.X.nRows,
      terms: run.X.nCols,
      nonzeros: run.X.indptr[run.X.nRows],
      fingerprint: run.fingerprint,
    },
    fit: {
      loss: params.loss as string,
      solver: nmf.solver,
      init: params.init as string,
      iterations: nmf.iterations,
      converged: nmf.converged,
      objective: nmf.objective,
      relativeError: nmf.relativeError,
    },
    topics: run.topics.map((t) => ({
      id: t.id,
      share: t.share,
      words: topicWords(nmf.H, nmf.nTerms, t.id, t.termIndices, vectorizer.displayTerms),
      coherence: { npmi: finiteOrNull(t.npmi) },
    })),
    documents: documentRows(run.documents, nmf.W, nmf.nTopics, run.documentTopics),
    metrics: {
      npmi: finiteOrNull(run.metrics.npmi),
      diversity: finiteOrNull(run.metrics.diversity),
      ...(labels ? { nmi: labels.nmi, ari: labels.ari, purity: labels.purity } : {}),
    },
  };
}

/** The report as the JSON value of the schema, without `timings` and `hash`. */
function hashedPart(report: FitReport): JsonValue {
  const { timings: _timings, hash: _hash, ...rest } = report;
  return rest as unknown as JsonValue;
}

/**
 * sha256 (hex) of the report's JSON text (2-space indent, 6 significant digits) without the
 * `timings` and `hash` keys: two reports with equal hashes print the same result bytes.
 */
export function hashReport(report: FitReport): string {
  return createHash("sha256").update(stringifyJson(hashedPart(report)), "utf8").digest("hex");
}

/** Returns the report with its hash set (and `timings` kept last before `hash`). */
export function sealReport(report: FitReport): FitReport {
  const { timings, hash: _hash, ...rest } = report;
  return { ...rest, ...(timings ? { timings } : {}), hash: hashReport(report) };
}

/**
 * The JSON text printed by `--json` (ends with a newline): the same bytes as
 * `stringifyJson(sealReport(report))`, but the report is serialised once: the hashed text is the
 * printed text up to its closing brace, so `timings` and `hash` are appended to it (a 200,000-document
 * report is tens of MB of text; a second copy doubled the peak memory of the run).
 */
export function renderJson(report: FitReport): string {
  const body = stringifyJson(hashedPart(report));
  if (!body.endsWith("\n}")) return stringifyJson(sealReport(report) as unknown as JsonValue) + "\n"; // not multi-line
  const hash = createHash("sha256").update(body, "utf8").digest("hex");
  let tail = `,\n  "hash": ${JSON.stringify(hash)}\n}`;
  if (report.timings) {
    // The keys of an object of two keys, one of them an object, print one per line at depth 1, as in the report.
    const both = stringifyJson({ timings: report.timings, hash } as unknown as JsonValue);
    tail = `,\n${both.slice(2)}`;
  }
  return body.slice(0, -2) + tail + "\n";
}
