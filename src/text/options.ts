/**
 * Options of the text pipeline (the text flags of `fit`, camelCased) and their checks.
 */
import { UsageError } from "../errors.js";

/** Term weighting: `tfidf` = count x smooth idf, `tf` = raw count, `binary` = 1 where present. */
export type Weighting = "tfidf" | "tf" | "binary";

/** Row normalisation applied last. */
export type Norm = "l2" | "l1" | "none";

/** Everything that decides how texts become a document-term matrix. Plain JSON (stored in the model). */
export interface TextOptions {
  /** ISO 639-1 code: language of the stemmer and of the `auto` stop list. Default "en". */
  lang: string;
  /** "auto" (scikit-learn's 318 English words for en, else the `stopword` package's list for `lang`),
   * "none", a language code (that `stopword` list), or a file path (one word per line). Default "auto". */
  stopWords: string;
  /** File of extra stop words (one per line, `#` comments), added to `stopWords`. Default null. */
  extraStopWords: string | null;
  /** Replace each token by its stem (natural's stemmer for `lang`). Default false. */
  stem: boolean;
  /** [minN, maxN] word n-grams, 1 <= minN <= maxN. Default [1, 1]. */
  ngramRange: [number, number];
  /** Integer >= 1: minimum document count; fraction in [0, 1): minimum share of documents. Default 2. */
  minDf: number;
  /** Integer > 1: maximum document count; fraction in [0, 1]: maximum share of documents. Default 0.95. */
  maxDf: number;
  /** Keep only the N terms with the highest corpus frequency (ties by term). Default null (all). */
  maxFeatures: number | null;
  /** JavaScript regular expression (compiled with the `u` flag) replacing the default token pattern;
   * with one capture group the group is the token. Default null (`(?u)\b\w\w+\b` as in scikit-learn). */
  tokenPattern: string | null;
  /** Drop tokens made only of decimal digits (\p{Nd}) before n-grams. Default false. */
  dropNumbers: boolean;
  /** Default "tfidf". */
  weighting: Weighting;
  /** Replace tf by 1 + ln(tf). Default false. */
  sublinearTf: boolean;
  /** Default "l2". */
  norm: Norm;
}

/** The defaults: scikit-learn's `TfidfVectorizer(stop_words="english", min_df=2, max_df=0.95)`. */
export const defaultTextOptions: Readonly<TextOptions> = Object.freeze({
  lang: "en",
  stopWords: "auto",
  extraStopWords: null,
  stem: false,
  ngramRange: [1, 1] as [number, number],
  minDf: 2,
  maxDf: 0.95,
  maxFeatures: null,
  tokenPattern: null,
  dropNumbers: false,
  weighting: "tfidf" as Weighting,
  sublinearTf: false,
  norm: "l2" as Norm,
});

/**
 * Checks the values that do not depend on the corpus; throws a UsageError naming the flag.
 * (Languages, stop-word files and the token pattern are checked where they are resolved.)
 */
export function validateTextOptions(options: TextOptions): void {
  const [minN, maxN] = options.ngramRange;
  if (!Number.isInteger(minN) || !Number.isInteger(maxN) || minN < 1 || maxN < minN) {
    throw new UsageError(
      `--ngram-range ${minN},${maxN} is invalid: give two integers MIN,MAX with 1 <= MIN <= MAX (e.g. 1,2)`,
    );
  }
  const { minDf, maxDf } = options;
  if (!Number.isFinite(minDf) || minDf < 0 || (minDf > 1 && !Number.isInteger(minDf))) {
    throw new UsageError(
      `--min-df ${minDf} is invalid: give a document count (integer >= 1) or a share of documents in [0, 1)`,
    );
  }
  if (!Number.isFinite(maxDf) || maxDf < 0 || (maxDf > 1 && !Number.isInteger(maxDf))) {
    throw new UsageError(
      `--max-df ${maxDf} is invalid: give a document count (integer > 1) or a share of documents in [0, 1]`,
    );
  }
  const { maxFeatures } = options;
  if (maxFeatures !== null && (!Number.isInteger(maxFeatures) || maxFeatures < 1)) {
    throw new UsageError(`--max-features ${maxFeatures} is invalid: give a positive integer`);
  }
  if (options.weighting !== "tfidf" && options.weighting !== "tf" && options.weighting !== "binary") {
    throw new UsageError(`--weighting ${String(options.weighting)} is invalid: use tfidf, tf or binary`);
  }
  if (options.norm !== "l2" && options.norm !== "l1" && options.norm !== "none") {
    throw new UsageError(`--norm ${String(options.norm)} is invalid: use l2, l1 or none`);
  }
}

/**
 * Document-count bounds of the pruning step, as scikit-learn computes them:
 * `maxCount = maxDf` if maxDf is an integer > 1, else `maxDf * nDocs`;
 * `minCount = minDf` if minDf is an integer >= 1, else `minDf * nDocs`.
 * A term is kept when `minCount <= df <= maxCount`.
 */
export function computeDocumentCountBounds(
  minDf: number,
  maxDf: number,
  nDocs: number,
): { minCount: number; maxCount: number } {
  const maxCount = Number.isInteger(maxDf) && maxDf > 1 ? maxDf : maxDf * nDocs;
  const minCount = Number.isInteger(minDf) && minDf >= 1 ? minDf : minDf * nDocs;
  return { minCount, maxCount };
}
