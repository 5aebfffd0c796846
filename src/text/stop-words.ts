/**
 * Stop lists: scikit-learn's English list (shipped as data), the `stopword` package's lists for other
 * languages (loaded only when asked for), and word-list files.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { InputError, UsageError } from "../errors.js";
import { englishStopWords } from "./english-stop-words.js";
import type { TextOptions } from "./options.js";

/**
 * ISO 639-1 code -> name of the `stopword` package's export (ISO 639-3). Its three-letter names are
 * accepted too (e.g. `lgg`, Lugbara, which has no two-letter code).
 */
const stopwordExports: Readonly<Record<string, string>> = Object.freeze({
  af: "afr", ar: "ara", bg: "bul", bn: "ben", br: "bre", ca: "cat", cs: "ces", da: "dan", de: "deu",
  el: "ell", en: "eng", eo: "epo", es: "spa", et: "est", eu: "eus", fa: "fas", fi: "fin", fr: "fra",
  ga: "gle", gl: "glg", gu: "guj", ha: "hau", he: "heb", hi: "hin", hr: "hrv", hu: "hun", hy: "hye",
  id: "ind", it: "ita", ja: "jpn", ko: "kor", ku: "kur", la: "lat", lt: "lit", lv: "lav", mr: "mar",
  ms: "msa", my: "mya", nb: "nob", nl: "nld", no: "nob", pa: "panGu", pl: "pol", pt: "por",
  "pt-br": "porBr", ro: "ron", ru: "rus", sk: "slk", sl: "slv", so: "som", st: "sot", sv: "swe",
  sw: "swa", th: "tha", tl: "tgl", tr: "tur", uk: "ukr", ur: "urd", vi: "vie", yo: "yor", zh: "zho",
  zu: "zul",
});

const threeLetterNames = new Set([...Object.values(stopwordExports), "lgg", "lggNd"]);

/** Codes accepted by `--lang` for stop lists and by `--stop-words CODE`, sorted. */
export const stopWordLanguages: readonly string[] = Object.freeze(Object.keys(stopwordExports).sort());

let stopwordModule: Record<string, unknown> | null = null;

function loadStopwordPackage(): Record<string, unknown> {
  if (stopwordModule === null) {
    // Loaded on demand: 60+ lists that a default English run never needs.
    const require = createRequire(import.meta.url);
    stopwordModule = require("stopword") as Record<string, unknown>;
  }
  return stopwordModule;
}

/** The `stopword` export name for a language code (two- or three-letter), or null if unknown. */
function findStopwordExport(code: string): string | null {
  const lower = code.toLowerCase();
  if (Object.prototype.hasOwnProperty.call(stopwordExports, lower)) return stopwordExports[lower];
  for (const name of threeLetterNames) if (name.toLowerCase() === lower) return name;
  return null;
}

/** Whether `value` is a language code with a `stopword` list (two-letter or the package's own name). */
export function isStopWordLanguage(value: string): boolean {
  return findStopwordExport(value) !== null;
}

/** The `stopword` package's list for a language code; UsageError listing the codes if unknown. */
export function getStopwordPackageList(code: string, flag = "--lang"): string[] {
  const name = findStopwordExport(code);
  if (name === null) {
    throw new UsageError(
      `${flag} ${code}: no stop list for this language; accepted codes: ${stopWordLanguages.join(", ")} (or --stop-words none)`,
    );
  }
  const list = loadStopwordPackage()[name];
  if (!Array.isArray(list)) throw new Error(`stopword package has no list named ${name}`);
  return list as string[];
}

/**
 * Reads a word list: one word per line, lines starting with `#` and blank lines ignored, each line
 * trimmed. Missing or unreadable file -> InputError naming the flag.
 */
export function readWordList(path: string, flag: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : "cannot be read";
    throw new InputError(
      `${flag} ${path}: ${reason} (give a word-list file, one word per line, or a language code${flag === "--stop-words" ? ", auto or none" : ""})`,
    );
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const words: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const word = line.trim();
    if (word === "" || word.startsWith("#")) continue;
    words.push(word);
  }
  return words;
}

/**
 * Resolves `stopWords` and `extraStopWords` into one list, lowercased (tokens are lowercased before
 * they are compared), de-duplicated and sorted by UTF-16 code unit:
 * - "auto": lang "en" -> scikit-learn's ENGLISH_STOP_WORDS (318 words); another language -> the
 *   `stopword` package's list for it (UsageError listing the accepted codes if there is none);
 * - "none": no stop words;
 * - a language code (e.g. "de", "deu") -> that `stopword` list;
 * - anything else: a file path (InputError if it cannot be read).
 * The `extraStopWords` file's words are added.
 */
export function resolveStopWords(options: Pick<TextOptions, "lang" | "stopWords" | "extraStopWords">): string[] {
  const { lang, stopWords, extraStopWords } = options;
  let base: readonly string[];
  if (stopWords === "auto") {
    base = lang.toLowerCase() === "en" ? englishStopWords : getStopwordPackageList(lang, "--lang");
  } else if (stopWords === "none") {
    base = [];
  } else if (isStopWordLanguage(stopWords)) {
    base = getStopwordPackageList(stopWords, "--stop-words");
  } else {
    base = readWordList(stopWords, "--stop-words");
  }
  const all = new Set<string>();
  for (const word of base) all.add(word.toLowerCase());
  if (extraStopWords !== null) {
    for (const word of readWordList(extraStopWords, "--extra-stop-words")) all.add(word.toLowerCase());
  }
  return [...all].sort();
}
