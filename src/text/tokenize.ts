/**
 * Tokenizers. The default is scikit-learn's token pattern `(?u)\b\w\w+\b` applied to lowercased text:
 * every maximal run of Python-`\w` code points (see unicode-word.ts) of length >= 2 code points is a
 * token, found by a char-code scan (a table for ASCII, a cached Unicode test for the rest).
 */
import { UsageError } from "../errors.js";
import { hashRange, maxPackedLength, packedSymbol, TermTable } from "./term-table.js";
import { isWordCodePoint } from "./unicode-word.js";

/** Appends the tokens of an already lowercased text to `out`. */
export type TokenizeInto = (lowercasedText: string, out: string[]) => void;

/** 1 for ASCII word characters [A-Za-z0-9_], else 0. */
const asciiWord = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  asciiWord[c] =
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f ? 1 : 0;
}

/** Width in code units (1 or 2) of the word character at `i` (non-ASCII `c`), or 0 if it is not one. */
function measureNonAsciiWordAt(s: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) {
      return isWordCodePoint(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000) ? 2 : 0;
    }
  }
  return isWordCodePoint(c) ? 1 : 0;
}

/**
 * The default tokenizer: appends every maximal run of word code points that is at least 2 code points
 * long (`(?u)\b\w\w+\b` of Python's `re`). The text must already be lowercased.
 */
export function tokenizeWordRunsInto(s: string, out: string[]): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    let width = c < 128 ? asciiWord[c] : measureNonAsciiWordAt(s, i, c);
    if (width === 0) {
      i++;
      continue;
    }
    const start = i;
    let codePoints = 0;
    do {
      i += width;
      codePoints++;
      if (i >= n) break;
      c = s.charCodeAt(i);
      width = c < 128 ? asciiWord[c] : measureNonAsciiWordAt(s, i, c);
    } while (width !== 0);
    if (codePoints >= 2) out.push(s.slice(start, i));
  }
}

/** Number of capture groups of a compiled JavaScript pattern. */
function countCaptureGroups(pattern: string): number {
  const probe = new RegExp(`${pattern}|`, "u").exec("");
  return probe === null ? 0 : probe.length - 1;
}

/**
 * Compiles `--token-pattern`: a JavaScript regular expression with the `u` flag. With no capture group
 * each match is a token; with one, the group is the token (as scikit-learn); more than one is a
 * UsageError. Empty matches give no token (scikit-learn would count an empty string).
 */
export function compileTokenPattern(pattern: string): TokenizeInto {
  let groups: number;
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, "gu");
    groups = countCaptureGroups(pattern);
  } catch (error) {
    throw new UsageError(`--token-pattern ${pattern}: not a valid regular expression (${(error as Error).message})`);
  }
  if (groups > 1) {
    throw new UsageError(
      `--token-pattern ${pattern}: has ${groups} capture groups; use at most one (the token), e.g. (?:...) for the others`,
    );
  }
  return (s: string, out: string[]) => {
    regex.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = regex.exec(s)) !== null) {
      const token = groups === 1 ? match[1] : match[0];
      if (match[0].length === 0) {
        // Step over one code point so that an empty match cannot loop forever.
        const c = s.charCodeAt(match.index);
        regex.lastIndex = match.index + (c >= 0xd800 && c <= 0xdbff ? 2 : 1);
      }
      if (token !== undefined && token.length > 0) out.push(token);
    }
  };
}

/** The tokenizer for a `tokenPattern` option: null -> the default word-run scanner. */
export function createTokenizer(pattern: string | null | undefined): TokenizeInto {
  return pattern === null || pattern === undefined ? tokenizeWordRunsInto : compileTokenPattern(pattern);
}

/**
 * Tokenizes one text as the vectorizer does: lowercase (String.prototype.toLowerCase), then the
 * default pattern (runs of >= 2 Python-`\w` code points) or `pattern`.
 * Example: "naïve café Zürich" -> ["naïve", "café", "zürich"].
 */
export function tokenize(text: string, pattern?: string | null): string[] {
  const out: string[] = [];
  createTokenizer(pattern)(text.toLowerCase(), out);
  return out;
}

const decimalDigits = /^\p{Nd}+$/u;

/** Whether a token is made only of decimal digits (\p{Nd}: "2024", "١٢٣"), the `--drop-numbers` test. */
export function isNumberToken(token: string): boolean {
  const n = token.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    if (c < 128) return false;
    return decimalDigits.test(token);
  }
  return true;
}

