/**
 * Texts -> TF-IDF document-term matrix X (documents x terms, CSR), identical to scikit-learn 1.2.1's
 * `TfidfVectorizer` with the same options: lowercase, tokenize, drop stop words (and, with our extra
 * options, numbers), stem, word n-grams, count, prune by document frequency and `maxFeatures`, sort the
 * vocabulary, weight, normalise rows.
 */
import { InputError, UsageError } from "../errors.js";
import type { ColumnRows, CsrMatrix } from "../linalg/types.js";
import { computeDocumentCountBounds, type TextOptions, validateTextOptions } from "./options.js";
import { loadStemmer, type Stem } from "./stem.js";
import { resolveStopWords } from "./stop-words.js";
import { sortIdsByTerm } from "./term-order.js";
import { TermTable } from "./term-table.js";
import {
  createTokenizer,
  type IdBuffer,
  isNumberToken,
  primeTermScanner,
  scanTermIdsInto,
  type TokenizeInto,
} from "./tokenize.js";
import {
  type CountedTerms,
  type CountEntries,
  type CountsMatrix,
  type SortedTerms,
  TextModuleMemoryError,
  WasmTermCounter,
  wasmCounterAvailable,
} from "./wasm-counter.js";

/** Everything needed to vectorize new texts exactly like the fitting corpus. Plain JSON (model file). */
export interface VectorizerState {
  /** The options of the fit (a copy). */
  options: TextOptions;
  /** Resolved stop words, lowercased, sorted by code unit. */
  stopWords: string[];
  /** Terms (stems with `stem`; n-grams joined by one space), sorted by UTF-16 code unit; column j = vocabulary[j]. */
  vocabulary: string[];
  /** Smooth idf of each column, `ln((1 + nDocs) / (1 + df)) + 1`, or null unless weighting is "tfidf". */
  idf: number[] | null;
  /** What to show for each term: with `stem`, each stem's most frequent surface form in the fitting
   * corpus (ties: lowest code unit; n-grams: the forms of their words), else the term itself. */
  displayTerms: string[];
}

/** Result of {@link fitVectorizer}. */
export interface FitVectorizerResult {
  /** nDocs x nTerms, columns sorted within each row. */
  X: CsrMatrix;
  state: VectorizerState;
  /** Number of fitting documents containing each term (after pruning), length nTerms. */
  documentFrequency: Int32Array;
  /** Rows left without any term after pruning (their row of X is empty), ascending. */
  emptyDocuments: number[];
  /** The documents of each column of X, ascending (X's pattern by column: every stored value is positive). */
  columns: ColumnRows;
}

/** Turns one raw text into its terms (appended to `out`, which is cleared first). */
type Analyze = (text: string, out: string[]) => void;

/**
 * Builds the analyzer: lowercase, tokenize, drop stop words and (with `dropNumbers`) digit-only
 * tokens, stem, then word n-grams for n = minN..maxN (scikit-learn's `_word_ngrams` order: all
 * unigrams, then all bigrams, ...). `tally` (if any) counts every kept token with its stem.
 */
function createAnalyzer(
  options: TextOptions,
  stopWords: ReadonlySet<string>,
  stem: Stem | null,
  tally: SurfaceTally | null,
): Analyze {
  const tokenizeInto: TokenizeInto = createTokenizer(options.tokenPattern);
  const { dropNumbers } = options;
  const [minN, maxN] = options.ngramRange;
  const filterStop = stopWords.size > 0;
  const tokens: string[] = [];
  return (text: string, out: string[]) => {
    out.length = 0;
    const target = maxN === 1 ? out : tokens;
    target.length = 0;
    tokenizeInto(text.toLowerCase(), target);
    if (filterStop || dropNumbers || stem !== null) {
      let kept = 0;
      for (let i = 0; i < target.length; i++) {
        const token = target[i];
        if (filterStop && stopWords.has(token)) continue;
        if (dropNumbers && isNumberToken(token)) continue;
        if (stem !== null) {
          const stemmed = stem(token);
          if (tally !== null) tally.add(token, stemmed, 1);
          target[kept++] = stemmed;
        } else {
          target[kept++] = token;
        }
      }
      target.length = kept;
    }
    if (maxN === 1) return;
    const nTokens = tokens.length;
    if (minN === 1) for (let i = 0; i < nTokens; i++) out.push(tokens[i]);
    for (let n = Math.max(minN, 2); n <= Math.min(maxN, nTokens); n++) {
      for (let i = 0; i + n <= nTokens; i++) {
        let gram = tokens[i];
        for (let k = 1; k < n; k++) gram += " " + tokens[i + k];
        out.push(gram);
      }
    }
  };
}

