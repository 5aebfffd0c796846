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
import { compileTokenPattern, stemmerLanguages, validateTextOptions, type TextOptions, type VectorizerState } from "./text/index.js";

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

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * Checks `text.options` of a model: every field of {@link TextOptions} with its type and range, the
 * token pattern compiled, a stemmer for the language when `stem`. Returns the reason or null.
 */
function checkTextOptions(o: unknown): string | null {
  if (!isObject(o)) return "text.options is missing";
  const { lang, stopWords, extraStopWords, stem, ngramRange, minDf, maxDf, maxFeatures, tokenPattern } = o;
  if (typeof lang !== "string" || typeof stopWords !== "string") return "text.options.lang and stopWords must be strings";
  if (extraStopWords !== null && typeof extraStopWords !== "string") return "text.options.extraStopWords must be a string or null";
  for (const key of ["stem", "dropNumbers", "sublinearTf"]) {
    if (typeof o[key] !== "boolean") return `text.options.${key} must be true or false`;
  }
  if (!Array.isArray(ngramRange) || ngramRange.length !== 2 || !ngramRange.every((n) => isCount(n))) {
    return "text.options.ngramRange must be two whole numbers";
  }
  if (!isFiniteNumber(minDf) || !isFiniteNumber(maxDf)) return "text.options.minDf and maxDf must be numbers";
  if (maxFeatures !== null && !isCount(maxFeatures)) return "text.options.maxFeatures must be a whole number or null";
  if (tokenPattern !== null && typeof tokenPattern !== "string") return "text.options.tokenPattern must be a string or null";
  try {
    validateTextOptions(o as unknown as TextOptions);
    if (tokenPattern !== null) compileTokenPattern(tokenPattern);
  } catch (error) {
    return `text.options: ${(error as Error).message}`;
  }
  if (stem && !stemmerLanguages.includes(lang)) return `text.options: no stemmer for language ${JSON.stringify(lang)}`;
  return null;
}

/** Checks the `nmf` block of a model (settings and fit summary). Returns the reason or null. */
function checkNmf(nmf: Record<string, unknown>): string | null {
  const { loss, solver, init } = nmf;
  if (loss !== "frobenius" && loss !== "kl") return `nmf.loss ${JSON.stringify(loss ?? null)} is not frobenius or kl`;
  const solvers = loss === "frobenius" ? ["cd", "mu", "als"] : ["mu", "ccd"];
  if (typeof solver !== "string" || !solvers.includes(solver)) {
    return `nmf.solver ${JSON.stringify(solver ?? null)} is not one of ${solvers.join(", ")} for loss ${loss}`;
  }
  if (typeof init !== "string") return "nmf.init must be a string";
  for (const key of ["maxIter", "seed", "iterations"]) if (!isCount(nmf[key])) return `nmf.${key} must be a whole number`;
  for (const key of ["tol", "alphaW", "alphaH", "l1Ratio"]) {
    const v = nmf[key];
    if (!isFiniteNumber(v) || v < 0) return `nmf.${key} must be a number >= 0`;
  }
  if ((nmf.l1Ratio as number) > 1) return "nmf.l1Ratio must be at most 1";
  if (typeof nmf.converged !== "boolean") return "nmf.converged must be true or false";
  if (!isFiniteNumber(nmf.objective) || !isFiniteNumber(nmf.relativeError)) return "nmf.objective and relativeError must be numbers";
  return null;
}

/** Checks `topics`: k entries, ids a permutation of 0..k-1, top words valid term indices. */
function checkTopics(topics: unknown[], k: number, nTerms: number): string | null {
  if (topics.length !== k) return `${topics.length} topics for nmf.nTopics = ${k}`;
  const seen = new Set<number>();
  for (let i = 0; i < k; i++) {
    const t = topics[i];
    if (!isObject(t)) return `topic ${i} is not an object`;
    if (!isCount(t.id) || t.id >= k || seen.has(t.id)) return `topic ${i} has id ${JSON.stringify(t.id ?? null)}, expected a distinct whole number below ${k}`;
    seen.add(t.id);
    if (!isFiniteNumber(t.share)) return `topic ${i}: share must be a number`;
    if (t.npmi !== null && !isFiniteNumber(t.npmi)) return `topic ${i}: npmi must be a number or null`;
    if (!Array.isArray(t.top) || !t.top.every((j) => isCount(j) && j < nTerms)) {
      return `topic ${i}: top must list term indices below ${nTerms}`;
    }
  }
  return null;
}

