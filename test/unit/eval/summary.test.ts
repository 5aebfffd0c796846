/** The pieces of summarizeTopics in fit.ts: topic shares (summed in the order the JSON output was pinned with) and label codes. */
import { describe, expect, it } from "vitest";
import { labelCodes, topicShares } from "../../../src/fit.js";
import { makeRng } from "./support.js";

/** s_t = (sum_d W[d,t]) (sum_j H[t,j]), each sum in increasing index, then divided by their total. */
function naiveShares(W: Float64Array, H: Float64Array, nDocs: number, nTerms: number, k: number): number[] {
  const s: number[] = [];
  for (let t = 0; t < k; t++) {
    let w = 0;
    for (let d = 0; d < nDocs; d++) w += W[d * k + t];
    let h = 0;
    for (let j = 0; j < nTerms; j++) h += H[t * nTerms + j];
    s.push(w * h);
  }
  const all = s.reduce((a, b) => a + b, 0);
  return all > 0 ? s.map((x) => x / all) : s;
}

describe("topicShares", () => {
  it("equals the formula bit for bit (same order of summation) and sums to 1", () => {
    const rng = makeRng(5);
    for (const [nDocs, nTerms, k] of [[1, 1, 1], [7, 13, 3], [300, 2000, 20], [50, 40, 1]]) {
      const W = Float64Array.from({ length: nDocs * k }, () => (rng() < 0.4 ? 0 : rng() * 1e-3 + rng()));
      const H = Float64Array.from({ length: k * nTerms }, () => (rng() < 0.6 ? 0 : rng() ** 3));
      const got = topicShares(W, H, nDocs, nTerms, k);
      expect(Array.from(got)).toEqual(naiveShares(W, H, nDocs, nTerms, k));
      expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it("leaves all-zero factors as zero shares", () => {
    expect(Array.from(topicShares(new Float64Array(6), new Float64Array(4), 3, 2, 2))).toEqual([0, 0]);
  });
});

describe("labelCodes", () => {
  const doc = (id: string, label?: string) => ({ id, text: "", ...(label === undefined ? {} : { label }) });

  it("numbers the labels by sorted name (code units), whatever order they come in", () => {
    const got = labelCodes([doc("a", "sport"), doc("b", "Tech"), doc("c", "business"), doc("d", "sport"), doc("e", "é")]);
    expect(got?.names).toEqual(["Tech", "business", "sport", "é"]);
    expect(Array.from(got?.codes ?? [])).toEqual([2, 0, 1, 2, 3]);
  });

  it("is null when some document has no label, or there are no documents", () => {
    expect(labelCodes([doc("a", "x"), doc("b"), doc("c", "y")])).toBeNull();
    expect(labelCodes([])).toBeNull();
    expect(labelCodes([doc("a", "")])?.names).toEqual([""]);
  });
});
