/**
 * Python's `\w` for str patterns, the word class of scikit-learn's token pattern
 * `(?u)\b\w\w+\b`: a code point is a word character when `str.isalnum()` is true for it
 * (general categories L*, and every character with a numeric value: Nd, Nl, No) or it is `_`.
 * Combining marks (Mn, Mc, Me) are NOT word characters, so "e\u0301" splits after the "e".
 *
 * In JavaScript that is `[\p{L}\p{N}_]` with the `u` flag, except for the characters Unicode added
 * after version 14.0 (the Unicode database of Python 3.11, which runs scikit-learn 1.2.1 here):
 * Node's ICU knows them, Python does not. They are listed below and excluded, so that the word class
 * is the same on every Node >= 20 (whose ICU has Unicode 15.0 or later).
 *
 * The list was produced once by testing every code point 0..0x10FFFF with Python 3.11's `re` (`\w`)
 * and Node 20.20 (ICU 78.2, Unicode 17.0): Python's set was a subset of `[\p{L}\p{N}_]`, and these
 * ranges are the difference. test/unit/text/unicode-word.test.ts pins a list of tricky code points
 * recorded from Python (and repeats the whole comparison when /usr/bin/python3 is available).
 */

/** Inclusive [first, last] code point pairs: letters/numbers of Unicode 15.0-17.0, not `\w` in Python 3.11. */
const newerThanUnicode14: readonly number[] = [
  0x88F, 0x88F, 0xC5C, 0xC5C, 0xCDC, 0xCDC, 0x1C89, 0x1C8A, 0xA7CB, 0xA7CF, 0xA7D2, 0xA7D2,
  0xA7D4, 0xA7D4, 0xA7DA, 0xA7DC, 0xA7F1, 0xA7F1, 0x105C0, 0x105F3, 0x10940, 0x10959, 0x10D40, 0x10D65,
  0x10D6F, 0x10D85, 0x10EC2, 0x10EC7, 0x1123F, 0x11240, 0x11380, 0x11389, 0x1138B, 0x1138B, 0x1138E, 0x1138E,
  0x11390, 0x113B5, 0x113B7, 0x113B7, 0x113D1, 0x113D1, 0x113D3, 0x113D3, 0x116D0, 0x116E3, 0x11BC0, 0x11BE0,
  0x11BF0, 0x11BF9, 0x11DB0, 0x11DDB, 0x11DE0, 0x11DE9, 0x11F02, 0x11F02, 0x11F04, 0x11F10, 0x11F12, 0x11F33,
  0x11F50, 0x11F59, 0x1342F, 0x1342F, 0x13441, 0x13446, 0x13460, 0x143FA, 0x16100, 0x1611D, 0x16130, 0x16139,
  0x16D40, 0x16D6C, 0x16D70, 0x16D79, 0x16EA0, 0x16EB8, 0x16EBB, 0x16ED3, 0x16FF2, 0x16FF6, 0x187F8, 0x187FF,
  0x18CFF, 0x18CFF, 0x18D09, 0x18D1E, 0x18D80, 0x18DF2, 0x1B132, 0x1B132, 0x1B155, 0x1B155, 0x1CCF0, 0x1CCF9,
  0x1D2C0, 0x1D2D3, 0x1DF25, 0x1DF2A, 0x1E030, 0x1E06D, 0x1E4D0, 0x1E4EB, 0x1E4F0, 0x1E4F9, 0x1E5D0, 0x1E5ED,
  0x1E5F0, 0x1E5FA, 0x1E6C0, 0x1E6DE, 0x1E6E0, 0x1E6E2, 0x1E6E4, 0x1E6E5, 0x1E6E7, 0x1E6ED, 0x1E6F0, 0x1E6F4,
  0x1E6FE, 0x1E6FF, 0x2B739, 0x2B73F, 0x2CEA2, 0x2CEAD, 0x2EBF0, 0x2EE5D, 0x31350, 0x33479,
];

const letterOrNumber = /^[\p{L}\p{N}_]$/u;

/** 1 = word, 2 = not a word, 0 = not computed yet; one entry per BMP code point, filled lazily. */
const bmpClass = new Uint8Array(0x10000);

function isExcluded(codePoint: number): boolean {
  for (let i = 0; i < newerThanUnicode14.length; i += 2) {
    if (codePoint < newerThanUnicode14[i]) return false;
    if (codePoint <= newerThanUnicode14[i + 1]) return true;
  }
  return false;
}

function computeIsWord(codePoint: number): boolean {
  return letterOrNumber.test(String.fromCodePoint(codePoint)) && !isExcluded(codePoint);
}

/**
 * Whether a code point is a word character of Python 3.11's `\w` (see the module comment).
 * Lone surrogates are not word characters.
 */
export function isWordCodePoint(codePoint: number): boolean {
  if (codePoint < 0x80) {
    return (
      (codePoint >= 0x61 && codePoint <= 0x7a) ||
      (codePoint >= 0x41 && codePoint <= 0x5a) ||
      (codePoint >= 0x30 && codePoint <= 0x39) ||
      codePoint === 0x5f
    );
  }
  if (codePoint < 0x10000) {
    let c = bmpClass[codePoint];
    if (c === 0) {
      c = codePoint >= 0xd800 && codePoint <= 0xdfff ? 2 : computeIsWord(codePoint) ? 1 : 2;
      bmpClass[codePoint] = c;
    }
    return c === 1;
  }
  return computeIsWord(codePoint);
}
