import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, UsageError } from "../../../src/errors.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import {
  defaultTextOptions,
  englishStopWords,
  fitVectorizer,
  type TextOptions,
  transformTexts,
} from "../../../src/text/index.js";
import { fitVectorizerWith, transformTextsWith } from "../../../src/text/vectorizer.js";

const options = (overrides: Partial<TextOptions> = {}): TextOptions => ({ ...defaultTextOptions, ...overrides });

function toDense(X: CsrMatrix): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < X.nRows; r++) {
    const row = new Array<number>(X.nCols).fill(0);
    for (let p = X.indptr[r]; p < X.indptr[r + 1]; p++) row[X.indices[p]] = X.data[p];
    rows.push(row);
  }
  return rows;
}

function expectValidCsr(X: CsrMatrix): void {
  expect(X.indptr.length).toBe(X.nRows + 1);
  expect(X.indptr[0]).toBe(0);
  expect(X.indices.length).toBe(X.indptr[X.nRows]);
  expect(X.data.length).toBe(X.indptr[X.nRows]);
  for (let r = 0; r < X.nRows; r++) {
    for (let p = X.indptr[r]; p < X.indptr[r + 1]; p++) {
      expect(X.indices[p]).toBeGreaterThanOrEqual(0);
      expect(X.indices[p]).toBeLessThan(X.nCols);
      if (p > X.indptr[r]) expect(X.indices[p]).toBeGreaterThan(X.indices[p - 1]);
      expect(X.data[p]).not.toBe(0);
    }
  }
}

function expectSameMatrix(a: CsrMatrix, b: CsrMatrix): void {
  expect([a.nRows, a.nCols]).toEqual([b.nRows, b.nCols]);
  expect(Array.from(a.indptr)).toEqual(Array.from(b.indptr));
  expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
}

/**
 * The naive dense oracle, written plainly from scikit-learn's documentation, for ASCII texts and no
 * stemming: JavaScript's ASCII \b\w\w+\b is Python's on ASCII.
 */
function vectorizeNaively(texts: string[], o: TextOptions, stopWords: readonly string[]) {
  const stop = new Set(stopWords);
  const docs = texts.map((text) => {
    let tokens: string[] = text.toLowerCase().match(/\b\w\w+\b/g) ?? [];
    tokens = tokens.filter((t) => !stop.has(t) && !(o.dropNumbers && /^[0-9]+$/.test(t)));
    const terms: string[] = [];
    for (let n = o.ngramRange[0]; n <= o.ngramRange[1]; n++) {
      for (let i = 0; i + n <= tokens.length; i++) terms.push(tokens.slice(i, i + n).join(" "));
    }
    const counts = new Map<string, number>();
    for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  });
  const nDocs = texts.length;
  const df = new Map<string, number>();
  const total = new Map<string, number>();
  for (const counts of docs) {
    for (const [t, c] of counts) {
      df.set(t, (df.get(t) ?? 0) + 1);
      total.set(t, (total.get(t) ?? 0) + c);
    }
  }
  const maxCount = Number.isInteger(o.maxDf) && o.maxDf > 1 ? o.maxDf : o.maxDf * nDocs;
  const minCount = Number.isInteger(o.minDf) && o.minDf >= 1 ? o.minDf : o.minDf * nDocs;
  let kept = [...df.keys()].filter((t) => (df.get(t) as number) >= minCount && (df.get(t) as number) <= maxCount);
  if (o.maxFeatures !== null && kept.length > o.maxFeatures) {
    const freq = o.weighting === "binary" ? df : total;
    kept.sort((a, b) => (freq.get(b) as number) - (freq.get(a) as number) || (a < b ? -1 : 1));
    kept = kept.slice(0, o.maxFeatures);
  }
  const vocabulary = kept.sort();
  const idf = vocabulary.map((t) => Math.log((nDocs + 1) / ((df.get(t) as number) + 1)) + 1);
  const dense = docs.map((counts) =>
    vocabulary.map((t, j) => {
      const c = counts.get(t) ?? 0;
      if (c === 0) return 0;
      let w = o.weighting === "binary" ? 1 : c;
      if (o.sublinearTf) w = Math.log(w) + 1;
      if (o.weighting === "tfidf") w *= idf[j];
      return w;
    }),
  );
  for (const row of dense) {
    let norm = 0;
    if (o.norm === "l2") norm = Math.sqrt(row.reduce((s, w) => s + w * w, 0));
    if (o.norm === "l1") norm = row.reduce((s, w) => s + Math.abs(w), 0);
    if (norm > 0) for (let j = 0; j < row.length; j++) row[j] /= norm;
  }
  return { vocabulary, idf, dense, df: vocabulary.map((t) => df.get(t) as number), nRawTerms: df.size };
}