function growInt32(a: Int32Array, minLength: number): Int32Array {
  let length = a.length;
  while (length < minLength) length *= 2;
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, minLength: number): Float64Array {
  let length = a.length;
  while (length < minLength) length *= 2;
  const b = new Float64Array(length);
  b.set(a);
  return b;
}

/** Counts as (term id, count) entries, row r in `[rowStart[r], rowStart[r + 1])`, in order of first occurrence. */
interface RawCounts {
  nRows: number;
  rowStart: Int32Array;
  termIds: Int32Array;
  counts: Int32Array;
  nnz: number;
}

/**
 * Reorders raw count entries into a CSR matrix with columns sorted within rows, mapping term ids to
 * columns with `columnOf` (-1 = dropped). Two counting-sort passes (rows -> columns -> rows), linear
 * in nnz + nCols. Values are the counts as float64. `columnCounts` (entries per column, when the
 * caller knows them: the document frequencies) saves the pass that counts them.
 */
function buildSortedCsr(
  raw: RawCounts,
  columnOf: Int32Array | null,
  nCols: number,
  columnCounts: Int32Array | null,
): CountsMatrix {
  const { nRows, rowStart, termIds, counts } = raw;
  const colStart = new Int32Array(nCols + 1);
  if (columnCounts !== null) {
    colStart.set(columnCounts, 1);
  } else {
    for (let e = 0; e < raw.nnz; e++) {
      const c = columnOf === null ? termIds[e] : columnOf[termIds[e]];
      if (c >= 0) colStart[c + 1]++;
    }
  }
  for (let c = 0; c < nCols; c++) colStart[c + 1] += colStart[c];
  const nnz = colStart[nCols];
  const rowCount = new Int32Array(nRows + 1);
  const cscRows = new Int32Array(nnz);
  const cscCounts = new Int32Array(nnz);
  const next = colStart.slice(0, nCols);
  for (let r = 0; r < nRows; r++) {
    for (let e = rowStart[r]; e < rowStart[r + 1]; e++) {
      const c = columnOf === null ? termIds[e] : columnOf[termIds[e]];
      if (c >= 0) {
        const p = next[c]++;
        cscRows[p] = r;
        cscCounts[p] = counts[e];
        rowCount[r + 1]++;
      }
    }
  }
  for (let r = 0; r < nRows; r++) rowCount[r + 1] += rowCount[r];
  const indptr = rowCount;
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  const rowNext = indptr.slice(0, nRows);
  for (let c = 0; c < nCols; c++) {
    for (let p = colStart[c]; p < colStart[c + 1]; p++) {
      const q = rowNext[cscRows[p]]++;
      indices[q] = c;
      data[q] = cscCounts[p];
    }
  }
  return { X: { nRows, nCols, indptr, indices, data }, columns: { start: colStart, rows: cscRows } };
}

/**
 * Smooth idf as scikit-learn computes it (float64): `ln((nDocs + 1) / (df + 1)) + 1`.
 */
export function computeSmoothIdf(documentFrequency: Int32Array, nDocs: number): Float64Array {
  const idf = new Float64Array(documentFrequency.length);
  const n = nDocs + 1;
  for (let j = 0; j < idf.length; j++) idf[j] = Math.log(n / (documentFrequency[j] + 1)) + 1;
  return idf;
}

/**
 * Turns the raw counts in `X.data` into weights, in place, in scikit-learn's operation order:
 * tf = count (`binary`: 1); `sublinearTf`: tf = ln(tf) + 1; `tfidf`: w = tf * idf[j]; then per row
 * `l2`: w / sqrt(sum of w^2) or `l1`: w / sum |w|, summed in column order (rows summing to 0 are left
 * as they are). Not bit for bit scikit-learn's, by design: it sums a row in the order its sparse
 * product leaves it (reverse order of the terms' first appearance in the corpus), and numpy's SIMD
 * log differs from Math.log in the last bit for about one argument in five on AVX-512 machines. The
 * values agree within a few units in the last place (at most 5.3e-15 on 20 Newsgroups), and column
 * order makes `transformTexts` on the fitting texts reproduce X exactly.
 */
