/** NPMI coherence against a naive dense oracle, its edge cases, and topic diversity. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanNpmi, npmiCoherence, topicDiversity } from "../../../src/eval/index.js";
import type { ColumnRows } from "../../../src/linalg/types.js";
import { denseToCsr, expectClose, makeRng } from "./support.js";

/** Straight from the definition: dense B = (X > 0), counts by scanning every document. */
function naiveNpmi(dense: Float64Array, nDocs: number, nTerms: number, top: number[][]): number[] {
  const has = (d: number, j: number) => dense[d * nTerms + j] > 0;
  return top.map((list) => {
    const vals: number[] = [];
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        let dfa = 0;
        let dfb = 0;
        let dfab = 0;
        for (let d = 0; d < nDocs; d++) {
          if (has(d, list[a])) dfa++;
          if (has(d, list[b])) dfb++;
          if (has(d, list[a]) && has(d, list[b])) dfab++;
        }
        if (dfab === 0) vals.push(-1);
        else {
          const pij = dfab / nDocs;
          vals.push(Math.log(pij / ((dfa / nDocs) * (dfb / nDocs))) / (-Math.log(pij) + 1e-12));
        }
      }
    }
    return vals.length ? vals.reduce((s, v) => s + v, 0) / vals.length : NaN;
  });
}

/** The rows of each column holding a positive value, ascending. */
function columnRowsOf(dense: Float64Array, nDocs: number, nTerms: number): ColumnRows {
  const start = new Int32Array(nTerms + 1);
  const rows: number[] = [];
  for (let j = 0; j < nTerms; j++) {
    for (let d = 0; d < nDocs; d++) if (dense[d * nTerms + j] > 0) rows.push(d);
    start[j + 1] = rows.length;
  }
  return { start, rows: Int32Array.from(rows) };
}

describe("npmiCoherence", () => {
  it("equals the naive definition on random sparse matrices (explicit zeros ignored)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 2, max: 25 }),
        fc.double({ min: 0.02, max: 0.9, noNaN: true }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (nDocs, nTerms, density, seed) => {
          const rng = makeRng(seed);
          const dense = new Float64Array(nDocs * nTerms);
          for (let p = 0; p < dense.length; p++) if (rng() < density) dense[p] = rng() < 0.1 ? 0 : rng() + 1e-3;
          // Store every entry chosen above, including the explicit zeros (B = X > 0 must skip them).
          const X = denseToCsr(dense, nDocs, nTerms, (_v, r, c) => dense[r * nTerms + c] !== 0 || (r + c) % 5 === 0);
          const top: number[][] = [];
          const k = 1 + Math.floor(rng() * 5);
          for (let t = 0; t < k; t++) {
            const len = 2 + Math.floor(rng() * Math.min(9, nTerms - 1));
            const perm = [...Array(nTerms).keys()].sort(() => rng() - 0.5);
            top.push(perm.slice(0, len));
          }
          const got = npmiCoherence(X, top.map((t) => Int32Array.from(t)));
          const want = naiveNpmi(dense, nDocs, nTerms, top);
          got.forEach((v, t) => expectClose(v, want[t], 1e-12, 1e-12, `topic ${t}`));
          // From the documents of each column (the positive entries), the same bits.
          expect(npmiCoherence(X, top.map((t) => Int32Array.from(t)), columnRowsOf(dense, nDocs, nTerms))).toEqual(got);
        },
      ),
      { seed: 20240501, numRuns: 200 },
    );
  });

  it("uses binary search for very unequal lists and still counts exactly", () => {
    // Term 0 in every document, term 1 in 3 documents: the short list is searched in the long one.
    const nDocs = 5000;
    const dense = new Float64Array(nDocs * 3);
    for (let d = 0; d < nDocs; d++) dense[d * 3] = 1;
    for (const d of [0, 2500, 4999]) dense[d * 3 + 1] = 0.5;
    for (let d = 0; d < nDocs; d += 2) dense[d * 3 + 2] = 0.25;
    const X = denseToCsr(dense, nDocs, 3);
    const top = [[0, 1], [1, 2], [2, 1, 0]];
    const got = npmiCoherence(X, top.map((t) => Int32Array.from(t)));
    naiveNpmi(dense, nDocs, 3, top).forEach((w, t) => expectClose(got[t], w, 1e-12, 1e-12));
  });

  it("pins the special values: -1 for never together, 0 for a term in every document, 1 for identical terms", () => {
    // docs: 0:{0,1,2}  1:{0,1}  2:{0,3}  3:{0,3}
    const dense = Float64Array.from([1, 1, 1, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1]);
    const X = denseToCsr(dense, 4, 4);
    const [never, always, same, pair] = npmiCoherence(X, [
      Int32Array.of(1, 3), // never together
      Int32Array.of(0, 0), // P(i,j) = 1: ln 1 / (0 + 1e-12) = 0
      Int32Array.of(2, 2), // P(i,j) = P(i) = 1/4: ln 4 / ln 4 = 1
      Int32Array.of(1, 2), // P = 1/4, P(1) = 1/2, P(2) = 1/4: ln 2 / ln 4 = 0.5
    ]);
    expect(never).toBe(-1);
    expect(always).toBe(0);
    expectClose(same, 1, 1e-12);
    expectClose(pair, 0.5, 1e-12);
  });

  it("gives NaN for a topic with fewer than two terms and rejects indices outside the vocabulary", () => {
    const X = denseToCsr(Float64Array.of(1, 1), 1, 2);
    expect(npmiCoherence(X, [Int32Array.of(0)])[0]).toBeNaN();
    expect(npmiCoherence(X, [])).toEqual([]);
    expect(() => npmiCoherence(X, [Int32Array.of(0, 2)])).toThrow(RangeError);
    expect(() => npmiCoherence(X, [Int32Array.of(-1, 0)])).toThrow(RangeError);
  });

  it("does not depend on the other topics (postings are shared, results are per topic)", () => {
    const rng = makeRng(7);
    const dense = new Float64Array(30 * 12);
    for (let p = 0; p < dense.length; p++) if (rng() < 0.3) dense[p] = rng();
    const X = denseToCsr(dense, 30, 12);
    const a = Int32Array.of(0, 3, 5, 7);
    const b = Int32Array.of(5, 1, 11, 0);
    const both = npmiCoherence(X, [a, b]);
    expect(npmiCoherence(X, [a])[0]).toBe(both[0]);
    expect(npmiCoherence(X, [b])[0]).toBe(both[1]);
  });
});

