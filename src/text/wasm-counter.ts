/**
 * The counting loop of the default analyzer in WebAssembly (assembly/text.ts, built into
 * dist/wasm/text.wasm): each text is written as UTF-8 into the module's memory, lowercased (ASCII
 * text there, other text here with String.prototype.toLowerCase, as everywhere), and tokenized,
 * looked up and counted there; the vocabulary's sort and X (built and weighted) come from there
 * too. It gives exactly what the JavaScript loops of vectorizer.ts give: the same term ids in the
 * same order, the same counts, entries, vocabulary and matrix.
 *
 * Why: the JavaScript scanner is interpreted, then optimised, then re-optimised while a short corpus
 * is counted (BBC, 2,225 texts: about 20 ms of a 60 ms count); WebAssembly runs compiled from the
 * first text.
 */
import type { ColumnRows, CsrMatrix } from "../linalg/types.js";
import type { TextOptions } from "./options.js";
import { instantiateTextModule, type TextExports, textModuleAvailable } from "../wasm/text.js";
import { isWordCodePoint } from "./unicode-word.js";

const decimalDigit = /^\p{Nd}$/u;

/** Class bits of a non-ASCII code point for the module: 1 = word (Python's `\w`), 2 = decimal digit. */
function classifyCodePoint(codePoint: number): number {
  if (!isWordCodePoint(codePoint)) return 0;
  return decimalDigit.test(String.fromCodePoint(codePoint)) ? 3 : 1;
}

/**
 * Thrown when the module's memory cannot grow (past 4 GiB of texts, terms, entries and X): the
 * instance is then unusable, and the caller counts again with the JavaScript loop, which is
 * bounded only by the heap.
 */
export class TextModuleMemoryError extends RangeError {
  constructor() {
    super("the WebAssembly text module ran out of memory (it cannot grow past 4 GiB)");
    this.name = "TextModuleMemoryError";
  }
}

/** The module's `abort`: its only call is when its memory cannot grow. */
function abortCounting(): never {
  throw new TextModuleMemoryError();
}

/** Whether {@link WasmTermCounter} can be created here. */
export function wasmCounterAvailable(): boolean {
  return textModuleAvailable();
}

/** What counting leaves for the vocabulary's pruning and sorting. */
export interface CountedTerms {
  /** Term of each raw id; ids below `firstTerm` (the stop words) are not needed and may be "". */
  terms: string[];
  /** Ids below it are stop words, never counted. */
  firstTerm: number;
  /** Documents containing each raw term, by id. */
  docFreq: Int32Array;
  /** Occurrences of each raw term in all documents, by id. */
  totalCount: Float64Array;
}

/** The kept terms in vocabulary order, when a counting loop sorts them itself. */
export interface SortedTerms {
  /** Raw ids of the kept terms, in vocabulary order. */
  order: Int32Array;
  /** Their terms. */
  vocabulary: string[];
  /** Documents containing each raw term, by raw id. */
  docFreq: Int32Array;
}

/** The counts matrix of a corpus, and the rows of each of its columns (ascending). */
export interface CountsMatrix {
  X: CsrMatrix;
  columns: ColumnRows;
}

/** (term id, count) entries of the documents counted with entries, in document order. */
export interface CountEntries {
  ids: Int32Array;
  counts: Int32Array;
  /** Number of entries used. */
  nnz: number;
}

/**
 * One corpus's counting in a fresh module instance (its own memory, freed with it). The arrays that
 * {@link finish} and {@link entries} return are views of that memory: read them before counting
 * anything else.
 */
export class WasmTermCounter {
  private readonly exports: TextExports;
  private readonly firstTerm: number;
  /** Arena bytes taken by the stop words (the token terms start after them). */
  private readonly stopBytes: number;
  private readonly dropNumbers: number;
  private bytes: Buffer;
  private nnz = 0;

  /**
   * @param stopWords interned first, in this order, so that they take ids 0, 1, ... and are skipped.
   * @param expectedTerms, expectedEntries initial room (grown as needed).
   */
  constructor(stopWords: readonly string[], dropNumbers: boolean, expectedTerms: number, expectedEntries: number) {
    this.exports = instantiateTextModule(classifyCodePoint, abortCounting);
    this.exports.init(expectedTerms, expectedEntries);
    this.bytes = Buffer.from(this.exports.memory.buffer);
    for (const word of stopWords) this.exports.internText(this.write(word));
    this.firstTerm = this.exports.termCount();
    this.stopBytes = this.exports.termBytes();
    this.dropNumbers = dropNumbers ? 1 : 0;
  }

  /** Writes `text` as UTF-8 into the module's text buffer; returns its length in bytes. */
  private write(text: string): number {
    const room = 3 * text.length; // UTF-8 takes at most 3 bytes per UTF-16 code unit
    const at = this.exports.textBuffer(room);
    if (this.bytes.buffer !== this.exports.memory.buffer) this.bytes = Buffer.from(this.exports.memory.buffer);
    return this.bytes.write(text, at, room, "utf8");
  }

  /** Counts one text; with `keepEntries`, appends its entries. Returns the entries so far. */
  countDocument(text: string, keepEntries: boolean): number {
    let length = this.write(text);
    // More bytes than code units: not ASCII, lowercased here (ASCII letters are lowercased there).
    if (length !== text.length) length = this.write(text.toLowerCase());
    this.nnz = this.exports.countText(length, this.firstTerm, this.dropNumbers, keepEntries ? 1 : 0);
    return this.nnz;
  }