/** A growable buffer of term ids (the ids of one document's tokens). */
export interface IdBuffer {
  ids: Int32Array;
}

/**
 * The default analyzer's fast path for unigrams: scans an already lowercased text exactly like
 * {@link tokenizeWordRunsInto} and, instead of creating token strings, looks each token up in `table`
 * by the key it packs while it reads the token (a hash of the token for the few without one, see
 * term-table.ts). Writes the ids of the tokens into `out.ids` (grown as needed) and returns how many.
 * - `insert`: add unseen tokens to the table (fitting); else skip them (transforming).
 * - tokens whose id is below `skipBelow` are skipped (the stop words, inserted first);
 * - `dropNumbers`: tokens made only of decimal digits are skipped.
 */
export function scanTermIdsInto(
  s: string,
  table: TermTable,
  insert: boolean,
  skipBelow: number,
  dropNumbers: boolean,
  out: IdBuffer,
): number {
  const n = s.length;
  let ids = out.ids;
  let count = 0;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    if (c < 128 && asciiWord[c] === 0) {
      i++;
      continue;
    }
    const start = i;
    let codePoints = 0;
    let k0 = 0;
    let k1 = 0;
    let k2 = 0;
    // Every code unit so far has a packed symbol ('A'-'Z' have none; the text is lowercased anyway).
    let packable = true;
    let digitsOnly = true;
    let nonAscii = false;
    for (;;) {
      if (c < 128) {
        if (asciiWord[c] === 0) break;
        const symbol = packedSymbol[c];
        if (codePoints < 5) k0 = (k0 << 6) | symbol;
        else if (codePoints < 10) k1 = (k1 << 6) | symbol;
        else if (codePoints < 15) k2 = (k2 << 6) | symbol;
        if (symbol === 0) packable = false;
        if (c > 0x39 || c < 0x30) digitsOnly = false;
        i++;
      } else {
        const width = measureNonAsciiWordAt(s, i, c);
        if (width === 0) break;
        nonAscii = true;
        i += width;
      }
      codePoints++;
      if (i >= n) break;
      c = s.charCodeAt(i);
    }
    if (codePoints === 0) {
      i++; // a non-ASCII character that is not a word character
      continue;
    }
    if (codePoints < 2) continue;
    if (dropNumbers && digitsOnly && (!nonAscii || isNumberToken(s.slice(start, i)))) continue;
    let id: number;
    if (packable && !nonAscii && codePoints <= maxPackedLength) {
      id = insert ? table.findOrInsertPacked(k0, k1, k2, s, start, i) : table.findPacked(k0, k1, k2);
    } else {
      const hash = hashRange(s, start, i);
      id = insert ? table.findOrInsertRange(s, start, i, hash) : table.findRange(s, start, i, hash);
    }
    if (id < skipBelow) continue;
    if (count === ids.length) {
      const grown = new Int32Array(ids.length * 2);
      grown.set(ids);
      ids = grown;
      out.ids = grown;
    }
    ids[count++] = id;
  }
  return count;
}

/**
 * A text that takes every path of {@link scanTermIdsInto} and of the term table's insertion:
 * tokens of every packed length (1-5, 6-10, 11-15 code units), longer and non-ASCII ones (hashed),
 * digits, underscores, non-word characters, a repeated and a skipped token.
 */
const scannerPrimer =
  "a ab abcdef abcdefghijk abcdefghijklmnopqrstuvwxyz 2024 x1_y2 naïve café 東京 — ab, abcdef; " +
  "(12) ab ab_cd abcdefghijkl9 ĳ é\u0301 zz";

let scannerPrimed = false;

/**
 * Runs {@link scanTermIdsInto} once on {@link scannerPrimer} (fitting and transforming, with and
 * without `dropNumbers`), into a throwaway table, so that V8 has seen every branch before it
 * optimizes the scanner. Otherwise the first long or non-ASCII token of a corpus hits code that
 * had no type feedback when it was optimized, and V8 throws the optimized code away and compiles
 * it again (twice on BBC: ~10 ms of a 60 ms count). Once per thread; changes no result.
 */
export function primeTermScanner(): void {
  if (scannerPrimed) return;
  scannerPrimed = true;
  const table = new TermTable(4);
  const out: IdBuffer = { ids: new Int32Array(2) };
  for (let pass = 0; pass < 4; pass++) {
    scanTermIdsInto(scannerPrimer, table, pass < 2, pass === 0 ? 0 : 2, pass % 2 === 1, out);
  }
}