export function applyWeightingInPlace(X: CsrMatrix, options: TextOptions, idf: Float64Array | null): void {
  const { indptr, indices, data, nRows } = X;
  const binary = options.weighting === "binary";
  const useIdf = options.weighting === "tfidf";
  if (useIdf && idf === null) throw new Error("tfidf weighting needs an idf vector");
  const sublinear = options.sublinearTf;
  for (let p = 0; p < data.length; p++) {
    let w = binary ? 1 : data[p];
    if (sublinear) w = Math.log(w) + 1;
    if (useIdf) w *= (idf as Float64Array)[indices[p]];
    data[p] = w;
  }
  if (options.norm === "none") return;
  const l2 = options.norm === "l2";
  for (let r = 0; r < nRows; r++) {
    const start = indptr[r];
    const end = indptr[r + 1];
    let sum = 0;
    if (l2) for (let p = start; p < end; p++) sum += data[p] * data[p];
    else for (let p = start; p < end; p++) sum += Math.abs(data[p]);
    if (sum === 0) continue;
    const norm = l2 ? Math.sqrt(sum) : sum;
    for (let p = start; p < end; p++) data[p] /= norm;
  }
}

function copyOptions(options: TextOptions): TextOptions {
  return { ...options, ngramRange: [options.ngramRange[0], options.ngramRange[1]] };
}

/**
 * Counts of the surface tokens of the fitting corpus and the stem of each, to choose what to display
 * for each stem.
 */
class SurfaceTally {
  readonly counts = new Map<string, number>();
  readonly stemOf = new Map<string, string>();

  add(surface: string, stemmed: string, count: number): void {
    const seen = this.counts.get(surface);
    if (seen === undefined) {
      this.counts.set(surface, count);
      this.stemOf.set(surface, stemmed);
    } else {
      this.counts.set(surface, seen + count);
    }
  }
}

/**
 * Source of each document's term ids (ids in `table`): `idsOf` writes them into `out.ids` and returns
 * how many; `finish` completes the surface tally once all documents are seen. Stop words never come
 * out. The fast path (the default token pattern and unigrams, with or without stemming) scans the text
 * and looks tokens up as it reads them; the general path builds term strings first.
 */
interface IdSource {
  idsOf: (text: string, out: IdBuffer) => number;
  finish: () => void;
}

function createIdSource(
  options: TextOptions,
  table: TermTable,
  insert: boolean,
  stopWords: readonly string[],
  stem: Stem | null,
  tally: SurfaceTally | null,
  forceGeneral: boolean,
): IdSource {
  const { dropNumbers } = options;
  const fast = options.tokenPattern === null && options.ngramRange[0] === 1 && options.ngramRange[1] === 1;
  if (fast && !forceGeneral) primeTermScanner();
  if (fast && !forceGeneral && stem === null) {
    if (insert && table.size !== 0) throw new Error("the stop words must go into an empty table");
    // When fitting, stop words take the first ids so that one lookup both finds and rejects them;
    // when transforming they are simply not in the vocabulary.
    if (insert) for (const word of stopWords) table.findOrInsert(word);
    const stopIds = insert ? table.size : 0;
    return {
      idsOf: (text, out) => scanTermIdsInto(text.toLowerCase(), table, insert, stopIds, dropNumbers, out),
      finish: () => {},
    };
  }
  if (fast && !forceGeneral && stem !== null) {
    // Surface tokens get ids in their own table (stop words first); each surface is stemmed once and
    // its stem looked up once in `table`.
    const surfaces = new TermTable(1 << 14);
    for (const word of stopWords) surfaces.findOrInsert(word);
    const stopIds = surfaces.size;
    let termOfSurface: Int32Array = new Int32Array(1 << 14).fill(-2); // -2: not stemmed yet
    let surfaceCount: Int32Array = new Int32Array(1 << 14);
    return {
      idsOf: (text, out) => {
        const n = scanTermIdsInto(text.toLowerCase(), surfaces, true, stopIds, dropNumbers, out);
        if (surfaces.size > termOfSurface.length) {
          let length = termOfSurface.length;
          while (length < surfaces.size) length *= 2;
          const grownTerms = new Int32Array(length).fill(-2);
          grownTerms.set(termOfSurface);
          termOfSurface = grownTerms;
          surfaceCount = growInt32(surfaceCount, length);
        }
        const ids = out.ids;
        let count = 0;
        for (let i = 0; i < n; i++) {
          const surfaceId = ids[i];
          let termId = termOfSurface[surfaceId];
          if (termId === -2) {
            const stemmed = stem(surfaces.terms[surfaceId]);
            termId = insert ? table.findOrInsert(stemmed) : table.find(stemmed);
            termOfSurface[surfaceId] = termId;
          }
          surfaceCount[surfaceId]++;
          if (termId >= 0) ids[count++] = termId;
        }
        return count;
      },
      finish: () => {
        if (tally === null) return;
        for (let id = stopIds; id < surfaces.size; id++) {
          if (surfaceCount[id] > 0) tally.add(surfaces.terms[id], table.terms[termOfSurface[id]], surfaceCount[id]);
        }
      },
    };
  }
  const analyze = createAnalyzer(options, new Set(stopWords), stem, tally);
  const terms: string[] = [];
  return {
    idsOf: (text, out) => {
      analyze(text, terms);
      let ids = out.ids;
      if (ids.length < terms.length) {
        ids = new Int32Array(Math.max(terms.length, 2 * ids.length));
        out.ids = ids;
      }
      let count = 0;
      for (let i = 0; i < terms.length; i++) {
        const id = insert ? table.findOrInsert(terms[i]) : table.find(terms[i]);
        if (id >= 0) ids[count++] = id;
      }
      return count;
    },
    finish: () => {},
  };
}

