/**
 * Stemmers from `natural`, one per language, loaded by deep path and only when `--stem` is given
 * (natural's root module loads database drivers and prints to stdout; never import it).
 */
import { createRequire } from "node:module";
import { UsageError } from "../errors.js";

/** A stemmer: token (lowercase) -> stem. */
export type Stem = (token: string) => string;

/** ISO 639-1 code -> natural module (under natural/lib/natural/stemmers/). Polish has none in natural 8. */
const stemmerModules: Readonly<Record<string, string>> = Object.freeze({
  de: "porter_stemmer_de.js",
  en: "porter_stemmer.js",
  es: "porter_stemmer_es.js",
  fa: "porter_stemmer_fa.js",
  fr: "porter_stemmer_fr.js",
  id: "indonesian/stemmer_id.js",
  it: "porter_stemmer_it.js",
  ja: "stemmer_ja.js",
  nb: "porter_stemmer_no.js",
  nl: "porter_stemmer_nl.js",
  no: "porter_stemmer_no.js",
  pt: "porter_stemmer_pt.js",
  ru: "porter_stemmer_ru.js",
  sv: "porter_stemmer_sv.js",
  uk: "porter_stemmer_uk.js",
});

/** Language codes that have a stemmer, sorted. */
export const stemmerLanguages: readonly string[] = Object.freeze(Object.keys(stemmerModules).sort());

/**
 * Loads natural's stemmer for `lang` (ISO 639-1; "en" is Porter's) and returns it with a cache of
 * the stems already computed. UsageError naming the available languages if there is none.
 */
export function loadStemmer(lang: string): Stem {
  const code = lang.toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(stemmerModules, code)) {
    throw new UsageError(
      `--stem: no stemmer for --lang ${lang}; stemmers exist for ${stemmerLanguages.join(", ")}`,
    );
  }
  const require = createRequire(import.meta.url);
  const stemmer = require(`natural/lib/natural/stemmers/${stemmerModules[code]}`) as {
    stem: (token: string) => string;
  };
  // Stemming is slow and a corpus repeats its words: remember every token's stem.
  const cache = new Map<string, string>();
  return (token: string) => {
    let stemmed = cache.get(token);
    if (stemmed === undefined) {
      stemmed = stemmer.stem(token);
      cache.set(token, stemmed);
    }
    return stemmed;
  };
}