const corpus = [
  "The cat sat on the mat. The cat is black.",
  "A dog sat on a log; the dog barked at the cat.",
  "Cats and dogs: 2024 was the year of the cat and the dog.",
  "Nothing to see here, 42 42 42.",
  "The black dog and the black cat sat together in 2024.",
  "the the the",
];

describe("fitVectorizer against the naive dense oracle", () => {
  const weightings: Array<TextOptions["weighting"]> = ["tfidf", "tf", "binary"];
  const norms: Array<TextOptions["norm"]> = ["l2", "l1", "none"];
  for (const weighting of weightings) {
    for (const norm of norms) {
      for (const sublinearTf of [false, true]) {
        it(`weighting ${weighting}, norm ${norm}, sublinear ${sublinearTf}`, () => {
          const o = options({ weighting, norm, sublinearTf, minDf: 1, ngramRange: [1, 2] });
          const { X, state, documentFrequency } = fitVectorizer(corpus, o);
          const oracle = vectorizeNaively(corpus, o, englishStopWords);
          expectValidCsr(X);
          expect(state.vocabulary).toEqual(oracle.vocabulary);
          expect(Array.from(documentFrequency)).toEqual(oracle.df);
          expect(state.idf).toEqual(weighting === "tfidf" ? oracle.idf : null);
          const dense = toDense(X);
          for (let r = 0; r < corpus.length; r++) {
            for (let j = 0; j < oracle.vocabulary.length; j++) {
              expect(Math.abs(dense[r][j] - oracle.dense[r][j]), `(${r}, ${j})`).toBeLessThanOrEqual(1e-15);
            }
          }
        });
      }
    }
  }

  it("matches the oracle on random ASCII corpora and random options (property)", () => {
    const word = fc.constantFrom("alpha", "beta", "gamma", "delta", "the", "and", "x", "42", "7", "e2e", "Alpha", "BETA");
    const doc = fc.array(word, { maxLength: 25 }).map((w) => w.join(" "));
    const opts = fc.record({
      minDf: fc.constantFrom(0, 1, 2, 3, 0.25, 0.5),
      maxDf: fc.constantFrom(1, 0.95, 0.8, 0.5, 3, 5),
      maxFeatures: fc.constantFrom(null, 1, 3, 5),
      ngramRange: fc.constantFrom<[number, number]>([1, 1], [1, 2], [2, 2], [1, 3]),
      dropNumbers: fc.boolean(),
      weighting: fc.constantFrom<TextOptions["weighting"]>("tfidf", "tf", "binary"),
      sublinearTf: fc.boolean(),
      norm: fc.constantFrom<TextOptions["norm"]>("l2", "l1", "none"),
      stopWords: fc.constantFrom("auto", "none"),
    });
    let fitted = 0;
    fc.assert(
      fc.property(fc.array(doc, { minLength: 1, maxLength: 8 }), opts, (texts, overrides) => {
        const o = options(overrides);
        const oracle = vectorizeNaively(texts, o, o.stopWords === "auto" ? englishStopWords : []);
        const maxCount = Number.isInteger(o.maxDf) && o.maxDf > 1 ? o.maxDf : o.maxDf * texts.length;
        const minCount = Number.isInteger(o.minDf) && o.minDf >= 1 ? o.minDf : o.minDf * texts.length;
        let result;
        try {
          result = fitVectorizer(texts, o);
        } catch (error) {
          // As scikit-learn: no term at all, then max_df < min_df, then nothing left after pruning.
          if (oracle.nRawTerms === 0) expect(error).toBeInstanceOf(InputError);
          else if (maxCount < minCount) expect(error).toBeInstanceOf(UsageError);
          else {
            expect(error).toBeInstanceOf(InputError);
            expect(oracle.vocabulary.length).toBe(0);
          }
          return;
        }
        expect(maxCount >= minCount).toBe(true);
        fitted++;
        expect(result.state.vocabulary).toEqual(oracle.vocabulary);
        const dense = toDense(result.X);
        for (let r = 0; r < texts.length; r++) {
          for (let j = 0; j < oracle.vocabulary.length; j++) {
            expect(Math.abs(dense[r][j] - oracle.dense[r][j])).toBeLessThanOrEqual(1e-15);
          }
        }
        // The fast scanner and the general analyzer agree bit for bit.
        const general = fitVectorizerWith(texts, o, "general");
        expectSameMatrix(result.X, general.X);
        expect(general.state).toEqual(result.state);
      }),
      { numRuns: 300 },
    );
    expect(fitted).toBeGreaterThan(100); // most draws fit; the others checked the errors

  });
});

