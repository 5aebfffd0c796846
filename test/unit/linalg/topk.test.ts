import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topK } from "../../../src/linalg/topk.js";

/** Oracle: stable sort of indices by value descending (ties keep the lower index first). */
function sortOracle(values: number[], n: number): number[] {
  return values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => (b[0] !== a[0] ? b[0] - a[0] : a[1] - b[1]))
    .slice(0, n)
    .map(([, i]) => i);
}

describe("topK", () => {
  it("breaks ties by the lower index (pinned)", () => {
    const v = Float64Array.from([0.5, 1, 0.5, 1, 0, 0.5]);
    expect(Array.from(topK(v, 4))).toEqual([1, 3, 0, 2]);
    expect(Array.from(topK(v, 10))).toEqual([1, 3, 0, 2, 5, 4]);
    expect(Array.from(topK(v, 0))).toEqual([]);
  });

  it("reads a window [offset, offset + length) and returns window-relative indices", () => {
    const v = Float64Array.from([9, 9, 1, 3, 3, 2, 9]);
    expect(Array.from(topK(v, 3, 2, 4))).toEqual([1, 2, 3]);
  });

  it("agrees with a stable sort on random data with many ties", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (ints, n) => {
        const values = ints.map((x) => x / 4);
        expect(Array.from(topK(Float64Array.from(values), n))).toEqual(sortOracle(values, n));
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("ranks NaN last", () => {
    expect(Array.from(topK(Float64Array.from([Number.NaN, 1, -5]), 3))).toEqual([1, 2, 0]);
    // NaN after the heap is full never enters it; a number displaces a NaN that filled it.
    expect(Array.from(topK(Float64Array.from([1, Number.NaN, 2, Number.NaN, -Infinity]), 2))).toEqual([2, 0]);
    expect(Array.from(topK(Float64Array.from([Number.NaN, Number.NaN, -5]), 1))).toEqual([2]);
    expect(Array.from(topK(Float64Array.from([Number.NaN, Number.NaN, -5]), 2))).toEqual([2, 0]);
    // NaN counts as -Infinity: a tie with it keeps the lower index.
    expect(Array.from(topK(Float64Array.from([Number.NaN, -Infinity]), 1))).toEqual([0]);
  });
});
