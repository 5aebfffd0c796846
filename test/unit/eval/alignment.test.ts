/** Jaccard, topic stability and topic alignment (cosine over the shared vocabulary + Hungarian). */
import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/errors.js";
import { alignTopics, computeTopicSimilarity, jaccard, topicStability } from "../../../src/eval/index.js";
import { expectClose, makeRng } from "./support.js";

/** A topic-word matrix with one dominant block of terms per topic, like a real H. */
function makeTopics(k: number, nTerms: number, seed: number): Float64Array {
  const rng = makeRng(seed);
  const H = new Float64Array(k * nTerms);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < nTerms; j++) H[t * nTerms + j] = rng() ** 4 + (j % k === t ? 2 * rng() : 0);
  }
  return H;
}

function selectRows(H: Float64Array, nTerms: number, rows: number[]): Float64Array {
  const out = new Float64Array(rows.length * nTerms);
  rows.forEach((r, i) => out.set(H.subarray(r * nTerms, (r + 1) * nTerms), i * nTerms));
  return out;
}

const terms = (n: number, prefix = "w") => Array.from({ length: n }, (_, j) => `${prefix}${j}`);

describe("jaccard", () => {
  it("is intersection over union of the sets", () => {
    expect(jaccard(["a", "b", "c"], ["b", "c", "d"])).toBe(2 / 4);
    expect(jaccard(Int32Array.of(1, 2, 3), Int32Array.of(4, 5))).toBe(0);
    expect(jaccard(Int32Array.of(1, 2, 2, 3), Int32Array.of(3, 2, 1))).toBe(1);
    expect(jaccard(["a"], ["a", "b", "c", "d"])).toBe(1 / 4);
    expect(jaccard([], [])).toBe(1);
    expect(jaccard([], ["x"])).toBe(0);
  });
});

describe("topicStability", () => {
  it("is 1 for runs that find the same topics in another order", () => {
    const run = [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]];
    const shuffled = [run[2], run[0], [...run[1]].reverse()];
    expect(topicStability([run, shuffled, run])).toBe(1);
  });

  it("uses the best matching, not the order of the topics", () => {
    const r1 = [["a", "b", "c", "d"], ["e", "f", "g", "h"]];
    // Greedy by position would pair r1[0] with r2[0] (J = 1/7); the matching pairs them crosswise.
    const r2 = [["e", "f", "g", "x"], ["a", "b", "c", "d"]];
    // crosswise: J(r1[0], r2[1]) = 1, J(r1[1], r2[0]) = 3/5; mean = 0.8
    expect(topicStability([r1, r2])).toBeCloseTo(0.8, 15);
  });

  it("averages over pairs of runs and counts unmatched topics as 0", () => {
    const r1 = [["a", "b"], ["c", "d"]];
    const r2 = [["a", "b"], ["c", "x"]]; // vs r1: (1 + 1/3)/2 = 2/3
    const r3 = [["a", "b"]]; // vs r1 and r2: 1/2 each (one topic unmatched)
    expectClose(topicStability([r1, r2, r3]), (2 / 3 + 1 / 2 + 1 / 2) / 3, 1e-15);
  });

  it("is NaN with fewer than two runs", () => {
    expect(topicStability([[["a"]]])).toBeNaN();
    expect(topicStability([])).toBeNaN();
  });
});

