import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isWordCodePoint } from "../../../src/text/unicode-word.js";

/**
 * Python 3.11's answer to `re.match(r"\w", chr(cp))` (the \w of scikit-learn's token pattern), with
 * the general category, recorded with /usr/bin/python3 (Unicode 14.0). Chosen to catch the usual
 * mistakes: marks are not \w, No/Nl numbers are, only "_" of the connector punctuation is, letters
 * added after Unicode 14 are not (the last five), astral letters and digits are.
 */
const pythonWordClass: Array<[number, boolean]> = [
  [0x5f, true], // Pc LOW LINE
  [0x2d, false], // Pd HYPHEN-MINUS
  [0x27, false], // Po APOSTROPHE
  [0xaa, true], // Lo FEMININE ORDINAL INDICATOR
  [0xb2, true], // No SUPERSCRIPT TWO
  [0xb3, true], // No SUPERSCRIPT THREE
  [0xb5, true], // Ll MICRO SIGN
  [0xb9, true], // No SUPERSCRIPT ONE
  [0xba, true], // Lo MASCULINE ORDINAL INDICATOR
  [0xbc, true], // No VULGAR FRACTION ONE QUARTER
  [0xbd, true], // No VULGAR FRACTION ONE HALF
  [0xc0, true], // Lu LATIN CAPITAL LETTER A WITH GRAVE
  [0xd7, false], // Sm MULTIPLICATION SIGN
  [0xdf, true], // Ll LATIN SMALL LETTER SHARP S
  [0xf7, false], // Sm DIVISION SIGN
  [0x2b0, true], // Lm MODIFIER LETTER SMALL H
  [0x300, false], // Mn COMBINING GRAVE ACCENT
  [0x301, false], // Mn COMBINING ACUTE ACCENT
  [0x345, false], // Mn COMBINING GREEK YPOGEGRAMMENI
  [0x37a, true], // Lm GREEK YPOGEGRAMMENI
  [0x386, true], // Lu GREEK CAPITAL LETTER ALPHA WITH TONOS
  [0x3a3, true], // Lu GREEK CAPITAL LETTER SIGMA
  [0x3c2, true], // Ll GREEK SMALL LETTER FINAL SIGMA
  [0x483, false], // Mn COMBINING CYRILLIC TITLO
  [0x488, false], // Me COMBINING CYRILLIC HUNDRED THOUSANDS SIGN
  [0x559, true], // Lm ARMENIAN MODIFIER LETTER LEFT HALF RING
  [0x5d0, true], // Lo HEBREW LETTER ALEF
  [0x5b0, false], // Mn HEBREW POINT SHEVA
  [0x640, true], // Lm ARABIC TATWEEL
  [0x660, true], // Nd ARABIC-INDIC DIGIT ZERO
  [0x6f0, true], // Nd EXTENDED ARABIC-INDIC DIGIT ZERO
  [0x903, false], // Mc DEVANAGARI SIGN VISARGA
  [0x93e, false], // Mc DEVANAGARI VOWEL SIGN AA
  [0x966, true], // Nd DEVANAGARI DIGIT ZERO
  [0x9f4, true], // No BENGALI CURRENCY NUMERATOR ONE
  [0xe31, false], // Mn THAI CHARACTER MAI HAN-AKAT
  [0xe33, true], // Lo THAI CHARACTER SARA AM
  [0xe50, true], // Nd THAI DIGIT ZERO
  [0x1100, true], // Lo HANGUL CHOSEONG KIYEOK
  [0x16ee, true], // Nl RUNIC ARLAUG SYMBOL
  [0x1d2c, true], // Lm MODIFIER LETTER CAPITAL A
  [0x2070, true], // No SUPERSCRIPT ZERO
  [0x2071, true], // Lm SUPERSCRIPT LATIN SMALL LETTER I
  [0x2074, true], // No SUPERSCRIPT FOUR
  [0x207f, true], // Lm SUPERSCRIPT LATIN SMALL LETTER N
  [0x2080, true], // No SUBSCRIPT ZERO
  [0x2090, true], // Lm LATIN SUBSCRIPT SMALL LETTER A
  [0x2150, true], // No VULGAR FRACTION ONE SEVENTH
  [0x2160, true], // Nl ROMAN NUMERAL ONE
  [0x2182, true], // Nl ROMAN NUMERAL TEN THOUSAND
  [0x2188, true], // Nl ROMAN NUMERAL ONE HUNDRED THOUSAND
  [0x2460, true], // No CIRCLED DIGIT ONE
  [0x24b6, false], // So CIRCLED LATIN CAPITAL LETTER A
  [0x24ea, true], // No CIRCLED DIGIT ZERO
  [0x2776, true], // No DINGBAT NEGATIVE CIRCLED DIGIT ONE
  [0x3005, true], // Lm IDEOGRAPHIC ITERATION MARK
  [0x3007, true], // Nl IDEOGRAPHIC NUMBER ZERO
  [0x3021, true], // Nl HANGZHOU NUMERAL ONE
  [0x3029, true], // Nl HANGZHOU NUMERAL NINE
  [0x302a, false], // Mn IDEOGRAPHIC LEVEL TONE MARK
  [0x3041, true], // Lo HIRAGANA LETTER SMALL A
  [0x3099, false], // Mn COMBINING KATAKANA-HIRAGANA VOICED SOUND MARK
  [0x309b, false], // Sk KATAKANA-HIRAGANA VOICED SOUND MARK
  [0x30fc, true], // Lm KATAKANA-HIRAGANA PROLONGED SOUND MARK
  [0x3192, true], // No IDEOGRAPHIC ANNOTATION ONE MARK
  [0x3220, true], // No PARENTHESIZED IDEOGRAPH ONE
  [0x3280, true], // No CIRCLED IDEOGRAPH ONE
  [0x3400, true], // Lo CJK UNIFIED IDEOGRAPH-3400
  [0x4e00, true], // Lo CJK UNIFIED IDEOGRAPH-4E00
  [0x4e03, true], // Lo CJK UNIFIED IDEOGRAPH-4E03
  [0x96f6, true], // Lo CJK UNIFIED IDEOGRAPH-96F6
  [0x9fff, true], // Lo CJK UNIFIED IDEOGRAPH-9FFF
  [0xa830, true], // No NORTH INDIC FRACTION ONE QUARTER
  [0xac00, true], // Lo HANGUL SYLLABLE GA
  [0xf900, true], // Lo CJK COMPATIBILITY IDEOGRAPH-F900
  [0xfb1d, true], // Lo HEBREW LETTER YOD WITH HIRIQ
  [0xfb1e, false], // Mn HEBREW POINT JUDEO-SPANISH VARIKA
  [0xfe33, false], // Pc PRESENTATION FORM FOR VERTICAL LOW LINE
  [0xfe4d, false], // Pc DASHED LOW LINE
  [0xff10, true], // Nd FULLWIDTH DIGIT ZERO
  [0xff21, true], // Lu FULLWIDTH LATIN CAPITAL LETTER A
  [0xff3f, false], // Pc FULLWIDTH LOW LINE
  [0xff41, true], // Ll FULLWIDTH LATIN SMALL LETTER A
  [0xff66, true], // Lo HALFWIDTH KATAKANA LETTER WO
  [0xff9e, true], // Lm HALFWIDTH KATAKANA VOICED SOUND MARK
  [0xffe3, false], // Sk FULLWIDTH MACRON
  [0x200b, false], // Cf ZERO WIDTH SPACE
  [0x200c, false], // Cf ZERO WIDTH NON-JOINER
  [0x200d, false], // Cf ZERO WIDTH JOINER
  [0xfeff, false], // Cf ZERO WIDTH NO-BREAK SPACE
  [0x2028, false], // Zl LINE SEPARATOR
  [0x10140, true], // Nl GREEK ACROPHONIC ATTIC ONE QUARTER
  [0x10400, true], // Lu DESERET CAPITAL LETTER LONG I
  [0x1d400, true], // Lu MATHEMATICAL BOLD CAPITAL A
  [0x1d7ce, true], // Nd MATHEMATICAL BOLD DIGIT ZERO
  [0x1f600, false], // So GRINNING FACE
  [0x1f130, false], // So SQUARED LATIN CAPITAL LETTER A
  [0x1f100, true], // No DIGIT ZERO FULL STOP
  [0x20000, true], // Lo CJK UNIFIED IDEOGRAPH-20000
  [0xe0041, false], // Cf TAG LATIN CAPITAL LETTER A
  [0x88f, false], // Cn ?
  [0x1c89, false], // Cn ?
  [0xa7cb, false], // Cn ?
  [0x11f04, false], // Cn ?
  [0x31350, false], // Cn ?
];

