import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { TermTable } from "../../../src/text/term-table.js";
import {
  compileTokenPattern,
  isNumberToken,
  scanTermIdsInto,
  tokenize,
  tokenizeWordRunsInto,
  primeTermScanner,
} from "../../../src/text/tokenize.js";
import { isWordCodePoint } from "../../../src/text/unicode-word.js";

/**
 * scikit-learn 1.2.1's analyzer output (TfidfVectorizer().build_analyzer(), no stop words) for these
 * texts, recorded with /usr/bin/python3 (Python 3.11).
 */
const sklearnTokens: Array<[string, string[]]> = [
  ["naïve café Zürich", ["naïve", "café", "zürich"]],
  ["Η γρήγορη καφέ αλεπού ΣΟΦΟΣ", ["γρήγορη", "καφέ", "αλεπού", "σοφος"]],
  ["Съешь же ещё этих мягких французских булок", ["съешь", "же", "ещё", "этих", "мягких", "французских", "булок"]],
  ["我爱北京天安门 中文分词测试", ["我爱北京天安门", "中文分词测试"]],
  ["日本語のテキスト、カタカナ", ["日本語のテキスト", "カタカナ"]],
  ["e\u0301tude cafe\u0301 x\u0301y", ["tude", "cafe"]],
  ["snake_case __init__ a_ _b 3d x2 1 22", ["snake_case", "__init__", "a_", "_b", "3d", "x2", "22"]],
  ["H₂O x² ½ Ⅻ ①② ３４５", ["h₂o", "x²", "①②", "３４５"]],
  ["हिन्दी भाषा", []],
  ["ไทยภาษา", ["ไทยภาษา"]],
  ["𝐀𝐁 𝐀 a𝐀 😀😀 ab😀cd", ["𝐀𝐁", "a𝐀", "ab", "cd"]],
  ["İstanbul ǅemal ΣΑΣ.", ["stanbul", "ǆemal", "σας"]],
  ["don't e-mail U.S.A. 3.14 100%", ["don", "mail", "14", "100"]],
  ["\ufeffbom start", ["bom", "start"]],
  ["tab\there\nnew\r\nline", ["tab", "here", "new", "line"]],
];

/** Plain oracle: split into code points, group maximal runs of word code points, keep runs of >= 2. */
function tokenizeNaively(lowercased: string): string[] {
  const tokens: string[] = [];
  let run: string[] = [];
  for (const ch of [...lowercased, " "]) {
    if (isWordCodePoint(ch.codePointAt(0) as number)) {
      run.push(ch);
    } else {
      if (run.length >= 2) tokens.push(run.join(""));
      run = [];
    }
  }
  return tokens;
}

