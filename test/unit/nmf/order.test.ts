import { describe, expect, it } from "vitest";
import { restoreTermOrder } from "../../../src/nmf/layout.js";
import { canonicalTopicOrder, permuteTopics, sortTopicsTransposed, topTermIndices } from "../../../src/nmf/order.js";
import { makeTestRandom } from "../linalg/helpers.js";

describe("canonical topic order", () => {
  // 3 docs, 3 topics, 2 terms. Weights sum_d W[d,t] * sum_j H[t,j]: t0 = 2·1 = 2, t1 = 1·4 = 4, t2 = 4·0.5 = 2.
  const W = Float64Array.from([1, 0.5, 2, 1, 0.5, 2, 0, 0, 0]);
  const H = Float64Array.from([0.5, 0.5, 1, 3, 0.25, 0.25]);

  it("sorts by total weight descending, ties by lower original index (pinned)", () => {
    expect(Array.from(canonicalTopicOrder(W, H, 3, 2, 3))).toEqual([1, 0, 2]);
  });

  it("permuteTopics moves columns of W and rows of H together and keeps W·H", () => {
    const order = Int32Array.from([1, 0, 2]);
    const p = permuteTopics(W, H, order, 3, 2, 3);
    expect(Array.from(p.W)).toEqual([0.5, 1, 2, 0.5, 1, 2, 0, 0, 0]);
    expect(Array.from(p.H)).toEqual([1, 3, 0.5, 0.5, 0.25, 0.25]);
    const wh = (w: Float64Array, h: Float64Array): number[] => {
      const out: number[] = [];
      for (let d = 0; d < 3; d++) for (let j = 0; j < 2; j++) out.push(w[d * 3] * h[j] + w[d * 3 + 1] * h[2 + j] + w[d * 3 + 2] * h[4 + j]);
      return out;
    };
    expect(wh(p.W, p.H)).toEqual(wh(W, H));
    expect(Array.from(W)).toEqual([1, 0.5, 2, 1, 0.5, 2, 0, 0, 0]); // inputs untouched
  });
});

describe("sortTopicsTransposed", () => {
  it("equals canonicalTopicOrder and permuteTopics on H restored from the solver's Hᵀ, bit for bit", () => {
    const nDocs = 9;
    const nTerms = 13;
    const k = 4;
    const rand = makeTestRandom(3);
    const W = Float64Array.from({ length: nDocs * k }, () => rand());
    const Ht = Float64Array.from({ length: nTerms * k }, () => (rand() < 0.3 ? 0 : rand() * 1e-3));
    const termOrder = Int32Array.from({ length: nTerms }, (_, c) => (c * 5) % nTerms);
    const H = restoreTermOrder(Ht, termOrder, k);
    const expected = permuteTopics(W, H, canonicalTopicOrder(W, H, nDocs, nTerms, k), nDocs, nTerms, k);
    const sorted = sortTopicsTransposed(W, Ht, termOrder, nDocs, k);
    expect(Array.from(sorted.W)).toEqual(Array.from(expected.W));
    expect(Array.from(sorted.H)).toEqual(Array.from(expected.H));
  });
});

describe("topTermIndices", () => {
  it("orders by weight descending, ties by lower term index (pinned)", () => {
    // topic 1 row: [0.2, 0.7, 0.2, 0.7, 0.1]
    const H = Float64Array.from([9, 9, 9, 9, 9, 0.2, 0.7, 0.2, 0.7, 0.1]);
    expect(Array.from(topTermIndices(H, 1, 5, 3))).toEqual([1, 3, 0]);
    expect(Array.from(topTermIndices(H, 1, 5, 10))).toEqual([1, 3, 0, 2, 4]);
    expect(Array.from(topTermIndices(H, 0, 5, 2))).toEqual([0, 1]);
  });
});