/**
 * Parses and checks a model file's text; `path` names it in errors. Every field that `topics` and
 * `transform` use is checked for its type and range, so that a truncated, hand-edited or corrupt
 * file is an InputError naming the field (exit 3), never a crash; unknown extra keys are allowed
 * (later minor versions may add some); a newer major schema asks for an upgrade.
 */
export function parseModel(text: string, path: string): Model {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // V8 echoes the input after the reason (`Unexpected token ..., "\u0000\u0001..." is not valid JSON`): drop it.
    const reason = (error as Error).message.replace(/,\s*(\.\.\.)?".*$/s, "");
    fail(path, `not a model file: invalid JSON (${reason}); was it truncated? Save it again with fit --save`);
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
  const corrupt: (what: string) => never = (what) => fail(path, `corrupt model file: ${what}; save the model again with fit --save`);
  const text_ = raw.text;
  const nmf = raw.nmf;
  const corpus = raw.corpus;
  if (!isObject(text_) || !isObject(nmf) || !isObject(corpus) || !Array.isArray(raw.topics) || !Array.isArray(raw.H)) {
    corrupt("missing text, nmf, corpus, topics or H");
  }
  const vocabulary = text_.vocabulary;
  if (!isStringArray(vocabulary)) corrupt("text.vocabulary must be an array of strings");
  const nTerms = vocabulary.length;
  const textProblem = checkTextOptions(text_.options);
  if (textProblem !== null) corrupt(textProblem);
  const options = text_.options as unknown as TextOptions;
  const stopWords = text_.stopWords ?? [];
  if (!isStringArray(stopWords)) corrupt("text.stopWords must be an array of strings");
  const k = nmf.nTopics;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || raw.H.length !== k) {
    corrupt("nmf.nTopics does not match the rows of H");
  }
  const nmfProblem = checkNmf(nmf);
  if (nmfProblem !== null) corrupt(nmfProblem);
  for (const key of ["documents", "terms", "nonzeros"]) if (!isCount(corpus[key])) corrupt(`corpus.${key} must be a whole number`);
  if (typeof corpus.fingerprint !== "string") corrupt("corpus.fingerprint must be a string");
  const H = new Float64Array(k * nTerms);
  (raw.H as unknown[]).forEach((row, t) => {
    if (!Array.isArray(row) || row.length !== nTerms) corrupt(`row ${t} of H does not have ${nTerms} values`);
    for (let j = 0; j < nTerms; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) corrupt(`H[${t}][${j}] is not a non-negative number`);
      H[t * nTerms + j] = v;
    }
  });
  const idf = text_.idf ?? null;
  if (idf !== null && (!Array.isArray(idf) || idf.length !== nTerms || !idf.every((v) => isFiniteNumber(v) && v > 0))) {
    corrupt(`text.idf must be ${nTerms} positive numbers, one per term`);
  }
  // A null idf with tfidf weighting only matters to transform, whose vectorizer refuses it (exit 3).
  const displayTerms = isStringArray(text_.displayTerms) && text_.displayTerms.length === nTerms ? text_.displayTerms : vocabulary;
  const topicsProblem = checkTopics(raw.topics as unknown[], k, nTerms);
  if (topicsProblem !== null) corrupt(topicsProblem);
  const topics = (raw.topics as Record<string, unknown>[]).map((t) => ({
    id: t.id as number,
    share: t.share as number,
    npmi: t.npmi === null ? Number.NaN : (t.npmi as number),
    top: (t.top as number[]).slice(),
  }));
  const topWords = raw.topWords;
  return {
    schema,
    version: String(raw.version ?? ""),
    text: {
      options,
      stopWords,
      vocabulary,
      idf: idf as number[] | null,
      displayTerms,
    },
    nmf: nmf as unknown as Model["nmf"],
    topWords: typeof topWords === "number" && Number.isInteger(topWords) && topWords >= 1 ? topWords : 10,
    corpus: corpus as unknown as Model["corpus"],
    topics,
    H,
  };
}