describe("npmiCoherence on long lists and many topics", () => {
  it("counts long lists exactly, and topics split over several passes give the same numbers as alone", () => {
    // 5 lists of 1000 terms: 5 x 1000^2 counts exceed one pass's tables (2^22), so X is read twice.
    const nDocs = 12;
    const nTerms = 1200;
    const rng = makeRng(99);
    const dense = new Float64Array(nDocs * nTerms);
    for (let p = 0; p < dense.length; p++) if (rng() < 0.2) dense[p] = rng() < 0.1 ? 0 : rng() + 1e-3;
    const X = denseToCsr(dense, nDocs, nTerms, (_v, r, c) => dense[r * nTerms + c] !== 0 || (r + c) % 7 === 0);
    const lists = Array.from({ length: 5 }, (_, t) =>
      Int32Array.from({ length: 1000 }, (_, a) => (a * (2 * t + 1) + 17 * t) % nTerms),
    );
    const all = npmiCoherence(X, lists);
    lists.forEach((list, t) => expect(npmiCoherence(X, [list])[0]).toBe(all[t]));
    // The first 40 positions of each list against the naive definition (it is O(pairs x documents)).
    const short = lists.map((list) => list.subarray(0, 40));
    const want = naiveNpmi(dense, nDocs, nTerms, short.map((l) => Array.from(l)));
    npmiCoherence(X, short).forEach((v, t) => expectClose(v, want[t], 1e-12, 1e-12, `topic ${t}`));
    // From the column lists: bits per document up to 31 positions, the pass over X beyond; same bits.
    const columns = columnRowsOf(dense, nDocs, nTerms);
    for (const length of [2, 31, 32, 40]) {
      const cut = lists.map((list) => list.subarray(0, length));
      expect(npmiCoherence(X, cut, columns)).toEqual(npmiCoherence(X, cut));
    }
  });
});

describe("meanNpmi", () => {
  it("is the mean of the per-topic values, NaN for none", () => {
    expectClose(meanNpmi([0.5, -0.25, 0.1]), 0.35 / 3, 1e-15);
    expect(meanNpmi([])).toBeNaN();
  });
});

describe("topicDiversity", () => {
  it("is unique terms over total entries", () => {
    expect(topicDiversity([Int32Array.of(0, 1, 2), Int32Array.of(3, 4, 5)])).toBe(1);
    expect(topicDiversity([Int32Array.of(0, 1, 2, 3), Int32Array.of(2, 3, 4, 5)])).toBe(6 / 8);
    expect(topicDiversity([Int32Array.of(7, 8), Int32Array.of(7, 8), Int32Array.of(7, 8)])).toBe(2 / 6);
    expect(topicDiversity([["cat", "dog"], ["dog", "bank"]])).toBe(3 / 4);
    expect(topicDiversity([])).toBeNaN();
  });
});
