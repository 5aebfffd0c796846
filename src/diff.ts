/**
 * Comparing the topics of two runs or models (`nmf-topics diff`): parse each side, build its
 * topic-term weight vectors, align them by cosine similarity over the shared vocabulary with the
 * Hungarian matching, and list matched pairs (with the top words that came and went), new topics
 * (only in b) and vanished topics (only in a).
 *
 * What is compared:
 * - two model files (`nmf-topics/model@1`, full H): the full rows of H, over the terms both
 *   vocabularies share;
 * - otherwise (at least one side is a run JSON: `fit@1`, `transform@1`, `topics@1`, which hold only
 *   each topic's top words and their weights): every topic is a sparse vector over its top words;
 *   a model side is cut to its N top words per topic, N being the longest word list of the run
 *   side, so a model and the run JSON of the same fit compare as identical. The cosine runs over
 *   all the words of both sides: a word missing from one side's top lists weighs 0 there.
 * A pair with similarity 0 shares no weighted word: it is reported as one vanished and one new
 * topic rather than as a match.
 *
 * Library code: parses text handed to it, never reads files or prints.
 */
import { InputError } from "./errors.js";
import { alignTopics, type TopicWeights } from "./eval/index.js";
import { parseModel } from "./model.js";
import { topTermIndices } from "./nmf/index.js";

/** Schemas of run JSON files diff reads (major version 1). */
export const RUN_SCHEMAS = ["nmf-topics/fit@1", "nmf-topics/transform@1", "nmf-topics/topics@1"] as const;
export const MODEL_SCHEMA_NAME = "nmf-topics/model@1";

/** One topic of a side: its id in the file and its top words (weight descending). */
export interface DiffTopic {
  id: number;
  words: string[];
}

/** One side of a diff, as parsed. */
export interface DiffSide {
  /** The schema of the file (e.g. `nmf-topics/fit@1`). */
  schema: string;
  /** "run": only top words and weights; "model": the full H. */
  kind: "run" | "model";
  /** Corpus fingerprint recorded in the file, or null. */
  fingerprint: string | null;
  /** The file's own `hash`, or null (models have none). */
  hash: string | null;
  topics: DiffTopic[];
  /** Terms (display terms; duplicates merged) and topics x terms weights, row r = topics[r]. */
  weights: TopicWeights;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fail(name: string, what: string): never {
  throw new InputError(`${name}: ${what}`);
}

/**
 * Builds topic x term weights from per-topic (term, weight) lists: columns are the distinct terms
 * in order of first appearance; a term listed twice in a topic has its weights added.
 */
export function buildSparseWeights(lists: readonly (readonly { term: string; weight: number }[])[]): TopicWeights {
  const column = new Map<string, number>();
  const terms: string[] = [];
  for (const list of lists) {
    for (const { term } of list) {
      if (!column.has(term)) {
        column.set(term, terms.length);
        terms.push(term);
      }
    }
  }
  const k = lists.length;
  const weights = new Float64Array(k * terms.length);
  lists.forEach((list, t) => {
    for (const { term, weight } of list) weights[t * terms.length + (column.get(term) as number)] += weight;
  });
  return { terms, weights, k };
}

function parseRun(raw: Record<string, unknown>, schema: string, name: string): DiffSide {
  if (!Array.isArray(raw.topics)) fail(name, `missing the topics array of ${schema}`);
  const topics: DiffTopic[] = [];
  const lists: { term: string; weight: number }[][] = [];
  const seen = new Set<number>();
  (raw.topics as unknown[]).forEach((t, i) => {
    if (!isObject(t) || !Array.isArray(t.words)) fail(name, `topic ${i} has no words array`);
    const id = t.id;
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || seen.has(id)) {
      fail(name, `topic ${i} has a missing, invalid or repeated id`);
    }
    seen.add(id);
    const list = (t.words as unknown[]).map((w, j) => {
      if (!isObject(w) || typeof w.term !== "string" || typeof w.weight !== "number" || !Number.isFinite(w.weight) || w.weight < 0) {
        fail(name, `topic ${id}, word ${j}: expected {"term": string, "weight": number >= 0}`);
      }
      return { term: w.term, weight: w.weight };
    });
    topics.push({ id, words: list.map((w) => w.term) });
    lists.push(list);
  });
  const corpus = raw.corpus;
  return {
    schema,
    kind: "run",
    fingerprint: isObject(corpus) && typeof corpus.fingerprint === "string" ? corpus.fingerprint : null,
    hash: typeof raw.hash === "string" ? raw.hash : null,
    topics,
    weights: buildSparseWeights(lists),
  };
}