/** The vocabulary of a fitting corpus after pruning, and what vectorizing needs from it. */
export interface ResolvedVocabulary {
  state: VectorizerState;
  /** Column of each raw term id of the counter's table, -1 when pruned (or a stop word). */
  columnOf: Int32Array;
  /** Documents containing each kept term, length nTerms. */
  documentFrequency: Int32Array;
  /** Smooth idf (weighting "tfidf"), else null. */
  idf: Float64Array | null;
}

/**
 * Distinct raw terms and (term, document) entries that counting makes room for at first (7 MB in
 * all). Growing is cheap, but it runs code for the first time in the middle of the hot loop, and V8
 * then throws the loop's optimised code away and optimises it again: on BBC (29,000 raw terms,
 * 322,000 entries), starting at 16,384 terms and 65,536 entries cost 25 ms of a 100 ms count, and
 * 262,144 entries 3 ms more. (primeTermScanner does the same for the scanner's rare branches.)
 */
const EXPECTED_TERMS = 1 << 16;
const EXPECTED_ENTRIES = 1 << 19;
/** The most entries reserved up front (512 MB of the WebAssembly memory's 4 GiB); more are grown. */
const MAX_RESERVED_ENTRIES = 1 << 26;

/**
 * Entries the WebAssembly loop reserves for a corpus whose {@link entryBound} is `bound`: a third
 * of it, more than real texts make (a term recurs, and words average more than two letters: BBC
 * 322,000 of a bound of 1.7 M, 20 Newsgroups 1.3 M of 7.4 M). Reserving the whole bound cost BBC
 * 5 ms (the memory grows by 13 MB at once, which V8 counts as external memory); growing past a
 * low guess costs copies.
 */
function reservedEntries(bound: number): number {
  return Math.max(EXPECTED_ENTRIES, Math.min(Math.ceil(bound / 3), MAX_RESERVED_ENTRIES));
}

/**
 * At most how many (document, term) entries `texts` make: a token is at least two code points
 * (at least two code units), and two tokens are apart by at least one, so a text of n code units
 * holds at most (n + 1) / 3 of them.
 */
function entryBound(texts: readonly string[]): number {
  let bound = 0;
  for (let d = 0; d < texts.length; d++) bound += Math.floor((texts[d].length + 1) / 3);
  return bound;
}

/**
 * Which counting loop a {@link VocabularyCounter} runs. All give the same result; tests compare them.
 * - "auto": the WebAssembly loop (wasm-counter.ts) for the default analyzer without stemming when
 *   the module is there, else "scanner";
 * - "scanner": the JavaScript scanner for the default token pattern and unigrams (scanTermIdsInto),
 *   else "general";
 * - "general": term strings from the analyzer, then looked up.
 */
export type CountingPath = "auto" | "scanner" | "general";

/** One counting loop: documents in, raw term ids, counts and entries out. */
interface CountingCore {
  /** Counts one document; with `keepEntries` appends its entries. Returns the number of entries so far. */
  countDocument(text: string, keepEntries: boolean): number;
  /** Number of raw terms, and of stop words among them (ids below `firstTerm`). */
  termCounts(): { nRaw: number; firstTerm: number };
  /** The kept terms sorted (see WasmTermCounter.sortedTerms), or null: the caller then uses {@link finish}. */
  sortedTerms(minCount: number, maxCount: number, maxFeatures: number | null, byDocuments: boolean): SortedTerms | null;
  /** The raw terms and their counts, once the last document is counted. */
  finish(): CountedTerms;
  /** The entries of the documents counted with `keepEntries`. */
  entries(): CountEntries;
  /** The counts matrix of the entries (see WasmTermCounter.buildMatrix). */
  buildMatrix(rowStart: Int32Array, columnOf: Int32Array, nCols: number, columnCounts: Int32Array): CountsMatrix;
  /** Weights that matrix in place, or returns false: the caller then does (see WasmTermCounter.weightMatrix). */
  weightMatrix(nRows: number, options: TextOptions, idf: Float64Array | null): boolean;
}

