/** diff: parsing both kinds of files, alignment of topics, word changes, new/vanished topics, the report. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildSparseWeights, diffTopics, parseDiffSide, type ParsedSide } from "../../../src/diff.js";
import { InputError } from "../../../src/errors.js";
import { MODEL_SCHEMA, serializeModel, type Model } from "../../../src/model.js";
import { buildDiffReport, describeFailure, renderDiffJson, renderDiffTable } from "../../../src/report/diff.js";
import { defaultTextOptions } from "../../../src/text/index.js";

type Words = [string, number][];

/** The text of a fit JSON with the given topics (id = position unless given). */
function runJson(topics: (Words | { id: number; words: Words })[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schema: "nmf-topics/fit@1",
    version: "0.1.0",
    corpus: { documents: 10, terms: 50, nonzeros: 100, fingerprint: "f".repeat(64) },
    topics: topics.map((t, i) => {
      const { id, words } = Array.isArray(t) ? { id: i, words: t } : t;
      return { id, share: 0.1, words: words.map(([term, weight]) => ({ term, weight })), coherence: { npmi: 0.1 } };
    }),
    ...extra,
  });
}

const SPORT: Words = [["game", 0.9], ["team", 0.8], ["season", 0.5], ["player", 0.4]];
const SPACE: Words = [["nasa", 1.2], ["orbit", 0.7], ["launch", 0.6], ["moon", 0.2]];
const MED: Words = [["doctor", 0.7], ["patient", 0.65], ["disease", 0.3], ["drug", 0.3]];
const parse = (text: string, name = "x.json"): ParsedSide => parseDiffSide(text, name);

/** A model file's text: vocabulary sorted, H given per topic as a term -> weight map. */
function modelText(rows: Record<string, number>[], topWords = 4): string {
  const vocabulary = [...new Set(rows.flatMap((r) => Object.keys(r)))].sort();
  const k = rows.length;
  const H = new Float64Array(k * vocabulary.length);
  rows.forEach((r, t) => vocabulary.forEach((term, j) => (H[t * vocabulary.length + j] = r[term] ?? 0)));
  const model: Model = {
    schema: MODEL_SCHEMA,
    version: "0.1.0",
    text: { options: { ...defaultTextOptions }, stopWords: [], vocabulary, idf: null, displayTerms: vocabulary },
    nmf: {
      loss: "frobenius", solver: "cd", init: "nndsvda", nTopics: k, maxIter: 200, tol: 1e-4, seed: 0,
      alphaW: 0, alphaH: 0, l1Ratio: 0, iterations: 10, converged: true, objective: 1, relativeError: 0.5,
    },
    topWords,
    corpus: { documents: 10, terms: vocabulary.length, nonzeros: 20, fingerprint: "f".repeat(64) },
    topics: rows.map((_, t) => ({ id: t, share: 1 / k, npmi: 0, top: [] })),
    H,
  };
  return serializeModel(model);
}

const cosine = (a: number[], b: number[]) => {
  let dot = 0, na = 0, nb = 0;
  a.forEach((x, i) => ((dot += x * b[i]), (na += x * x), (nb += b[i] * b[i])));
  return dot / Math.sqrt(na * nb);
};

describe("parseDiffSide", () => {
  it("reads a fit JSON: ids, words in order, weights as sparse vectors over the union of top words", () => {
    const side = parse(runJson([SPORT, SPACE], { hash: "a".repeat(64) }));
    expect(side.kind).toBe("run");
    expect(side.schema).toBe("nmf-topics/fit@1");
    expect(side.hash).toBe("a".repeat(64));
    expect(side.fingerprint).toBe("f".repeat(64));
    expect(side.topics).toEqual([
      { id: 0, words: ["game", "team", "season", "player"] },
      { id: 1, words: ["nasa", "orbit", "launch", "moon"] },
    ]);
    expect(side.weights.k).toBe(2);
    expect(side.weights.terms).toEqual([...SPORT, ...SPACE].map(([t]) => t));
    expect(Array.from(side.weights.weights)).toEqual([0.9, 0.8, 0.5, 0.4, 0, 0, 0, 0, 0, 0, 0, 0, 1.2, 0.7, 0.6, 0.2]);
  });

  it("reads transform and topics JSON, and model files", () => {
    expect(parse(runJson([SPORT]).replace("fit@1", "transform@1")).schema).toBe("nmf-topics/transform@1");
    expect(parse(runJson([SPORT]).replace("fit@1", "topics@1")).kind).toBe("run");
    const model = parse(modelText([{ a: 3, b: 2, c: 1, d: 0.5, e: 0.1 }], 3));
    expect(model.kind).toBe("model");
    expect(model.topics).toEqual([{ id: 0, words: ["a", "b", "c"] }]);
    expect(model.weights.terms).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("refuses what it cannot read with an InputError naming the file", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /invalid|not valid JSON/],
      ["[1, 2]", /no schema/],
      [JSON.stringify({ schema: "nmf-topics/sweep@1" }), /cannot diff a "nmf-topics\/sweep@1" file/],
      [JSON.stringify({ schema: "nmf-topics/fit@1" }), /missing the topics array/],
      [runJson([SPORT]).replace('"weight":0.9', '"weight":-1'), /topic 0, word 0/],
      [runJson([SPORT]).replace('"term":"game"', '"term":5'), /topic 0, word 0/],
      [runJson([SPORT, { id: 0, words: SPACE }]), /repeated id/],
      [JSON.stringify({ schema: "nmf-topics/model@1" }), /corrupt model file/],
      [JSON.stringify({ schema: "nmf-topics/model@2" }), /newer nmf-topics/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parse(text, "runs/old.json");
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(InputError);
      expect((error as Error).message, text).toMatch(/^runs\/old\.json: /);
      expect((error as Error).message, text).toMatch(message);
    }
  });
});