/**
 * Merges columns with the same display term (possible with `--stem`, where two stems may show the
 * same surface form) by adding their weights, so every term appears once.
 */
function mergeDuplicateTerms(displayTerms: readonly string[], H: Float64Array, k: number): TopicWeights {
  const nTerms = displayTerms.length;
  const column = new Map<string, number>();
  const target = new Int32Array(nTerms);
  const terms: string[] = [];
  for (let j = 0; j < nTerms; j++) {
    let c = column.get(displayTerms[j]);
    if (c === undefined) {
      c = terms.length;
      column.set(displayTerms[j], c);
      terms.push(displayTerms[j]);
    }
    target[j] = c;
  }
  if (terms.length === nTerms) return { terms, weights: H, k };
  const weights = new Float64Array(k * terms.length);
  for (let t = 0; t < k; t++) for (let j = 0; j < nTerms; j++) weights[t * terms.length + target[j]] += H[t * nTerms + j];
  return { terms, weights, k };
}

/** Model side: full H (columns merged by display term), topics' words = `topWords` top words. */
function modelSide(text: string, name: string): DiffSide & { H: Float64Array; displayTerms: readonly string[]; topWords: number } {
  const model = parseModel(text, name);
  const k = model.nmf.nTopics;
  const nTerms = model.text.vocabulary.length;
  const displayTerms = model.text.displayTerms;
  const weights = mergeDuplicateTerms(displayTerms, model.H, k);
  const topics: DiffTopic[] = [];
  const n = Math.min(model.topWords, nTerms);
  for (let t = 0; t < k; t++) {
    topics.push({ id: t, words: Array.from(topTermIndices(model.H, t, nTerms, n), (j) => displayTerms[j]) });
  }
  return {
    schema: model.schema,
    kind: "model",
    fingerprint: typeof model.corpus?.fingerprint === "string" ? model.corpus.fingerprint : null,
    hash: null,
    topics,
    weights,
    H: model.H,
    displayTerms,
    topWords: model.topWords,
  };
}

/** A parsed side; models keep their H to be cut to top words when compared with a run. */
export type ParsedSide = DiffSide & { H?: Float64Array; displayTerms?: readonly string[]; topWords?: number };

/**
 * Parses one side of a diff from the file's text.
 *
 * @param name the file name, used in error messages
 * @throws InputError (exit 3) naming the file when it is not JSON, has an unknown schema or is malformed
 */
export function parseDiffSide(text: string, name: string): ParsedSide {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    fail(name, `not valid JSON (${(error as Error).message}); expected the --json output of fit or a model file`);
  }
  if (!isObject(raw) || typeof raw.schema !== "string") {
    fail(name, "no schema key; expected the --json output of fit (nmf-topics/fit@1) or a model file (nmf-topics/model@1)");
  }
  const schema = raw.schema;
  if (schema.startsWith("nmf-topics/model@")) return modelSide(text, name);
  if ((RUN_SCHEMAS as readonly string[]).includes(schema)) return parseRun(raw, schema, name);
  fail(
    name,
    `cannot diff a ${JSON.stringify(schema)} file; expected one of ${[...RUN_SCHEMAS, MODEL_SCHEMA_NAME].join(", ")}`,
  );
}

/** A model side as sparse vectors of its `n` top words per topic (with their H weights). */
function cutToTopWords(side: ParsedSide, n: number): ParsedSide {
  if (side.kind !== "model" || !side.H || !side.displayTerms) return side;
  const nTerms = side.displayTerms.length;
  const k = side.weights.k;
  const m = Math.min(n, nTerms);
  const lists: { term: string; weight: number }[][] = [];
  const topics: DiffTopic[] = [];
  for (let t = 0; t < k; t++) {
    const top = topTermIndices(side.H, t, nTerms, m);
    const list = Array.from(top, (j) => ({ term: (side.displayTerms as readonly string[])[j], weight: (side.H as Float64Array)[t * nTerms + j] }));
    lists.push(list);
    topics.push({ id: t, words: list.map((w) => w.term) });
  }
  return { ...side, topics, weights: buildSparseWeights(lists) };
}