/** The JavaScript counting loops ("scanner" and "general"), over a {@link TermTable}. */
class TableCountingCore implements CountingCore {
  private readonly table = new TermTable(EXPECTED_TERMS);
  private readonly idsOf: IdSource["idsOf"];
  private readonly finishSource: IdSource["finish"];
  /** Ids below firstTerm are stop words that never reach the counts. */
  private readonly firstTerm: number;
  private nDocs = 0;
  private termCapacity: number;
  private lastDoc: Int32Array;
  private slotOf: Int32Array;
  private docFreq: Int32Array;
  private totalCount: Float64Array;
  private readonly docIds: IdBuffer = { ids: new Int32Array(1 << 12) };
  /** Allocated at the first document counted with entries (the streaming pass keeps none). */
  private entryIds: Int32Array = new Int32Array(0);
  private entryCounts: Int32Array = new Int32Array(0);
  private nnz = 0;

  constructor(options: TextOptions, stopWords: string[], stem: Stem | null, tally: SurfaceTally | null, forceGeneral: boolean) {
    const source = createIdSource(options, this.table, true, stopWords, stem, tally, forceGeneral);
    this.idsOf = source.idsOf;
    this.finishSource = source.finish;
    this.firstTerm = this.table.size;
    this.termCapacity = Math.max(EXPECTED_TERMS, 2 * this.table.size);
    this.lastDoc = new Int32Array(this.termCapacity).fill(-1);
    this.slotOf = new Int32Array(this.termCapacity);
    this.docFreq = new Int32Array(this.termCapacity);
    this.totalCount = new Float64Array(this.termCapacity);
  }

  countDocument(text: string, keepEntries: boolean): number {
    const d = this.nDocs++;
    const nTokens = this.idsOf(text, this.docIds);
    const ids = this.docIds.ids;
    const table = this.table;
    if (table.size > this.termCapacity) {
      let capacity = this.termCapacity;
      while (capacity < table.size) capacity *= 2;
      const grownLast = new Int32Array(capacity).fill(-1);
      grownLast.set(this.lastDoc);
      this.lastDoc = grownLast;
      this.slotOf = growInt32(this.slotOf, capacity);
      this.docFreq = growInt32(this.docFreq, capacity);
      this.totalCount = growFloat64(this.totalCount, capacity);
      this.termCapacity = capacity;
    }
    const { lastDoc, docFreq, totalCount } = this;
    if (!keepEntries) {
      for (let i = 0; i < nTokens; i++) {
        const id = ids[i];
        totalCount[id]++;
        if (lastDoc[id] !== d) {
          lastDoc[id] = d;
          docFreq[id]++;
        }
      }
      return this.nnz;
    }
    if (this.entryIds.length === 0) {
      this.entryIds = new Int32Array(EXPECTED_ENTRIES);
      this.entryCounts = new Int32Array(EXPECTED_ENTRIES);
    }
    if (this.nnz + nTokens > this.entryIds.length) {
      this.entryIds = growInt32(this.entryIds, this.nnz + nTokens);
      this.entryCounts = growInt32(this.entryCounts, this.nnz + nTokens);
    }
    const slotOf = this.slotOf;
    const entryIds = this.entryIds;
    const entryCounts = this.entryCounts;
    let nnz = this.nnz;
    for (let i = 0; i < nTokens; i++) {
      const id = ids[i];
      totalCount[id]++;
      if (lastDoc[id] !== d) {
        lastDoc[id] = d;
        slotOf[id] = nnz;
        entryIds[nnz] = id;
        entryCounts[nnz] = 1;
        nnz++;
        docFreq[id]++;
      } else {
        entryCounts[slotOf[id]]++;
      }
    }
    this.nnz = nnz;
    return nnz;
  }

  termCounts(): { nRaw: number; firstTerm: number } {
    return { nRaw: this.table.size, firstTerm: this.firstTerm };
  }

  sortedTerms(): SortedTerms | null {
    return null;
  }

  weightMatrix(): boolean {
    return false;
  }

  buildMatrix(rowStart: Int32Array, columnOf: Int32Array, nCols: number, columnCounts: Int32Array): CountsMatrix {
    const nRows = rowStart.length - 1;
    const raw = { nRows, rowStart, termIds: this.entryIds, counts: this.entryCounts, nnz: this.nnz };
    return buildSortedCsr(raw, columnOf, nCols, columnCounts);
  }

  finish(): CountedTerms {
    this.finishSource();
    return { terms: this.table.terms, firstTerm: this.firstTerm, docFreq: this.docFreq, totalCount: this.totalCount };
  }

  entries(): CountEntries {
    return { ids: this.entryIds, counts: this.entryCounts, nnz: this.nnz };
  }
}