describe("buildSparseWeights", () => {
  it("puts each distinct term in one column and adds the weights of a term listed twice", () => {
    const w = buildSparseWeights([
      [{ term: "x", weight: 1 }, { term: "y", weight: 2 }, { term: "x", weight: 0.5 }],
      [{ term: "z", weight: 3 }, { term: "y", weight: 4 }],
    ]);
    expect(w.terms).toEqual(["x", "y", "z"]);
    expect(Array.from(w.weights)).toEqual([1.5, 2, 0, 0, 4, 3]);
  });
});

describe("diffTopics", () => {
  it("of a run with itself: every topic matched to itself with similarity exactly 1, nothing changed", () => {
    const a = parse(runJson([SPORT, SPACE, MED]));
    const result = diffTopics(a, parse(runJson([SPORT, SPACE, MED])), 0.8);
    expect(result.pairs.map((p) => [p.a, p.b, p.similarity])).toEqual([[0, 0, 1], [1, 1, 1], [2, 2, 1]]);
    expect(result.pairs.every((p) => p.added.length === 0 && p.removed.length === 0 && p.passed)).toBe(true);
    expect(result.added).toEqual([]);
    expect(result.vanished).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.basis).toBe("top-words");
  });

  it("matches topics by content whatever their ids and order, with cosine over the shared terms", () => {
    const b = runJson([
      { id: 0, words: MED },
      { id: 1, words: [["nasa", 1], ["orbit", 0.8], ["shuttle", 0.5], ["launch", 0.4]] },
      { id: 2, words: SPORT },
    ]);
    const result = diffTopics(parse(runJson([SPORT, SPACE, MED])), parse(b), 0.9);
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([[0, 2], [1, 1], [2, 0]]);
    // the space pair: top-word vectors over all words of both files ("moon" weighs 0 in b,
    // "shuttle" 0 in a; the other words are 0 in both rows)
    const expected = cosine([1.2, 0.7, 0.6, 0.2, 0], [1, 0.8, 0.4, 0, 0.5]);
    expect(result.pairs[1].similarity).toBeCloseTo(expected, 12);
    expect(result.pairs[1].added).toEqual(["shuttle"]);
    expect(result.pairs[1].removed).toEqual(["moon"]);
    expect(result.pairs[1].passed).toBe(expected >= 0.9);
    expect(result.pairs[0].similarity).toBe(1);
  });

  it("lists the topics of a that b lost as vanished, and fails", () => {
    const result = diffTopics(parse(runJson([SPORT, SPACE, MED])), parse(runJson([MED, SPORT])), 0.8);
    expect(result.pairs.map((p) => [p.a, p.b, p.similarity])).toEqual([[0, 1, 1], [2, 0, 1]]);
    expect(result.vanished).toEqual([{ id: 1, words: ["nasa", "orbit", "launch", "moon"] }]);
    expect(result.added).toEqual([]);
    expect(result.passed).toBe(false);
  });

  it("lists the topics only b has as new, and fails", () => {
    const result = diffTopics(parse(runJson([SPACE])), parse(runJson([SPORT, SPACE])), 0.8);
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([[0, 1]]);
    expect(result.added).toEqual([{ id: 0, words: ["game", "team", "season", "player"] }]);
    expect(result.passed).toBe(false);
  });

  it("counts a pair with no shared weighted word as one vanished and one new topic", () => {
    const result = diffTopics(parse(runJson([SPORT, SPACE])), parse(runJson([SPORT, MED])), 0.1);
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([[0, 0]]);
    expect(result.vanished.map((t) => t.id)).toEqual([1]);
    expect(result.added.map((t) => t.id)).toEqual([1]);
    expect(result.passed).toBe(false);
  });

  it("passes a pair at exactly the threshold and fails one just below it", () => {
    const a = parse(runJson([[["x", 1], ["y", 0]]]));
    const b = parse(runJson([[["x", 1], ["y", 1]]]));
    const s = diffTopics(a, b, 0).pairs[0].similarity; // cos 45 degrees
    expect(s).toBeCloseTo(Math.SQRT1_2, 15);
    expect(diffTopics(a, b, s).passed).toBe(true);
    expect(diffTopics(a, b, s + 1e-12).passed).toBe(false);
    expect(diffTopics(a, b, s + 1e-12).pairs[0].passed).toBe(false);
  });

  it("compares two models over their full H on the shared vocabulary", () => {
    const a = parse(modelText([{ a: 1, b: 2, c: 0, x: 5 }, { c: 3, d: 1 }]));
    const b = parse(modelText([{ c: 3, d: 1, y: 9 }, { a: 1, b: 2, c: 1 }]));
    const result = diffTopics(a, b);
    expect(result.basis).toBe("H");
    // shared vocabulary: a, b, c, d (x only in a, y only in b)
    expect(result.pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [1, 0]]);
    expect(result.pairs[0].similarity).toBeCloseTo(cosine([1, 2, 0, 0], [1, 2, 1, 0]), 12);
    expect(result.pairs[1].similarity).toBe(1);
  });

  it("compares a model with a run JSON on top words, so a model and its own run agree exactly", () => {
    const model = parse(modelText([{ game: 0.9, team: 0.8, season: 0.5, player: 0.4, nasa: 0.01 }, { nasa: 1.2, orbit: 0.7, launch: 0.6, moon: 0.2, game: 0.05 }]));
    const run = parse(runJson([SPORT, SPACE]));
    for (const result of [diffTopics(model, run), diffTopics(run, model)]) {
      expect(result.basis).toBe("top-words");
      expect(result.pairs.map((p) => [p.a, p.b, p.similarity])).toEqual([[0, 0, 1], [1, 1, 1]]);
      expect(result.passed).toBe(true);
    }
  });
});