  /** Number of raw terms, and of stop words among them (ids below `firstTerm`). */
  termCounts(): { nRaw: number; firstTerm: number } {
    return { nRaw: this.exports.termCount(), firstTerm: this.firstTerm };
  }

  /**
   * The ids of the token terms whose document frequency is in [minCount, maxCount], then only the
   * `maxFeatures` most frequent (total count, or document frequency with `byDocuments`; ties by
   * term), sorted by term, with their terms: decoded once, in order, without a string for every
   * raw term. Null when there are none, or when a term has a code point above U+FFFF (UTF-8 byte
   * order is then not UTF-16 code-unit order): the caller then sorts strings.
   */
  sortedTerms(minCount: number, maxCount: number, maxFeatures: number | null, byDocuments: boolean): SortedTerms | null {
    const ex = this.exports;
    let n = ex.keepTerms(this.firstTerm, minCount, maxCount);
    if (n === 0) return null;
    if (!ex.sortKept(n)) return null;
    if (maxFeatures !== null) n = ex.keepMostFrequent(n, maxFeatures, byDocuments ? 1 : 0);
    const bytes = ex.writeKeptTerms(n);
    const buffer = ex.memory.buffer;
    const vocabulary = Buffer.from(buffer, ex.keptTermBytes(), bytes).toString("utf8").split("\n");
    vocabulary.pop(); // after the last separator
    return {
      order: new Int32Array(buffer, ex.keptIds(), n).slice(),
      vocabulary,
      docFreq: new Int32Array(buffer, ex.documentFrequencies(), ex.termCount()),
    };
  }

  /**
   * The counts matrix of the documents counted with entries (`rowStart` as countDocument returned
   * it), term id t in column columnOf[t] (-1: dropped), columnCounts[c] entries in column c: CSR,
   * columns ascending within rows. Its arrays are views of the module's memory, which they keep
   * alive: copying them out would touch as many fresh pages again (BBC: 3.7 MB, 4 ms).
   */
  buildMatrix(rowStart: Int32Array, columnOf: Int32Array, nCols: number, columnCounts: Int32Array): CountsMatrix {
    const ex = this.exports;
    const nRows = rowStart.length - 1;
    const at = ex.reserve(4 * (rowStart.length + columnOf.length + columnCounts.length));
    const words = new Int32Array(ex.memory.buffer);
    words.set(rowStart, at >> 2);
    words.set(columnOf, (at >> 2) + rowStart.length);
    words.set(columnCounts, (at >> 2) + rowStart.length + columnOf.length);
    ex.buildCsr(nRows, at, at + 4 * rowStart.length, nCols, at + 4 * (rowStart.length + columnOf.length));
    const buffer = ex.memory.buffer;
    const indptr = new Int32Array(buffer, ex.csrIndptrArray(), nRows + 1);
    const nnz = indptr[nRows];
    const X = {
      nRows,
      nCols,
      indptr,
      indices: new Int32Array(buffer, ex.csrIndicesArray(), nnz),
      data: new Float64Array(buffer, ex.csrDataArray(), nnz),
    };
    return { X, columns: { start: new Int32Array(buffer, ex.cscStartArray(), nCols + 1), rows: new Int32Array(buffer, ex.cscRowsArray(), nnz) } };
  }

  /**
   * Weights the matrix of {@link buildMatrix} in place, as applyWeightingInPlace does (the same
   * bits): returns false, doing nothing, for sublinear tf (its logarithm is JavaScript's).
   */
  weightMatrix(nRows: number, options: TextOptions, idf: Float64Array | null): boolean {
    if (options.sublinearTf) return false;
    const ex = this.exports;
    let at = 0;
    if (options.weighting === "tfidf") {
      if (idf === null) throw new Error("tfidf weighting needs an idf vector");
      at = ex.reserve(8 * idf.length);
      new Float64Array(ex.memory.buffer, at, idf.length).set(idf);
    }
    const norm = options.norm === "l2" ? 2 : options.norm === "l1" ? 1 : 0;
    ex.weightCsr(nRows, at, options.weighting === "binary" ? 1 : 0, norm);
    return true;
  }

  /** The terms and their counts (views of the module's memory). */
  finish(): CountedTerms {
    const ex = this.exports;
    const buffer = ex.memory.buffer;
    const nTerms = ex.termCount();
    const arena = ex.termArena();
    // One decode for every token term: they are made of word characters, so '\n' separates them.
    const joined = Buffer.from(buffer, arena + this.stopBytes, ex.termBytes() - this.stopBytes).toString("utf8");
    const tokenTerms = joined.split("\n");
    tokenTerms.pop(); // after the last separator
    const terms: string[] = new Array<string>(this.firstTerm).fill("");
    for (const term of tokenTerms) terms.push(term);
    return {
      terms,
      firstTerm: this.firstTerm,
      docFreq: new Int32Array(buffer, ex.documentFrequencies(), nTerms),
      totalCount: new Float64Array(buffer, ex.totalCounts(), nTerms),
    };
  }

  /** The entries of the documents counted with `keepEntries` (views of the module's memory). */
  entries(): CountEntries {
    const ex = this.exports;
    const buffer = ex.memory.buffer;
    return {
      ids: new Int32Array(buffer, ex.entryTermIds(), this.nnz),
      counts: new Int32Array(buffer, ex.entryTermCounts(), this.nnz),
      nnz: this.nnz,
    };
  }
}
