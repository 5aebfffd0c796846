/**
 * The streaming first pass of `fit --online`: counts document frequencies and term totals one
 * document at a time (never holding the texts) and resolves the vocabulary exactly as
 * {@link fitVectorizer} would on the same texts: the same pruning, the same sorted vocabulary, the
 * same idf, the same {@link VectorizerState}. Later passes vectorize batches with `transformTexts`,
 * which gives the rows of fitVectorizer's X bit for bit.
 */
import type { TextOptions } from "./options.js";
import { type CountingPath, VocabularyCounter, type VectorizerState } from "./vectorizer.js";

/** Result of {@link StreamingVocabulary.finish}. */
export interface StreamedVocabulary {
  /** What `transformTexts` needs; equal to `fitVectorizer(texts, options).state`. */
  state: VectorizerState;
  /** Documents containing each vocabulary term (after pruning), length nTerms. */
  documentFrequency: Int32Array;
  /** Documents counted. */
  nDocs: number;
}

/**
 * Vocabulary of a corpus seen one text at a time. Memory grows with the number of distinct raw
 * terms (the term table and three numbers per term), not with the number of documents.
 *
 * ```ts
 * const pass = new StreamingVocabulary(options);
 * for await (const doc of documents) pass.add(doc.text);
 * const { state } = pass.finish(); // === fitVectorizer(allTexts, options).state
 * ```
 */
export class StreamingVocabulary {
  private readonly counter: VocabularyCounter;
  private finished = false;

  /**
   * @param path the counting loop (tests compare them; all give the same result).
   * @throws UsageError for invalid options (as fitVectorizer).
   */
  constructor(options: TextOptions, path: CountingPath = "auto") {
    this.counter = new VocabularyCounter(options, path);
  }

  /** Documents counted so far. */
  get nDocs(): number {
    return this.counter.nDocs;
  }

  /** Counts the terms of one document. */
  add(text: string): void {
    if (this.finished) throw new Error("StreamingVocabulary.add after finish");
    this.counter.countDocument(text, false);
  }

  /**
   * Prunes and sorts the vocabulary (see fitVectorizer) and computes the idf.
   * @throws InputError when no document was added or no term remains after pruning; UsageError
   *   when --max-df allows fewer documents than --min-df.
   */
  finish(): StreamedVocabulary {
    if (this.finished) throw new Error("StreamingVocabulary.finish called twice");
    this.finished = true;
    const { state, documentFrequency } = this.counter.resolve();
    return { state, documentFrequency, nDocs: this.counter.nDocs };
  }
}