/** Both sides over the same terms (a's terms, then b's new ones), zero where a side has no weight. */
function unionOfTerms(a: TopicWeights, b: TopicWeights): [TopicWeights, TopicWeights] {
  const terms = [...a.terms];
  const seen = new Set(terms);
  for (const t of b.terms) {
    if (!seen.has(t)) {
      seen.add(t);
      terms.push(t);
    }
  }
  const widen = (w: TopicWeights): TopicWeights => {
    const column = new Map(terms.map((t, j) => [t, j]));
    const weights = new Float64Array(w.k * terms.length);
    for (let s = 0; s < w.k; s++) {
      for (let j = 0; j < w.terms.length; j++) weights[s * terms.length + (column.get(w.terms[j]) as number)] = w.weights[s * w.terms.length + j];
    }
    return { terms, weights, k: w.k };
  };
  return [widen(a), widen(b)];
}

export interface DiffPair {
  /** Topic ids (as in the files). */
  a: number;
  b: number;
  /** Cosine similarity of the two topics' weights over the shared vocabulary, in [0, 1]. */
  similarity: number;
  /** similarity >= minSimilarity */
  passed: boolean;
  /** Top words of b's topic that are not among a's (b's order). */
  added: string[];
  /** Top words of a's topic that are not among b's (a's order). */
  removed: string[];
}

export interface DiffResult {
  /** What was compared: "H" (two models, full rows) or "top-words" (sparse top-word vectors). */
  basis: "H" | "top-words";
  minSimilarity: number;
  /** Matched pairs, by a's topic id. */
  pairs: DiffPair[];
  /** Topics only in b (unmatched, or matched with similarity 0), by id. */
  added: DiffTopic[];
  /** Topics only in a, by id. */
  vanished: DiffTopic[];
  /** No pair below the threshold, nothing new, nothing vanished. */
  passed: boolean;
  /** The sides actually compared (models cut to top words when compared with a run). */
  a: DiffSide;
  b: DiffSide;
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  const set = new Set(b);
  return a.filter((w) => !set.has(w));
}

/**
 * Aligns two sides ({@link alignTopics}: cosine over the shared vocabulary, Hungarian matching
 * maximizing the total similarity) and classifies every topic.
 *
 * @param minSimilarity a matched pair passes when its similarity is >= this (default 0.8)
 */
export function diffTopics(a: ParsedSide, b: ParsedSide, minSimilarity = 0.8): DiffResult {
  const bothModels = a.kind === "model" && b.kind === "model";
  const longest = (s: ParsedSide) => s.topics.reduce((m, t) => Math.max(m, t.words.length), 0);
  const sideA = bothModels ? a : cutToTopWords(a, longest(b));
  const sideB = bothModels ? b : cutToTopWords(b, longest(a));
  // Top-word vectors: a word outside a side's top lists has weight 0 there (it is known to rank
  // lower), so cosines run over the union of both sides' words. Full H rows: a term missing from
  // a vocabulary is unknown, so only the shared vocabulary counts.
  const alignment = bothModels
    ? alignTopics(sideA.weights, sideB.weights)
    : alignTopics(...unionOfTerms(sideA.weights, sideB.weights));
  const pairs: DiffPair[] = [];
  const vanishedRows = [...alignment.unmatchedA];
  const addedRows = [...alignment.unmatchedB];
  for (const p of alignment.pairs) {
    if (!(p.similarity > 0)) {
      vanishedRows.push(p.a);
      addedRows.push(p.b);
      continue;
    }
    const ta = sideA.topics[p.a];
    const tb = sideB.topics[p.b];
    pairs.push({
      a: ta.id,
      b: tb.id,
      similarity: p.similarity,
      passed: p.similarity >= minSimilarity,
      added: minus(tb.words, ta.words),
      removed: minus(ta.words, tb.words),
    });
  }
  pairs.sort((x, y) => x.a - y.a);
  const byId = (x: DiffTopic, y: DiffTopic) => x.id - y.id;
  const vanished = vanishedRows.map((r) => sideA.topics[r]).sort(byId);
  const added = addedRows.map((r) => sideB.topics[r]).sort(byId);
  const strip = (s: ParsedSide): DiffSide => ({
    schema: s.schema,
    kind: s.kind,
    fingerprint: s.fingerprint,
    hash: s.hash,
    topics: s.topics,
    weights: s.weights,
  });
  return {
    basis: bothModels ? "H" : "top-words",
    minSimilarity,
    pairs,
    added,
    vanished,
    passed: pairs.every((p) => p.passed) && added.length === 0 && vanished.length === 0,
    a: strip(sideA),
    b: strip(sideB),
  };
}