/** scikit-learn 1.2.1 TfidfVectorizer on `unicodeCorpus`, recorded with /usr/bin/python3. */
const unicodeCorpus = [
  "The quick brown fox jumps over the lazy dog.",
  "A quick brown dog; the dog sleeps.",
  "Naïve café in Zürich: café, café!",
  "Ελληνικά και Русский текст, 中文 text",
  "fox fox fox 2024 2024",
  "",
];
const sklearnDefaultMinDf1 = {
  vocabulary: ["2024", "brown", "café", "dog", "fox", "jumps", "lazy", "naïve", "quick", "sleeps", "text", "zürich", "ελληνικά", "και", "русский", "текст", "中文"],
  rows: [
    [[1, 0.37865978409933865], [3, 0.37865978409933865], [4, 0.37865978409933865], [5, 0.46177216872791776], [6, 0.46177216872791776], [8, 0.37865978409933865]],
    [[1, 0.36546138682094764], [3, 0.7309227736418953], [8, 0.36546138682094764], [9, 0.4456768430796668]],
    [[2, 0.9045340337332909], [7, 0.30151134457776363], [11, 0.30151134457776363]],
    [[10, 0.408248290463863], [12, 0.408248290463863], [13, 0.408248290463863], [14, 0.408248290463863], [15, 0.408248290463863], [16, 0.408248290463863]],
    [[0, 0.6308234589574226], [4, 0.7759263905996451]],
    [],
  ],
};
const sklearnBigramsSublinear = {
  vocabulary: ["2024", "2024 2024", "brown", "brown dog", "brown fox", "café", "café café", "café zürich", "dog", "dog dog", "dog sleeps", "fox", "fox 2024", "fox fox", "fox jumps", "jumps", "jumps lazy", "lazy", "lazy dog", "naïve", "naïve café", "quick", "quick brown", "sleeps", "text", "zürich", "zürich café", "ελληνικά", "ελληνικά και", "και", "και русский", "русский", "русский текст", "текст", "текст 中文", "中文", "中文 text"],
  rows4: [[0, 0.5177320383602492], [1, 0.3057808820784432], [11, 0.5262159036187916], [12, 0.3057808820784432], [13, 0.5177320383602492]],
  rows1: [[2, 0.29092172689440954], [3, 0.35477640457022885], [8, 0.49257330165489993], [9, 0.35477640457022885], [10, 0.35477640457022885], [21, 0.29092172689440954], [22, 0.29092172689440954], [23, 0.35477640457022885]],
};

function rowEntries(X: CsrMatrix, r: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let p = X.indptr[r]; p < X.indptr[r + 1]; p++) out.push([X.indices[p], X.data[p]]);
  return out;
}

function expectRowsClose(actual: Array<[number, number]>, expected: number[][]): void {
  expect(actual.map(([j]) => j)).toEqual(expected.map(([j]) => j));
  actual.forEach(([, v], i) => expect(Math.abs(v - expected[i][1])).toBeLessThanOrEqual(1e-15));
}

