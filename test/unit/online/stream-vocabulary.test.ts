/**
 * The streaming vocabulary pass gives fitVectorizer's state exactly (vocabulary, idf, stop words,
 * display terms, options), its document frequencies, its errors; and transformTexts on batches of
 * the texts rebuilds fitVectorizer's X row for row, bit for bit.
 */
import fc from "fast-check";
import { sliceRows } from "../../helpers/matrices.js";
import { describe, expect, it } from "vitest";
import { readCorpus } from "../../../src/corpus/index.js";
import { InputError, UsageError } from "../../../src/errors.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { defaultTextOptions, fitVectorizer, transformTexts, type TextOptions } from "../../../src/text/index.js";
import { StreamingVocabulary } from "../../../src/text/stream.js";
import { type CountingPath, createTextTransformer } from "../../../src/text/vectorizer.js";
import { makeOptions, miniDir } from "../corpus/helpers.js";

const options = (overrides: Partial<TextOptions> = {}): TextOptions => ({ ...defaultTextOptions, ...overrides });

function streamVocabulary(texts: string[], o: TextOptions, path: CountingPath = "auto") {
  const pass = new StreamingVocabulary(o, path);
  for (const text of texts) pass.add(text);
  return pass.finish();
}

/** Rows [start, end) of X as their own CSR matrix. */

function expectSameMatrix(a: CsrMatrix, b: CsrMatrix): void {
  expect(a.nRows).toBe(b.nRows);
  expect(a.nCols).toBe(b.nCols);
  expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.data)).toEqual(Array.from(b.data)); // bit for bit
}

describe("StreamingVocabulary = fitVectorizer", async () => {
  const documents = await readCorpus([miniDir], makeOptions(), () => {});
  const texts = documents.map((d) => d.text);
  const cases: [string, Partial<TextOptions>][] = [
    ["scikit-learn's defaults", {}],
    ["stemming (display forms from the whole corpus)", { stem: true }],
    ["bigrams, sublinear tf, l1", { ngramRange: [1, 2], sublinearTf: true, norm: "l1", minDf: 3 }],
    ["max features, binary weighting", { maxFeatures: 500, weighting: "binary" }],
    ["tf weighting, no stop words, fractional min-df, integer max-df", { weighting: "tf", stopWords: "none", minDf: 0.01, maxDf: 200 }],
    ["a token pattern and --drop-numbers", { tokenPattern: "[a-z]{3,}", dropNumbers: true }],
  ];
  for (const [name, overrides] of cases) {
    it(name, () => {
      const o = options(overrides);
      const batch = fitVectorizer(texts, o);
      const streamed = streamVocabulary(texts, o);
      expect(streamed.nDocs).toBe(texts.length);
      expect(streamed.state).toEqual(batch.state);
      expect(Array.from(streamed.documentFrequency)).toEqual(Array.from(batch.documentFrequency));
      // Batches of new-document vectorizing rebuild X exactly, with a fresh or a reused transformer.
      const transformer = createTextTransformer(streamed.state);
      for (let start = 0; start < texts.length; start += 64) {
        const end = Math.min(texts.length, start + 64);
        expectSameMatrix(transformTexts(texts.slice(start, end), streamed.state), sliceRows(batch.X, start, end));
        expectSameMatrix(transformer(texts.slice(start, end)), sliceRows(batch.X, start, end));
      }
    });
  }

  it("the general path (no fast scanner) gives the same state", () => {
    const o = options({ stem: true });
    expect(streamVocabulary(texts, o, "general").state).toEqual(fitVectorizer(texts, o).state);
  });
});

describe("StreamingVocabulary on random corpora (property)", () => {
  const word = fc.constantFrom("alpha", "beta", "gamma", "delta", "the", "and", "naïve", "café", "42", "x", "zürich", "北京");
  const text = fc.array(word, { maxLength: 12 }).map((ws) => ws.join(" "));
  it("state and errors equal fitVectorizer's", () => {
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(1, 2, 0.2),
        fc.constantFrom(1, 0.95, 0.5, 3),
        fc.constantFrom<[number, number]>([1, 1], [1, 2], [2, 2]),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: null }),
        (texts, minDf, maxDf, ngramRange, maxFeatures) => {
          const o = options({ minDf, maxDf, ngramRange, maxFeatures });
          let expected: unknown;
          let expectedError: unknown;
          try {
            expected = fitVectorizer(texts, o).state;
          } catch (error) {
            expectedError = error;
          }
          let actual: unknown;
          let actualError: unknown;
          try {
            actual = streamVocabulary(texts, o).state;
          } catch (error) {
            actualError = error;
          }
          if (expectedError !== undefined) {
            expect(actualError).toBeInstanceOf((expectedError as Error).constructor);
            expect((actualError as Error).message).toBe((expectedError as Error).message);
          } else {
            expect(actualError).toBeUndefined();
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("StreamingVocabulary errors", () => {
  it("no document, no term, limits that cross: the errors of fitVectorizer", () => {
    expect(() => new StreamingVocabulary(options()).finish()).toThrow(InputError);
    expect(() => streamVocabulary(["the and of", "a"], options())).toThrow(/No terms found in 2 documents/);
    expect(() => streamVocabulary(["apple pear", "plum", "fig"], options({ minDf: 2 }))).toThrow(/After pruning, no terms remain/);
    expect(() => streamVocabulary(["apple"], options())).toThrow(UsageError);
    expect(() => new StreamingVocabulary(options({ minDf: -1 }))).toThrow(UsageError);
  });

  it("refuses documents after finish", () => {
    const pass = new StreamingVocabulary(options({ minDf: 1, maxDf: 1 }));
    pass.add("word words");
    pass.finish();
    expect(() => pass.add("more")).toThrow();
  });
});