/**
 * The counting half of {@link fitVectorizer}, one document at a time: the analyzer's term ids of each
 * text, document frequency and total count of every term, and (when asked) each document's
 * (term id, count) entries. {@link VocabularyCounter.resolve} then prunes and sorts the vocabulary
 * exactly as scikit-learn does. `fitVectorizer` and the streaming first pass (`text/stream.ts`) both
 * use it, so a corpus counted document by document gets the same state as one counted at once.
 * Memory: the table of distinct raw terms and three numbers per raw term, never the texts.
 */
export class VocabularyCounter {
  readonly options: TextOptions;
  /** Resolved stop words, sorted. */
  readonly stopWords: string[];
  /** Documents counted. */
  nDocs = 0;
  private readonly tally: SurfaceTally | null;
  private readonly core: CountingCore;

  /**
   * @param path the counting loop (tests compare them; all give the same result).
   * @param entriesBound at most how many entries the documents counted with entries will make,
   *   when the caller knows (see {@link entryBound}): the WebAssembly loop then reserves room for
   *   about as many as they will make ({@link reservedEntries}) instead of growing by copies (its
   *   memory is never given back: at 10x 20 Newsgroups the copies touched 180 MB more).
   */
  constructor(options: TextOptions, path: CountingPath = "auto", entriesBound = 0) {
    validateTextOptions(options);
    this.options = copyOptions(options);
    this.stopWords = resolveStopWords(options);
    const stem = options.stem ? loadStemmer(options.lang) : null;
    this.tally = stem !== null ? new SurfaceTally() : null;
    const defaultAnalyzer =
      options.tokenPattern === null && options.ngramRange[0] === 1 && options.ngramRange[1] === 1 && stem === null;
    this.core =
      path === "auto" && defaultAnalyzer && wasmCounterAvailable()
        ? new WasmTermCounter(this.stopWords, options.dropNumbers, EXPECTED_TERMS, reservedEntries(entriesBound))
        : new TableCountingCore(this.options, this.stopWords, stem, this.tally, path === "general");
  }

  /**
   * Counts one document. With `keepEntries`, appends its distinct terms as (id, count) entries in
   * order of first occurrence (the raw rows of X). Returns the number of entries so far.
   */
  countDocument(text: string, keepEntries: boolean): number {
    this.nDocs++;
    return this.core.countDocument(text, keepEntries);
  }

  /** The entries of the documents counted with `keepEntries`, in document order. */
  entries(): CountEntries {
    return this.core.entries();
  }

  /**
   * The counts matrix (nRows x nCols CSR, columns ascending within rows) of the documents counted
   * with entries, `rowStart` being what countDocument returned, raw term t in column columnOf[t]
   * (-1: dropped), with columnCounts[c] entries in column c (the document frequencies); and the
   * rows of each column.
   */
  buildMatrix(rowStart: Int32Array, columnOf: Int32Array, nCols: number, columnCounts: Int32Array): CountsMatrix {
    return this.core.buildMatrix(rowStart, columnOf, nCols, columnCounts);
  }

  /** Weights the matrix of {@link buildMatrix} in place as {@link applyWeightingInPlace} does. */
  weightMatrix(X: CsrMatrix, idf: Float64Array | null): void {
    if (!this.core.weightMatrix(X.nRows, this.options, idf)) applyWeightingInPlace(X, this.options, idf);
  }