describe("fitVectorizer against recorded scikit-learn output (Unicode corpus)", () => {
  it("stop_words='english', min_df=1", () => {
    const { X, state, emptyDocuments } = fitVectorizer(unicodeCorpus, options({ minDf: 1 }));
    expect(state.vocabulary).toEqual(sklearnDefaultMinDf1.vocabulary);
    sklearnDefaultMinDf1.rows.forEach((row, r) => expectRowsClose(rowEntries(X, r), row));
    expect(emptyDocuments).toEqual([5]);
  });

  it("ngram_range=(1, 2), sublinear_tf=True: n-grams are formed after stop-word removal", () => {
    const { X, state } = fitVectorizer(unicodeCorpus, options({ minDf: 1, ngramRange: [1, 2], sublinearTf: true }));
    expect(state.vocabulary).toEqual(sklearnBigramsSublinear.vocabulary);
    expectRowsClose(rowEntries(X, 1), sklearnBigramsSublinear.rows1);
    expectRowsClose(rowEntries(X, 4), sklearnBigramsSublinear.rows4);
    // "jumps over the lazy": "over" and "the" are stop words, so "jumps lazy" is a bigram.
    expect(state.vocabulary).toContain("jumps lazy");
  });

  it("ngram_range=(2, 3), min_df=2, max_df=0.5, no stop words, l1 -> only 'quick brown'", () => {
    const { X, state } = fitVectorizer(
      unicodeCorpus,
      options({ stopWords: "none", minDf: 2, maxDf: 0.5, ngramRange: [2, 3], norm: "l1" }),
    );
    expect(state.vocabulary).toEqual(["quick brown"]);
    expect(toDense(X).map((row) => row[0])).toEqual([1, 1, 0, 0, 0, 0]);
  });
});