const python = "/usr/bin/python3";
const havePython = existsSync(python);

describe("isWordCodePoint = Python 3.11's \\w", () => {
  it("agrees with Python on the recorded tricky code points", () => {
    for (const [codePoint, expected] of pythonWordClass) {
      expect(isWordCodePoint(codePoint), `U+${codePoint.toString(16).toUpperCase()}`).toBe(expected);
    }
  });

  it("treats surrogate code units as non-word and is stable across calls (cached table)", () => {
    for (const cp of [0xd800, 0xdbff, 0xdc00, 0xdfff]) expect(isWordCodePoint(cp)).toBe(false);
    expect(isWordCodePoint(0x4e00)).toBe(true);
    expect(isWordCodePoint(0x4e00)).toBe(true);
    expect(isWordCodePoint(0x301)).toBe(false);
    expect(isWordCodePoint(0x301)).toBe(false);
  });

  // The whole range, when the reference Python is installed (about 2 s).
  it.skipIf(!havePython)("agrees with Python on every code point 0..0x10FFFF", () => {
    const script = [
      "import re, sys",
      "w = re.compile(r'\\w')",
      "bits = bytearray(0x110000 // 8)",
      "for cp in range(0x110000):",
      "    if not (0xD800 <= cp <= 0xDFFF) and w.match(chr(cp)): bits[cp >> 3] |= 1 << (cp & 7)",
      "sys.stdout.buffer.write(bytes(bits))",
    ].join("\n");
    const bits = execFileSync(python, ["-c", script], { maxBuffer: 1 << 20 });
    const mismatches: string[] = [];
    let words = 0;
    for (let cp = 0; cp < 0x110000; cp++) {
      const expected = (bits[cp >> 3] & (1 << (cp & 7))) !== 0;
      if (expected) words++;
      if (isWordCodePoint(cp) !== expected && mismatches.length < 10) mismatches.push(cp.toString(16));
    }
    expect(words).toBeGreaterThan(130_000); // 133,548 in Python 3.11
    expect(mismatches).toEqual([]);
  });
});