  /**
   * Prunes and sorts the vocabulary of the documents counted so far (scikit-learn's rules, see
   * {@link fitVectorizer}) and builds the state. Call once, after the last document.
   * @throws InputError when no document was counted or no term remains; UsageError when --max-df
   *   allows fewer documents than --min-df.
   */
  resolve(): ResolvedVocabulary {
    const nDocs = this.nDocs;
    const options = this.options;
    if (nDocs === 0) throw new InputError("The corpus is empty: give at least one document");
    const { nRaw, firstTerm } = this.core.termCounts();
    if (nRaw === firstTerm) {
      throw new InputError(
        `No terms found in ${nDocs} documents: they are empty or contain only stop words (check --stop-words, --token-pattern, --drop-numbers)`,
      );
    }
    // Prune by document frequency, then maxFeatures.
    const { minDf, maxDf, maxFeatures } = options;
    const { minCount, maxCount } = computeDocumentCountBounds(minDf, maxDf, nDocs);
    if (maxCount < minCount) {
      throw new UsageError(
        `--max-df ${maxDf} corresponds to fewer documents (${maxCount}) than --min-df ${minDf} (${minCount}) in ${nDocs} documents: raise --max-df or lower --min-df`,
      );
    }
    let sorted = this.core.sortedTerms(minCount, maxCount, maxFeatures, options.weighting === "binary");
    if (sorted === null) {
      const { terms, docFreq, totalCount } = this.core.finish();
      let kept: number[] = [];
      for (let id = firstTerm; id < nRaw; id++) {
        const df = docFreq[id];
        if (df >= minCount && df <= maxCount) kept.push(id);
      }
      if (maxFeatures !== null && kept.length > maxFeatures) {
        const frequency = options.weighting === "binary" ? docFreq : totalCount;
        kept.sort((a, b) => frequency[b] - frequency[a] || (terms[a] < terms[b] ? -1 : 1));
        kept = kept.slice(0, maxFeatures);
      }
      if (kept.length === 0) {
        throw new InputError(
          `After pruning, no terms remain: try a lower --min-df or a higher --max-df (${nDocs} documents, ${nRaw - firstTerm} distinct terms, --min-df ${minDf} = ${minCount} documents, --max-df ${maxDf} = ${maxCount} documents)`,
        );
      }
      const order = sortIdsByTerm(kept, terms);
      sorted = { order, vocabulary: Array.from(order, (id) => terms[id]), docFreq };
    }
    const { order, vocabulary, docFreq } = sorted;
    const nCols = order.length;
    const columnOf = new Int32Array(nRaw).fill(-1);
    const documentFrequency = new Int32Array(nCols);
    for (let j = 0; j < nCols; j++) {
      const id = order[j];
      columnOf[id] = j;
      documentFrequency[j] = docFreq[id];
    }
    const idf = options.weighting === "tfidf" ? computeSmoothIdf(documentFrequency, nDocs) : null;
    const displayTerms = this.tally !== null ? chooseDisplayTerms(vocabulary, this.tally) : vocabulary.slice();
    const state: VectorizerState = {
      options: copyOptions(options),
      stopWords: this.stopWords,
      vocabulary,
      idf: idf === null ? null : Array.from(idf),
      displayTerms,
    };
    return { state, columnOf, documentFrequency, idf };
  }
}

/**
 * Learns the vocabulary and idf of `texts` and returns their TF-IDF matrix X (nDocs x nTerms, CSR,
 * columns sorted within rows) with the state that {@link transformTexts} needs.
 *
 * Pruning is scikit-learn's: `maxCount = maxDf` if maxDf is an integer > 1 else `maxDf * nDocs`,
 * `minCount = minDf` if minDf is an integer >= 1 else `minDf * nDocs`; terms with
 * `minCount <= df <= maxCount` are kept (UsageError if maxCount < minCount). Then `maxFeatures` keeps
 * the N terms with the highest corpus frequency (total count; document count with `binary` weighting,
 * as scikit-learn's `binary=True`), ties by term in code-unit order (scikit-learn breaks ties with
 * numpy's unstable argsort, so its choice among tied terms is not defined).
 * Throws InputError when there are no documents or no terms remain.
 */
export function fitVectorizer(texts: string[], options: TextOptions): FitVectorizerResult {
  return fitVectorizerWith(texts, options, "auto");
}

/**
 * {@link fitVectorizer} with the counting loop `path` (tests compare them).
 * @internal
 */
export function fitVectorizerWith(texts: string[], options: TextOptions, path: CountingPath): FitVectorizerResult {
  validateTextOptions(options);
  if (texts.length === 0) throw new InputError("The corpus is empty: give at least one document");
  try {
    return countAndBuild(texts, options, path, entryBound(texts));
  } catch (error) {
    // Past 4 GiB the WebAssembly loop cannot go on: count again in JavaScript (the same result).
    if (!(error instanceof TextModuleMemoryError)) throw error;
    return countAndBuild(texts, options, path === "auto" ? "scanner" : path, 0);
  }
}

/** The body of {@link fitVectorizerWith}: count, resolve, build and weight X. */
function countAndBuild(texts: string[], options: TextOptions, path: CountingPath, entriesBound: number): FitVectorizerResult {
  const nDocs = texts.length;
  const counter = new VocabularyCounter(options, path, entriesBound);
  // One pass: ids of each document's terms, counted per document into (id, count) entries.
  const rowStart = new Int32Array(nDocs + 1);
  for (let d = 0; d < nDocs; d++) rowStart[d + 1] = counter.countDocument(texts[d], true);
  const { state, columnOf, documentFrequency, idf } = counter.resolve();
  const { X, columns } = counter.buildMatrix(rowStart, columnOf, state.vocabulary.length, documentFrequency);
  counter.weightMatrix(X, idf);

  const emptyDocuments: number[] = [];
  for (let r = 0; r < nDocs; r++) if (X.indptr[r + 1] === X.indptr[r]) emptyDocuments.push(r);
  return { X, state, documentFrequency, emptyDocuments, columns };
}