describe("pruning", () => {
  // df: common 4, three 3, pair 2, solo 1 (of 4 documents).
  const docs = ["common three pair solo", "common three pair", "common three", "common"];
  const vocab = (o: Partial<TextOptions>) => fitVectorizer(docs, options({ stopWords: "none", ...o })).state.vocabulary;

  it("an integer min_df is a document count: a term in exactly min_df documents is kept", () => {
    expect(vocab({ minDf: 2, maxDf: 1 })).toEqual(["common", "pair", "three"]);
    expect(vocab({ minDf: 3, maxDf: 1 })).toEqual(["common", "three"]);
    expect(vocab({ minDf: 1, maxDf: 1 })).toEqual(["common", "pair", "solo", "three"]);
  });

  it("a fractional min_df is a share: 0.5 of 4 documents keeps df >= 2, 0.51 needs df >= 2.04", () => {
    expect(vocab({ minDf: 0.5, maxDf: 1 })).toEqual(["common", "pair", "three"]);
    expect(vocab({ minDf: 0.51, maxDf: 1 })).toEqual(["common", "three"]);
    expect(vocab({ minDf: 0, maxDf: 1 })).toEqual(["common", "pair", "solo", "three"]);
  });

  it("max_df: fraction boundary kept (0.75 of 4 = 3), integer > 1 a count, 1 means all documents", () => {
    expect(vocab({ minDf: 1, maxDf: 0.75 })).toEqual(["pair", "solo", "three"]);
    expect(vocab({ minDf: 1, maxDf: 0.74 })).toEqual(["pair", "solo"]);
    expect(vocab({ minDf: 1, maxDf: 3 })).toEqual(["pair", "solo", "three"]);
    expect(vocab({ minDf: 1, maxDf: 2 })).toEqual(["pair", "solo"]);
    expect(vocab({ minDf: 1, maxDf: 1 })).toEqual(["common", "pair", "solo", "three"]);
    // The default 0.95 of 4 documents = 3.8 drops "common".
    expect(vocab({ minDf: 1 })).toEqual(["pair", "solo", "three"]);
  });

  it("--max-df below --min-df is a UsageError naming both", () => {
    expect(() => vocab({ minDf: 3, maxDf: 2 })).toThrow(UsageError);
    expect(() => vocab({ minDf: 3, maxDf: 0.5 })).toThrow(/--max-df 0\.5 corresponds to fewer documents \(2\) than --min-df 3 \(3\)/);
  });

  it("no term left is an InputError that names --min-df and --max-df", () => {
    const run = () => fitVectorizer(["alpha beta", "gamma delta", "epsilon"], options());
    expect(run).toThrow(InputError);
    expect(run).toThrow(/After pruning, no terms remain: try a lower --min-df or a higher --max-df \(3 documents, 5 distinct terms, --min-df 2/);
  });

  it("max_features keeps the most frequent terms, ties by term (code-unit order)", () => {
    // total counts: b 3, a 2, c 2, d 2, e 1; ties a/c/d resolved alphabetically.
    const texts = ["bb bb aa dd", "bb cc", "cc aa dd ee"];
    const top = (n: number, weighting: TextOptions["weighting"] = "tfidf") =>
      fitVectorizer(texts, options({ stopWords: "none", minDf: 1, maxDf: 1, maxFeatures: n, weighting })).state.vocabulary;
    expect(top(1)).toEqual(["bb"]);
    expect(top(2)).toEqual(["aa", "bb"]);
    expect(top(3)).toEqual(["aa", "bb", "cc"]);
    expect(top(4)).toEqual(["aa", "bb", "cc", "dd"]);
    expect(top(10)).toEqual(["aa", "bb", "cc", "dd", "ee"]);
    // With binary weighting the corpus frequency is the document count (scikit-learn's binary=True):
    // all of aa, bb, cc, dd are in 2 documents.
    expect(top(1, "binary")).toEqual(["aa"]);
  });

  it("documentFrequency and emptyDocuments describe the pruned matrix", () => {
    const { documentFrequency, emptyDocuments, X } = fitVectorizer(
      ["alpha beta", "the of and", "alpha gamma", "beta", "zzz"],
      options({ minDf: 2, maxDf: 1 }),
    );
    expect(Array.from(documentFrequency)).toEqual([2, 2]);
    expect(emptyDocuments).toEqual([1, 4]);
    expect(X.indptr[2] - X.indptr[1]).toBe(0);
  });
});

describe("other preprocessing", () => {
  it("--drop-numbers drops digit-only tokens (any script) before n-grams", () => {
    const texts = ["in 2024 we saw ٢٠٢٤ cats x2", "in 2024 cats x2 ran"];
    const kept = fitVectorizer(texts, options({ minDf: 1, maxDf: 1 })).state.vocabulary;
    expect(kept).toContain("2024");
    expect(kept).toContain("٢٠٢٤");
    const dropped = fitVectorizer(texts, options({ minDf: 1, maxDf: 1, dropNumbers: true, ngramRange: [1, 2] })).state.vocabulary;
    // "in" and "we" are stop words; without the numbers the tokens are "saw cats x2" and "cats x2 ran".
    expect(dropped).toEqual(["cats", "cats x2", "ran", "saw", "saw cats", "x2", "x2 ran"]);
  });

  it("an empty corpus, or one with only stop words, is an InputError", () => {
    expect(() => fitVectorizer([], options())).toThrow(InputError);
    expect(() => fitVectorizer(["the and of", "a"], options())).toThrow(/only stop words/);
  });

  it("invalid option values are UsageErrors naming the flag", () => {
    expect(() => fitVectorizer(["a b"], options({ ngramRange: [2, 1] }))).toThrow(/--ngram-range/);
    expect(() => fitVectorizer(["a b"], options({ minDf: 1.5 }))).toThrow(/--min-df/);
    expect(() => fitVectorizer(["a b"], options({ maxDf: -1 }))).toThrow(/--max-df/);
    expect(() => fitVectorizer(["a b"], options({ maxFeatures: 0 }))).toThrow(/--max-features/);
  });

  it("vocabulary is sorted by UTF-16 code unit", () => {
    // U+1D400 (surrogates D835 DC00) sorts before U+FF5A by code unit (after it by code point).
    const { state } = fitVectorizer(["ｚｚ 𝐀𝐀 zz", "ｚｚ 𝐀𝐀 zz"], options({ minDf: 1, maxDf: 1 }));
    expect(state.vocabulary).toEqual(["zz", "𝐀𝐀", "ｚｚ"]);
  });
});

describe("stemming", () => {
  const texts = [
    "Running runs run. The runner was running.",
    "Connections connected; connecting connects the connection.",
    "She runs and he runs: running.",
  ];

  it("groups tokens by stem and displays each stem's most frequent surface form", () => {
    const { state, X } = fitVectorizer(texts, options({ stem: true, minDf: 1, maxDf: 1 }));
    const display = new Map(state.vocabulary.map((t, j) => [t, state.displayTerms[j]]));
    expect(state.vocabulary).toEqual(["connect", "run", "runner"]);
    // run: running 3, runs 3, run 1 -> tie between running and runs, the lower code unit wins.
    expect(display.get("run")).toBe("running");
    // connect: connection 1, connections 1, connected 1, connecting 1, connects 1 -> "connected".
    expect(display.get("connect")).toBe("connected");
    expect(display.get("runner")).toBe("runner");
    expect(X.nCols).toBe(3);
  });

  it("stop words are removed before stemming; n-grams of stems show their words' display forms", () => {
    const { state } = fitVectorizer(texts, options({ stem: true, minDf: 1, maxDf: 1, ngramRange: [1, 2] }));
    const j = state.vocabulary.indexOf("run run");
    expect(j).toBeGreaterThanOrEqual(0);
    expect(state.displayTerms[j]).toBe("running running");
    expect(state.vocabulary).not.toContain("the");
  });

  it("without --stem the display terms are the terms", () => {
    const { state } = fitVectorizer(texts, options({ minDf: 1, maxDf: 1 }));
    expect(state.displayTerms).toEqual(state.vocabulary);
  });

  it("a language without a stemmer is a UsageError naming the available ones", () => {
    expect(() => fitVectorizer(texts, options({ stem: true, lang: "pl", stopWords: "none" }))).toThrow(UsageError);
    expect(() => fitVectorizer(texts, options({ stem: true, lang: "pl", stopWords: "none" }))).toThrow(
      /no stemmer for --lang pl; stemmers exist for de, en, es/,
    );
  });

  it("the fast and general paths agree with stemming, and every stemmer language fits", () => {
    const o = options({ stem: true, minDf: 1, maxDf: 1 });
    const a = fitVectorizerWith(texts, o, "auto");
    const b = fitVectorizerWith(texts, o, "general");
    expectSameMatrix(a.X, b.X);
    expect(a.state).toEqual(b.state);
    const samples: Record<string, string> = {
      de: "Häuser häuser laufen", es: "corriendo corrían", fr: "continuellement continuer", it: "abbandonata abbandonate",
      nl: "lichamelijk lichamelijke", no: "kjøpte kjøper", pt: "correndo correram", ru: "бегающий бегать",
      sv: "springande springer", uk: "бігаючи бігати", fa: "کتاب‌ها کتاب", id: "memakan makanan", ja: "コンピューター コンピュータ",
      nb: "kjøpte kjøper",
    };
    for (const [lang, text] of Object.entries(samples)) {
      const { state } = fitVectorizer([text, text], options({ stem: true, lang, stopWords: "none", maxDf: 1 }));
      expect(state.vocabulary.length, lang).toBeGreaterThan(0);
    }
  });
});

describe("transformTexts", () => {
  it("on the fitting texts gives exactly X, for every path and weighting", () => {
    for (const o of [
      options({ minDf: 1 }),
      options({ minDf: 1, ngramRange: [1, 3], weighting: "tf", norm: "l1" }),
      options({ minDf: 1, stem: true, sublinearTf: true }),
      options({ minDf: 1, tokenPattern: "\\p{L}+", weighting: "binary", dropNumbers: true }),
    ]) {
      const { X, state } = fitVectorizer(unicodeCorpus.concat(corpus), o);
      expectSameMatrix(transformTexts(unicodeCorpus.concat(corpus), state), X);
      expectSameMatrix(transformTextsWith(unicodeCorpus.concat(corpus), state, true), X);
    }
  });

  it("survives a JSON round trip of the state (the model file)", () => {
    const { X, state } = fitVectorizer(corpus, options({ minDf: 1, stem: true }));
    const restored = JSON.parse(JSON.stringify(state));
    expectSameMatrix(transformTexts(corpus, restored), X);
  });

  it("ignores unknown terms, uses the fitted idf and keeps n-gram positions of unknown tokens", () => {
    const { state } = fitVectorizer(["red apple", "green apple", "red car"], options({ minDf: 1, ngramRange: [1, 2] }));
    const Y = transformTexts(["red zebra apple", "RED APPLE pie", "nothing known"], state);
    const dense = toDense(Y);
    const j = (t: string) => state.vocabulary.indexOf(t);
    // "red zebra apple": the bigram "red apple" is not formed across the unknown "zebra".
    expect(dense[0][j("red apple")]).toBe(0);
    expect(dense[1][j("red apple")]).toBeGreaterThan(0);
    const idf = state.idf as number[];
    // Row 0 holds red (idf 1 + ln(4/3)) and apple (same df): equal weights, l2-normalised.
    expect(idf[j("red")]).toBe(Math.log(4 / 3) + 1);
    expect(dense[0][j("red")]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(dense[2].every((v) => v === 0)).toBe(true);
  });
});
