/**
 * The WebAssembly counting loop (assembly/text.ts via src/text/wasm-counter.ts) against the two
 * JavaScript loops: the same vocabulary, idf and matrix bit for bit, on texts built to hit its
 * edges (ASCII and non-ASCII texts sharing terms, tokens across its 64-byte blocks, long tokens,
 * digits, stop words, growth of every buffer).
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { defaultTextOptions, type TextOptions } from "../../../src/text/index.js";
import { StreamingVocabulary } from "../../../src/text/stream.js";
import { type CountingPath, fitVectorizerWith, VocabularyCounter } from "../../../src/text/vectorizer.js";
import { TextModuleMemoryError, WasmTermCounter, wasmCounterAvailable } from "../../../src/text/wasm-counter.js";

const options = (overrides: Partial<TextOptions> = {}): TextOptions => ({ ...defaultTextOptions, ...overrides });

function expectSameMatrix(a: CsrMatrix, b: CsrMatrix): void {
  expect([a.nRows, a.nCols]).toEqual([b.nRows, b.nCols]);
  expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
}

/** Fits with every counting path and expects one result; returns it. */
function fitAllPaths(texts: string[], o: TextOptions) {
  const results = (["auto", "scanner", "general"] as CountingPath[]).map((path) => fitVectorizerWith(texts, o, path));
  for (const other of results.slice(1)) {
    expectSameMatrix(other.X, results[0].X);
    expect(other.state).toEqual(results[0].state);
    expect(Array.from(other.documentFrequency)).toEqual(Array.from(results[0].documentFrequency));
    expect(other.emptyDocuments).toEqual(results[0].emptyDocuments);
  }
  return results[0];
}

/**
 * Pieces of text: ASCII words of every length around the 8- and 16-byte key boundaries, digits,
 * capitals, separators, and non-ASCII word characters (2, 3 and 4 UTF-8 bytes; a letter whose
 * lowercase is two code points; Arabic-Indic and mathematical digits), non-word ones (a combining
 * mark, an emoji, a lone surrogate, U+FFFD, a letter newer than Python 3.11's Unicode 14).
 */
const pieces = [
  "a", "ab", "the", "cat", "Cat", "CAT", "dogs", "x_y", "_", "__init__", "abcdefg", "abcdefgh", "abcdefghi",
  "abcdefghijklmnop", "abcdefghijklmnopq", "internationalization", "2024", "42", "0", "007", "a1", "1a",
  " ", "  ", "\n", "\t", ".", ", ", "-", "'s ", "(", "é", "café", "Zürich", "straße", "İstanbul", "ΑΒΓ", "τεστ",
  "русский", "東京", "中文", "١٢٣", "𝟏𝟐", "𝐀𝐁", "e\u0301", "😀", "\ud800", "\ufffd", "\u088f", "ß", "ǅ",
];

const textArbitrary = fc.array(fc.constantFrom(...pieces), { maxLength: 90 }).map((parts) => parts.join(""));