describe("alignTopics", () => {
  const nTerms = 60;
  const k = 8;
  const H = makeTopics(k, nTerms, 3);
  const vocab = terms(nTerms);

  it("recovers a permutation of the topics with similarity 1", () => {
    const perm = [5, 2, 7, 0, 3, 1, 6, 4]; // b's topic i is a's topic perm[i]
    const al = alignTopics({ terms: vocab, weights: H, k }, { terms: vocab, weights: selectRows(H, nTerms, perm), k });
    expect(al.unmatchedA).toEqual([]);
    expect(al.unmatchedB).toEqual([]);
    expect(al.pairs.map((p) => p.a)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const p of al.pairs) {
      expect(perm[p.b]).toBe(p.a);
      expect(p.similarity).toBe(1);
    }
  });

  it("matches terms by string when the vocabularies are in different orders", () => {
    const rng = makeRng(8);
    const order = [...Array(nTerms).keys()].sort(() => rng() - 0.5);
    const Hb = new Float64Array(k * nTerms);
    for (let t = 0; t < k; t++) for (let j = 0; j < nTerms; j++) Hb[t * nTerms + j] = H[t * nTerms + order[j]];
    const al = alignTopics({ terms: vocab, weights: H, k }, { terms: order.map((j) => vocab[j]), weights: Hb, k });
    expect(al.pairs.map((p) => [p.a, p.b])).toEqual([...Array(k).keys()].map((t) => [t, t]));
    for (const p of al.pairs) expect(p.similarity).toBe(1);
  });

  it("leaves the extra topics unmatched when one side has fewer topics", () => {
    const keep = [6, 1, 4]; // b has 3 of a's 8 topics
    const b = { terms: vocab, weights: selectRows(H, nTerms, keep), k: 3 };
    const al = alignTopics({ terms: vocab, weights: H, k }, b);
    expect(al.pairs).toEqual([
      { a: 1, b: 1, similarity: 1 },
      { a: 4, b: 2, similarity: 1 },
      { a: 6, b: 0, similarity: 1 },
    ]);
    expect(al.unmatchedA).toEqual([0, 2, 3, 5, 7]);
    expect(al.unmatchedB).toEqual([]);
    // And the other way round.
    const back = alignTopics(b, { terms: vocab, weights: H, k });
    expect(back.pairs.map((p) => [p.a, p.b])).toEqual([[0, 6], [1, 1], [2, 4]]);
    expect(back.unmatchedA).toEqual([]);
    expect(back.unmatchedB).toEqual([0, 2, 3, 5, 7]);
  });

  it("compares only the shared vocabulary, in the norms too", () => {
    // a: x, y, only-a ; b: y, x, only-b. Shared: x, y.
    const a = { terms: ["x", "y", "only-a"], k: 2, weights: Float64Array.of(1, 0, 100, 0, 1, 0) };
    const b = { terms: ["y", "x", "only-b"], k: 2, weights: Float64Array.of(3, 4, 50, 0, 0, 9) };
    const sim = computeTopicSimilarity(a, b);
    // a0 = (x 1, y 0) [only-a ignored]; b0 = (x 4, y 3): cos = 4/5. a1 = (0, 1): cos = 3/5.
    // b1 restricted to shared terms is zero: similarity 0.
    expectClose(sim[0], 0.8, 1e-15);
    expect(sim[1]).toBe(0);
    expectClose(sim[2], 0.6, 1e-15);
    expect(sim[3]).toBe(0);
    const al = alignTopics(a, b);
    // Both matchings total 0.8 or 0.6; the best is a0-b0 (0.8) + a1-b1 (0).
    expect(al.pairs).toEqual([
      { a: 0, b: 0, similarity: sim[0] },
      { a: 1, b: 1, similarity: 0 },
    ]);
  });

  it("maximizes the total similarity rather than matching greedily", () => {
    // c0 = (1,1,0), c1 = (1,0,0); d0 = (1,0.9,0), d1 = (0,1,1).
    // cos: c0-d0 0.9986 (greedy's first pick, leaving c1-d1 = 0), c1-d0 0.7433, c0-d1 0.5.
    // The optimum pairs them crosswise: 0.5 + 0.7433 = 1.2433 > 0.9986.
    const c = { terms: ["p", "q", "r"], k: 2, weights: Float64Array.of(1, 1, 0, 1, 0, 0) };
    const d = { terms: ["p", "q", "r"], k: 2, weights: Float64Array.of(1, 0.9, 0, 0, 1, 1) };
    const sd = computeTopicSimilarity(c, d);
    expectClose(sd[0], 1.9 / Math.sqrt(2 * 1.81), 1e-15);
    expectClose(sd[1], 0.5, 1e-15);
    expectClose(sd[2], 1 / Math.sqrt(1.81), 1e-15);
    expect(sd[3]).toBe(0);
    const cd = alignTopics(c, d);
    expect(cd.pairs.map((p) => [p.a, p.b])).toEqual([[0, 1], [1, 0]]);
    expectClose(cd.pairs[0].similarity + cd.pairs[1].similarity, sd[1] + sd[2], 1e-15);
  });

  it("rejects a vocabulary with a duplicate term and a weight matrix of the wrong size", () => {
    const ok = { terms: ["a", "b"], k: 1, weights: Float64Array.of(1, 2) };
    expect(() => alignTopics({ terms: ["a", "a"], k: 1, weights: Float64Array.of(1, 2) }, ok)).toThrow(InputError);
    expect(() => alignTopics(ok, { terms: ["a", "b"], k: 2, weights: Float64Array.of(1, 2) })).toThrow(RangeError);
  });

  it("handles disjoint vocabularies (every similarity 0) without failing", () => {
    const a = { terms: ["a", "b"], k: 2, weights: Float64Array.of(1, 0, 0, 1) };
    const b = { terms: ["c", "d"], k: 2, weights: Float64Array.of(1, 0, 0, 1) };
    const al = alignTopics(a, b);
    expect(al.pairs).toEqual([
      { a: 0, b: 0, similarity: 0 },
      { a: 1, b: 1, similarity: 0 },
    ]);
  });
});