describe("the diff report", () => {
  const result = diffTopics(parse(runJson([SPORT, SPACE, MED])), parse(runJson([[["game", 1], ["team", 0.1], ["fan", 0.9]], SPACE])), 0.8);
  const report = buildDiffReport(result, "9.9.9");

  it("summarizes the check and says in one line why it failed", () => {
    expect(report.summary).toEqual({ matched: 2, belowThreshold: 1, new: 0, vanished: 1, passed: false });
    expect(describeFailure(report)).toBe("topics changed: 1 matched topic(s) below --min-similarity 0.8, 1 vanished topic(s)");
    const same = buildDiffReport(diffTopics(parse(runJson([SPORT])), parse(runJson([SPORT]))), "9.9.9");
    expect(describeFailure(same)).toBeNull();
  });

  it("prints JSON with the schema, keys in order, and a hash of the bytes above it", () => {
    const text = renderDiffJson(report);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(["schema", "version", "params", "a", "b", "pairs", "new", "vanished", "summary", "hash"]);
    expect(json.schema).toBe("nmf-topics/diff@1");
    expect(json.params).toEqual({ minSimilarity: 0.8, basis: "top-words" });
    expect(json.vanished).toEqual([{ id: 2, words: ["doctor", "patient", "disease", "drug"] }]);
    const body = text.slice(0, text.lastIndexOf(',\n  "hash"')) + "\n}";
    expect(createHash("sha256").update(body).digest("hex")).toBe(json.hash);
    expect(renderDiffJson(report)).toBe(text);
  });

  it("prints a table with the pairs, the words that came and went, the vanished topic and the verdict", () => {
    const table = renderDiffTable(report, { colorLevel: 0, nameA: "a.json", nameB: "b.json" });
    expect(table).toContain("a: a.json (nmf-topics/fit@1, 3 topics)");
    expect(table).toMatch(/^\s*0\s+0\s+0\.\d{3}\s+below\s+\+fan -season -player$/m);
    expect(table).toMatch(/^\s*1\s+1\s+1\.000\s+same words$/m);
    expect(table).toMatch(/vanished from a:\n\s*2\s+doctor patient disease drug/);
    expect(table.trimEnd().split("\n").pop()).toBe("2 matched (1 below 0.8), 0 new, 1 vanished: check failed");
    expect(table).not.toMatch(/\x1b\[/);
  });
});