/**
 * Display form of each term: for each stem, its most frequent surface token (ties: lowest code unit);
 * an n-gram shows the forms of its words joined by a space.
 */
function chooseDisplayTerms(vocabulary: string[], tally: SurfaceTally): string[] {
  const best = new Map<string, { surface: string; count: number }>();
  for (const [surface, count] of tally.counts) {
    const stemmed = tally.stemOf.get(surface) as string;
    const current = best.get(stemmed);
    if (current === undefined || count > current.count || (count === current.count && surface < current.surface)) {
      best.set(stemmed, { surface, count });
    }
  }
  return vocabulary.map((term) => {
    const whole = best.get(term);
    if (whole !== undefined) return whole.surface;
    return term
      .split(" ")
      .map((part) => best.get(part)?.surface ?? part)
      .join(" ");
  });
}

/**
 * Vectorizes new texts with a fitted state: the same preprocessing, out-of-vocabulary terms ignored,
 * the state's idf, the same weighting and norm. Returns nTexts x vocabulary.length, columns sorted.
 * Transforming the fitting texts gives exactly the X of {@link fitVectorizer}.
 */
export function transformTexts(texts: string[], state: VectorizerState): CsrMatrix {
  return transformTextsWith(texts, state, false);
}

/**
 * {@link transformTexts}; `forceGeneral` turns off the fast scanner (tests compare both paths).
 * @internal
 */
export function transformTextsWith(texts: string[], state: VectorizerState, forceGeneral: boolean): CsrMatrix {
  return createTextTransformer(state, forceGeneral)(texts);
}

/**
 * A reusable {@link transformTexts} for one state: the vocabulary's hash table, the analyzer and the
 * counting buffers are built once, so that vectorizing a stream batch by batch costs only the batches.
 * Each call returns the matrix of its texts (nTexts x vocabulary.length), equal to `transformTexts`.
 *
 * @throws InputError when the state is damaged (idf of the wrong length, a repeated term).
 */
export function createTextTransformer(state: VectorizerState, forceGeneral = false): (texts: string[]) => CsrMatrix {
  const { options, vocabulary } = state;
  validateTextOptions(options);
  const nCols = vocabulary.length;
  let idf: Float64Array | null = null;
  if (options.weighting === "tfidf") {
    if (state.idf === null || state.idf.length !== nCols) {
      throw new InputError("The model's idf does not match its vocabulary: the model file is damaged");
    }
    idf = Float64Array.from(state.idf);
  }
  // Column j has id j; stop words need no entry (they are never in the vocabulary).
  const table = new TermTable(nCols);
  for (let j = 0; j < nCols; j++) {
    if (table.findOrInsert(vocabulary[j]) !== j) {
      throw new InputError(`The model's vocabulary repeats "${vocabulary[j]}": the model file is damaged`);
    }
  }
  const stem = options.stem ? loadStemmer(options.lang) : null;
  const { idsOf } = createIdSource(options, table, false, state.stopWords, stem, null, forceGeneral);
  const lastDoc = new Int32Array(nCols).fill(-1);
  const slotOf = new Int32Array(nCols);
  let entryCols: Int32Array = new Int32Array(1 << 12);
  let entryCounts: Int32Array = new Int32Array(1 << 12);
  const docIds: IdBuffer = { ids: new Int32Array(1 << 12) };
  // Documents of earlier calls keep their numbers, so lastDoc never needs clearing.
  let docBase = 0;

  return (texts: string[]): CsrMatrix => {
    const nRows = texts.length;
    if (docBase + nRows > 0x7fffffff) {
      lastDoc.fill(-1);
      docBase = 0;
    }
    const rowStart = new Int32Array(nRows + 1);
    let nnz = 0;
    for (let r = 0; r < nRows; r++) {
      const d = docBase + r;
      const nTokens = idsOf(texts[r], docIds);
      const ids = docIds.ids;
      if (nnz + nTokens > entryCols.length) {
        entryCols = growInt32(entryCols, nnz + nTokens);
        entryCounts = growInt32(entryCounts, nnz + nTokens);
      }
      for (let i = 0; i < nTokens; i++) {
        const j = ids[i];
        if (lastDoc[j] !== d) {
          lastDoc[j] = d;
          slotOf[j] = nnz;
          entryCols[nnz] = j;
          entryCounts[nnz] = 1;
          nnz++;
        } else {
          entryCounts[slotOf[j]]++;
        }
      }
      rowStart[r + 1] = nnz;
    }
    docBase += nRows;
    const { X } = buildSortedCsr({ nRows, rowStart, termIds: entryCols, counts: entryCounts, nnz }, null, nCols, null);
    applyWeightingInPlace(X, options, idf);
    return X;
  };
}