describe("default tokenizer (scikit-learn's (?u)\\b\\w\\w+\\b after lowercasing)", () => {
  it("gives scikit-learn's tokens for ASCII, Greek, Cyrillic, CJK, accents, marks, digits and astral text", () => {
    for (const [text, expected] of sklearnTokens) expect(tokenize(text), text).toEqual(expected);
  });

  it("keeps a CJK run as one token and splits at combining marks, as Python's \\w does", () => {
    expect(tokenize("中文")).toEqual(["中文"]);
    expect(tokenize("中")).toEqual([]);
    // "n", "e", U+0301 (a mark, not \w), "e": the run "ne" is a token, the lone "e" is not.
    expect(tokenize("ne\u0301e")).toEqual(["ne"]);
  });

  it("counts length in code points: one astral letter is not a token, two are", () => {
    expect(tokenize("𝐀")).toEqual([]);
    expect(tokenize("𝐀𝐁")).toEqual(["𝐀𝐁"]);
    // A lone surrogate is not a word character.
    expect(tokenize("ab\ud835cd")).toEqual(["ab", "cd"]);
  });

  it("equals the code-point oracle on random strings from a tricky alphabet", () => {
    const alphabet = ["a", "B", "_", "1", " ", "-", "é", "e\u0301", "Σ", "中", "²", "😀", "𝐀", "\u0301", "\ud835", "ß", "İ", "\n", "٣"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (parts) => {
        const text = parts.join("").toLowerCase();
        const out: string[] = [];
        tokenizeWordRunsInto(text, out);
        expect(out).toEqual(tokenizeNaively(text));
      }),
      { numRuns: 500 },
    );
  });

  it("the hashing scanner finds the same tokens as the string tokenizer", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("ab", "Ab", "x", " ", "é", "ü1", "中文", "😀", "𝐀", "_", "42", "٣٤", "."), { maxLength: 30 }), (parts) => {
        const text = parts.join("").toLowerCase();
        const expected: string[] = [];
        tokenizeWordRunsInto(text, expected);
        const table = new TermTable(4);
        const out = { ids: new Int32Array(2) };
        const n = scanTermIdsInto(text, table, true, 0, false, out);
        expect(Array.from(out.ids.subarray(0, n), (id) => table.terms[id])).toEqual(expected);
        // With dropNumbers, digit-only tokens (any script) disappear and nothing else does.
        const m = scanTermIdsInto(text, table, true, 0, true, out);
        expect(Array.from(out.ids.subarray(0, m), (id) => table.terms[id])).toEqual(
          expected.filter((t) => !/^\p{Nd}+$/u.test(t)),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("custom token pattern", () => {
  it("uses the whole match without groups and the group with one", () => {
    expect(tokenize("a1 b22 c333", "[a-z]\\d+")).toEqual(["a1", "b22", "c333"]);
    expect(tokenize("key=val x=y", "(\\w+)=")).toEqual(["key", "x"]);
    // Non-capturing groups do not count; lowercasing happens first, as in scikit-learn.
    expect(tokenize("Foo-Bar BAZ", "(?:\\p{L}+)(?:-\\p{L}+)?")).toEqual(["foo-bar", "baz"]);
  });

  it("single-character tokens are allowed by a pattern that asks for them", () => {
    expect(tokenize("a b 中", "\\p{L}")).toEqual(["a", "b", "中"]);
  });

  it("empty matches give no token and do not loop", () => {
    expect(tokenize("ab😀c", "x*")).toEqual([]);
    expect(tokenize("ab cd", "\\w*")).toEqual(["ab", "cd"]);
  });

  it("more than one capture group or an invalid pattern is a UsageError naming --token-pattern", () => {
    expect(() => compileTokenPattern("(a)(b)")).toThrow(UsageError);
    expect(() => compileTokenPattern("(a)(b)")).toThrow(/--token-pattern.*2 capture groups/);
    expect(() => compileTokenPattern("([a-")).toThrow(UsageError);
    expect(() => compileTokenPattern("([a-")).toThrow(/--token-pattern/);
  });
});

describe("isNumberToken (--drop-numbers)", () => {
  it("is true for decimal digits of any script only", () => {
    for (const t of ["0", "2024", "٣٤", "３４５", "१२"]) expect(isNumberToken(t), t).toBe(true);
    for (const t of ["", "x2", "2x", "½", "²", "Ⅻ", "3.14", "1_000"]) expect(isNumberToken(t), t).toBe(false);
  });
});

describe("primeTermScanner", () => {
  it("leaves no trace: a table scanned after priming gets the ids it gets without (first-seen order)", () => {
    const text = "zebra apple zebra naïve abcdefghijklmnopq 2024 apple";
    const scan = (): number[] => {
      const table = new TermTable(4);
      const out = { ids: new Int32Array(1) };
      const n = scanTermIdsInto(text, table, true, 0, false, out);
      return Array.from(out.ids.subarray(0, n));
    };
    const before = scan();
    primeTermScanner();
    primeTermScanner();
    expect(scan()).toEqual(before);
    expect(before).toEqual([0, 1, 0, 2, 3, 4, 1]);
  });
});
