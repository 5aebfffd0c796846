/**
 * The text pipeline: texts -> TF-IDF document-term matrix X (documents x terms, CSR), identical to
 * scikit-learn's TfidfVectorizer with the same options. The only importer of `natural` and `stopword`.
 */
export { defaultTextOptions, validateTextOptions, computeDocumentCountBounds } from "./options.js";
export type { TextOptions, Weighting, Norm } from "./options.js";
export { fitVectorizer, transformTexts, applyWeightingInPlace, computeSmoothIdf } from "./vectorizer.js";
export type { VectorizerState, FitVectorizerResult } from "./vectorizer.js";
export {
  resolveStopWords,
  readWordList,
  isStopWordLanguage,
  getStopwordPackageList,
  stopWordLanguages,
} from "./stop-words.js";
export { englishStopWords } from "./english-stop-words.js";
export { loadStemmer, stemmerLanguages } from "./stem.js";
export type { Stem } from "./stem.js";
export { tokenize, createTokenizer, compileTokenPattern, tokenizeWordRunsInto, isNumberToken } from "./tokenize.js";
export type { TokenizeInto } from "./tokenize.js";
export { isWordCodePoint } from "./unicode-word.js";