describe("the WebAssembly counting loop", () => {
  it("is available in this build (so the comparisons below test it)", () => {
    expect(wasmCounterAvailable()).toBe(true);
  });

  it("gives what both JavaScript loops give, on random mixed texts and options, every weighting (property)", () => {
    fc.assert(
      fc.property(
        fc.array(textArbitrary, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom("auto", "none"),
        fc.constantFrom(1, 2, 0.2),
        fc.constantFrom(null, 3, 1000),
        fc.constantFrom("tfidf", "tf", "binary"),
        fc.constantFrom("l2", "l1", "none"),
        fc.boolean(),
        (texts, dropNumbers, stopWords, minDf, maxFeatures, weighting, norm, sublinearTf) => {
          const o = options({ dropNumbers, stopWords, minDf, maxDf: 1.0, maxFeatures, weighting, norm, sublinearTf });
          let vocabulary: string[] | null = null;
          try {
            vocabulary = fitAllPaths(texts, o).state.vocabulary;
          } catch (error) {
            // No terms: every path must fail the same way.
            for (const path of ["auto", "scanner", "general"] as CountingPath[]) {
              expect(() => fitVectorizerWith(texts, o, path)).toThrow((error as Error).message);
            }
          }
          if (vocabulary !== null) expect(vocabulary.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("sorts terms by code unit: long terms sharing 8 bytes, and terms above U+FFFF (sorted as strings)", () => {
    const long = ["abcdefgh", "abcdefghz", "abcdefghij", "abcdefgha", "abcdefgh_", "abcdefgh0", "zzzzzzzzzzzzzzzzzz", "ab"];
    const plain = fitAllPaths([long.join(" "), "ﬀﬀ ab"], options({ minDf: 1, maxDf: 1.0, stopWords: "none" }));
    expect(plain.state.vocabulary).toEqual([...long, "ﬀﬀ"].sort());
    // U+FF21 (fullwidth A) sorts after U+1D400 (bold A) by UTF-16 code unit, before it by UTF-8 byte.
    const astral = fitAllPaths(["\uff41\uff41 \u{1d41a}\u{1d41a} ab"], options({ minDf: 1, maxDf: 1.0, stopWords: "none" }));
    expect(astral.state.vocabulary).toEqual(["ab", "\u{1d41a}\u{1d41a}", "\uff41\uff41"]);
  });

  it("finds tokens across its 64-byte blocks and at the end of a text", () => {
    const texts: string[] = [];
    for (let offset = 55; offset <= 72; offset++) {
      texts.push(`${" ".repeat(offset)}boundary${" ".repeat(3)}x${".".repeat(offset)}tail`);
      texts.push(`${"-".repeat(offset)}${"w".repeat(offset)}`);
    }
    texts.push("z".repeat(64), "z".repeat(128), "y".repeat(63) + "!", "end");
    const { state, X } = fitAllPaths(texts, options({ minDf: 1, maxDf: 1.0, stopWords: "none" }));
    expect(state.vocabulary).toContain("boundary");
    expect(state.vocabulary).toContain("w".repeat(72));
    expect(state.vocabulary).toContain("z".repeat(128));
    expect(state.vocabulary).not.toContain("x");
    expect(X.nRows).toBe(texts.length);
  });

  it("grows its text buffer, term table, arena and entries past their first sizes", () => {
    // 70,000 distinct terms (first room: 65,536), ~620,000 entries (first room: 524,288), and one
    // text of 600 KB (first room: 64 KiB); terms of 7-12 bytes straddle the 8-byte key.
    const term = (i: number) => `t${(i * 7919).toString(36)}x${"q".repeat(i % 6)}`;
    const texts: string[] = [];
    for (let d = 0; d < 310; d++) {
      const words: string[] = [];
      for (let i = 0; i < 2000; i++) words.push(term((d * 2000 + i) % 70000));
      texts.push(words.join(" "));
    }
    texts.push(Array.from({ length: 60000 }, (_, i) => term(i)).join(" Ünï "));
    const { state, X } = fitAllPaths(texts, options({ minDf: 1, maxDf: 1.0 }));
    expect(state.vocabulary.length).toBe(70001); // and "ünï"
    expect(X.indptr[X.nRows]).toBeGreaterThan(1 << 19);
  });

  it("counts the same vocabulary in the streaming pass (no entries kept)", () => {
    const texts = ["Naïve café, café!", "the cat 2024 and the CAT", "東京 and 東京", "", "café cat"];
    const o = options({ minDf: 1, dropNumbers: true });
    const streamed = ["auto", "general"].map((path) => {
      const pass = new StreamingVocabulary(o, path as CountingPath);
      for (const text of texts) pass.add(text);
      return pass.finish();
    });
    expect(streamed[0]).toEqual(streamed[1]);
    expect(streamed[0].state.vocabulary).toEqual(["café", "cat", "naïve", "東京"]);
  });

  it("past 4 GiB throws TextModuleMemoryError, and fitting then counts again in JavaScript", () => {
    // 2^30 entries of two i32 arrays: 8 GiB, more than a 32-bit memory can hold.
    expect(() => new WasmTermCounter([], false, 1 << 16, 2 ** 30)).toThrow(TextModuleMemoryError);
    const texts = ["the cat sat", "the dog sat", "a cat and a dog"];
    const o = options({ minDf: 1, stopWords: "none" });
    const spy = vi.spyOn(WasmTermCounter.prototype, "countDocument").mockImplementationOnce(() => {
      throw new TextModuleMemoryError();
    });
    try {
      const recovered = fitVectorizerWith(texts, o, "auto");
      expect(spy).toHaveBeenCalled();
      const scanner = fitVectorizerWith(texts, o, "scanner");
      expectSameMatrix(recovered.X, scanner.X);
      expect(recovered.state).toEqual(scanner.state);
    } finally {
      spy.mockRestore();
    }
  });

  it("gives the entries of each document in order of first occurrence", () => {
    const counter = new VocabularyCounter(options({ stopWords: "none" }));
    expect(counter.countDocument("b a b c", true)).toBe(0); // single letters are not tokens
    expect(counter.countDocument("bb aa bb cc bb", true)).toBe(3);
    expect(counter.countDocument("skipped", false)).toBe(3);
    expect(counter.countDocument("CC dd", true)).toBe(5);
    const { ids, counts, nnz } = counter.entries();
    expect(nnz).toBe(5);
    // ids: bb 0, aa 1, cc 2, skipped 3, dd 4
    expect(Array.from(ids.subarray(0, nnz))).toEqual([0, 1, 2, 2, 4]);
    expect(Array.from(counts.subarray(0, nnz))).toEqual([3, 1, 1, 1, 1]);
  });
});
