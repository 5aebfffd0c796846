/**
 * The model file (`--save`): schema `nmf-topics/model@1`, everything `transform` needs to reproduce
 * the fit's preprocessing and weights exactly: text options, resolved stop words, vocabulary, idf,
 * display terms, H at full float64 precision (shortest round-trip), NMF settings and the corpus
 * fingerprint. Readers accept any `nmf-topics/model@1` file, including ones with extra keys added
 * by later minor versions; a different major version is refused with a clear message.
 */
import { InputError } from "./errors.js";
import type { FitRun } from "./fit.js";
import type { NmfOptions } from "./nmf/index.js";
import { formatNumberExact, stringifyJson, type JsonValue } from "./report/json.js";
import type { TextOptions, VectorizerState } from "./text/index.js";

export const MODEL_SCHEMA = "nmf-topics/model@1";
const MODEL_SCHEMA_PREFIX = "nmf-topics/model@";
const MODEL_MAJOR = 1;

export interface ModelTopic {
  id: number;
  share: number;
  npmi: number;
  /** Term indices of the top words, as in the fit. */
  top: number[];
}

export interface Model {
  schema: string;
  version: string;
  text: VectorizerState;
  nmf: {
    loss: NmfOptions["loss"];
    solver: string;
    init: string;
    nTopics: number;
    maxIter: number;
    tol: number;
    seed: number;
    alphaW: number;
    alphaH: number;
    l1Ratio: number;
    iterations: number;
    converged: boolean;
    objective: number;
    relativeError: number;
  };
  topWords: number;
  corpus: { documents: number; terms: number; nonzeros: number; fingerprint: string };
  topics: ModelTopic[];
  /** H, topics x terms, row-major. */
  H: Float64Array;
}

export function buildModel(run: FitRun, nmfOptions: NmfOptions, topWords: number, version: string): Model {
  const { nmf } = run;
  return {
    schema: MODEL_SCHEMA,
    version,
    text: run.vectorizer,
    nmf: {
      loss: nmfOptions.loss,
      solver: nmf.solver,
      init: nmfOptions.init,
      nTopics: nmf.nTopics,
      maxIter: nmfOptions.maxIter,
      tol: nmfOptions.tol,
      seed: nmfOptions.seed,
      alphaW: nmfOptions.alphaW,
      alphaH: typeof nmfOptions.alphaH === "number" ? nmfOptions.alphaH : nmfOptions.alphaW,
      l1Ratio: nmfOptions.l1Ratio,
      iterations: nmf.iterations,
      converged: nmf.converged,
      objective: nmf.objective,
      relativeError: nmf.relativeError,
    },
    topWords,
    corpus: {
      documents: run.X.nRows,
      terms: run.X.nCols,
      nonzeros: run.X.indptr[run.X.nRows],
      fingerprint: run.fingerprint,
    },
    topics: run.topics.map((t) => ({ id: t.id, share: t.share, npmi: t.npmi, top: Array.from(t.termIndices) })),
    H: nmf.H,
  };
}

/** Serialises a model: H as one array per topic, numbers at full precision. */
export function serializeModel(model: Model): string {
  const k = model.nmf.nTopics;
  const nTerms = model.text.vocabulary.length;
  const rows: Float64Array[] = [];
  for (let t = 0; t < k; t++) rows.push(model.H.subarray(t * nTerms, (t + 1) * nTerms));
  // An undefined coherence (NaN) is written as null and read back as NaN.
  const topics = model.topics.map((t) => ({ ...t, npmi: Number.isFinite(t.npmi) ? t.npmi : null }));
  const value = { ...model, topics, H: rows } as unknown as JsonValue;
  return stringifyJson(value, { number: formatNumberExact }) + "\n";
}

function fail(path: string, what: string): never {
  throw new InputError(`${path}: ${what}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Parses and checks a model file's text; `path` names it in errors (exit 3). */
export function parseModel(text: string, path: string): Model {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(path, `not a model file: invalid JSON (${(error as Error).message}); was it truncated? Save it again with fit --save`);
  }
  if (!isObject(raw)) fail(path, "not a model file: expected a JSON object");
  const schema = raw.schema;
  if (typeof schema !== "string" || !schema.startsWith(MODEL_SCHEMA_PREFIX)) {
    fail(path, `not an nmf-topics model file (schema ${JSON.stringify(schema ?? null)}; expected ${MODEL_SCHEMA})`);
  }
  const major = Number.parseInt(schema.slice(MODEL_SCHEMA_PREFIX.length), 10);
  if (major !== MODEL_MAJOR) {
    fail(
      path,
      major > MODEL_MAJOR
        ? `written by a newer nmf-topics (schema ${schema}); this version reads ${MODEL_SCHEMA}: upgrade nmf-topics`
        : `unsupported model schema ${schema}; this version reads ${MODEL_SCHEMA}`,
    );
  }
  const text_ = raw.text;
  const nmf = raw.nmf;
  const corpus = raw.corpus;
  if (!isObject(text_) || !isObject(nmf) || !isObject(corpus) || !Array.isArray(raw.topics) || !Array.isArray(raw.H)) {
    fail(path, "corrupt model file: missing text, nmf, corpus, topics or H");
  }
  const vocabulary = text_.vocabulary;
  if (!Array.isArray(vocabulary) || !vocabulary.every((t) => typeof t === "string")) {
    fail(path, "corrupt model file: text.vocabulary must be an array of strings");
  }
  const nTerms = vocabulary.length;
  const k = nmf.nTopics;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || raw.H.length !== k) {
    fail(path, "corrupt model file: nmf.nTopics does not match the rows of H");
  }
  const H = new Float64Array(k * nTerms);
  (raw.H as unknown[]).forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== nTerms) fail(path, `corrupt model file: row ${t} of H does not have ${nTerms} values`);
    for (let j = 0; j < nTerms; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(path, `corrupt model file: H[${t}][${j}] is not a non-negative number`);
      H[t * nTerms + j] = v;
    }
  });
  const idf = text_.idf;
  if (idf !== null && (!Array.isArray(idf) || idf.length !== nTerms)) {
    fail(path, "corrupt model file: text.idf does not match the vocabulary");
  }
  const displayTerms = Array.isArray(text_.displayTerms) && text_.displayTerms.length === nTerms ? text_.displayTerms : vocabulary;
  const topics = (raw.topics as unknown[]).map((t, i) => {
    if (!isObject(t) || !Array.isArray(t.top)) fail(path, `corrupt model file: topic ${i}`);
    return { id: Number(t.id), share: Number(t.share), npmi: t.npmi === null ? Number.NaN : Number(t.npmi), top: t.top.map(Number) };
  });
  return {
    schema,
    version: String(raw.version ?? ""),
    text: {
      options: text_.options as TextOptions,
      stopWords: (text_.stopWords as string[]) ?? [],
      vocabulary: vocabulary as string[],
      idf: idf as number[] | null,
      displayTerms: displayTerms as string[],
    },
    nmf: nmf as unknown as Model["nmf"],
    topWords: typeof raw.topWords === "number" ? raw.topWords : 10,
    corpus: corpus as unknown as Model["corpus"],
    topics,
    H,
  };
}
