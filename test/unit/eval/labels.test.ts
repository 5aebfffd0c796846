/** NMI, ARI and purity against pair-counting / definition oracles and their invariances; argmaxTopics. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, argmaxTopics, labelAgreement, normalizedMutualInfo, purity } from "../../../src/eval/index.js";
import { expectClose } from "./support.js";

/** ARI by counting every ordered pair of distinct documents (O(n^2)), the textbook way. */
function naiveAri(y: Int32Array, z: Int32Array): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = 0; j < y.length; j++) {
      if (i === j) continue;
      const sameY = y[i] === y[j];
      const sameZ = z[i] === z[j];
      if (sameY && sameZ) tp++;
      else if (sameZ) fp++;
      else if (sameY) fn++;
      else tn++;
    }
  }
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/** NMI from probabilities, the textbook way: I(Y;Z) / mean(H(Y), H(Z)). */
function naiveNmi(y: Int32Array, z: Int32Array): number {
  const n = y.length;
  const count = (v: Int32Array) => {
    const m = new Map<number, number>();
    v.forEach((x) => m.set(x, (m.get(x) ?? 0) + 1));
    return m;
  };
  const cy = count(y);
  const cz = count(z);
  if (cy.size === 1 && cz.size === 1) return 1;
  const joint = new Map<string, number>();
  for (let d = 0; d < n; d++) joint.set(`${y[d]},${z[d]}`, (joint.get(`${y[d]},${z[d]}`) ?? 0) + 1);
  let mi = 0;
  for (const [key, c] of joint) {
    const [a, b] = key.split(",").map(Number);
    mi += (c / n) * Math.log((c * n) / ((cy.get(a) as number) * (cz.get(b) as number)));
  }
  const h = (m: Map<number, number>) => [...m.values()].reduce((s, c) => s - (c / n) * Math.log(c / n), 0);
  if (Math.abs(mi) < 1e-15) return 0;
  return mi / ((h(cy) + h(cz)) / 2);
}

function naivePurity(y: Int32Array, z: Int32Array): number {
  let total = 0;
  for (const k of new Set(z)) {
    const counts = new Map<number, number>();
    z.forEach((zz, d) => {
      if (zz === k) counts.set(y[d], (counts.get(y[d]) ?? 0) + 1);
    });
    total += Math.max(...counts.values());
  }
  return total / y.length;
}

const labelings = fc
  .integer({ min: 1, max: 60 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: -3, max: 5 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: n, maxLength: n }),
    ),
  )
  .map(([y, z]) => [Int32Array.from(y), Int32Array.from(z)] as const);

describe("adjustedRandIndex", () => {
  it("equals pair counting over all document pairs", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => expectClose(adjustedRandIndex(y, z), naiveAri(y, z), 1e-12, 1e-12)),
      { seed: 11, numRuns: 300 },
    );
  });

  it("is symmetric and invariant under relabelling", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => {
        const relabelled = z.map((v) => 100 - 7 * v);
        expect(adjustedRandIndex(z, y)).toBe(adjustedRandIndex(y, z));
        expect(adjustedRandIndex(y, relabelled)).toBe(adjustedRandIndex(y, z));
      }),
      { seed: 12, numRuns: 100 },
    );
  });

  it("keeps full precision when the pair counts exceed 2^53", () => {
    // n = 100,000: the products tp*tn are ~1e19. Two halves vs. two halves shifted by one document.
    const n = 100_000;
    const y = new Int32Array(n);
    const z = new Int32Array(n);
    for (let d = 0; d < n; d++) {
      y[d] = d < n / 2 ? 0 : 1;
      z[d] = d < n / 2 + 1 ? 0 : 1;
    }
    // Closed form with exact integers.
    const N = BigInt(n);
    const sq = BigInt(n / 2) ** 2n + 1n + BigInt(n / 2 - 1) ** 2n; // cells: 50000, 1, 49999
    const rows = 2n * BigInt(n / 2) ** 2n;
    const cols = BigInt(n / 2 + 1) ** 2n + BigInt(n / 2 - 1) ** 2n;
    const tp = sq - N;
    const fp = cols - sq;
    const fn = rows - sq;
    const tn = N * N - fp - fn - sq;
    const want = (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
    expect(adjustedRandIndex(y, z)).toBe(want);
    expect(want).toBeLessThan(1);
    expect(want).toBeGreaterThan(0.9999);
  });

  it("handles the special cases like scikit-learn", () => {
    expect(adjustedRandIndex(new Int32Array(0), new Int32Array(0))).toBe(1);
    expect(adjustedRandIndex(Int32Array.of(4), Int32Array.of(9))).toBe(1);
    expect(adjustedRandIndex(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 0, 1))).toBe(-0.5);
    expect(() => adjustedRandIndex(Int32Array.of(0, 1), Int32Array.of(0))).toThrow(RangeError);
  });
});

describe("normalizedMutualInfo", () => {
  it("equals the probability form of the definition", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => expectClose(normalizedMutualInfo(y, z), naiveNmi(y, z), 1e-12, 1e-10)),
      { seed: 13, numRuns: 300 },
    );
  });

  it("is symmetric, in [0, 1], and 1 for the same partition under other names", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => {
        const v = normalizedMutualInfo(y, z);
        expectClose(normalizedMutualInfo(z, y), v, 1e-15, 1e-13);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1 + 1e-12);
        expectClose(normalizedMutualInfo(y, y.map((x) => 3 * x - 11)), 1, 1e-12);
      }),
      { seed: 14, numRuns: 100 },
    );
  });

  it("handles the special cases like scikit-learn", () => {
    expect(normalizedMutualInfo(new Int32Array(0), new Int32Array(0))).toBe(1);
    expect(normalizedMutualInfo(Int32Array.of(2, 2, 2), Int32Array.of(5, 5, 5))).toBe(1);
    expect(normalizedMutualInfo(Int32Array.of(2, 2, 2), Int32Array.of(0, 1, 2))).toBe(0);
    expect(normalizedMutualInfo(Int32Array.of(0, 1, 2), Int32Array.of(1, 1, 1))).toBe(0);
    // Independent partitions: MI = 0 exactly.
    expect(normalizedMutualInfo(Int32Array.of(0, 0, 1, 1), Int32Array.of(0, 1, 0, 1))).toBe(0);
    expect(() => normalizedMutualInfo(Int32Array.of(0), Int32Array.of(0, 1))).toThrow(RangeError);
  });
});

describe("purity", () => {
  it("equals the per-cluster majority count over n", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => expectClose(purity(y, z), naivePurity(y, z), 0, 1e-15)),
      { seed: 15, numRuns: 200 },
    );
  });

  it("pins small cases", () => {
    // clusters {0,0,1} -> 2, {1,1} -> 2, {2} -> 1: 5/6
    expect(purity(Int32Array.of(0, 0, 1, 1, 1, 2), Int32Array.of(7, 7, 7, 8, 8, 9))).toBe(5 / 6);
    expect(purity(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2, 3))).toBe(1);
    expect(purity(Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 0, 0, 0))).toBe(1 / 4);
    expect(purity(new Int32Array(0), new Int32Array(0))).toBe(1);
  });
});

describe("labelAgreement", () => {
  it("gives the very numbers of normalizedMutualInfo, adjustedRandIndex and purity", () => {
    fc.assert(
      fc.property(labelings, ([y, z]) => {
        expect(labelAgreement(y, z)).toEqual({ nmi: normalizedMutualInfo(y, z), ari: adjustedRandIndex(y, z), purity: purity(y, z) });
      }),
      { seed: 16, numRuns: 200 },
    );
    expect(() => labelAgreement(Int32Array.of(0, 1), Int32Array.of(0))).toThrow(RangeError);
  });

  it("does not depend on how far apart the values are (counted or sorted codes, dense or sorted table)", () => {
    // Small values are counted in a table of the value range, spread ones sorted; a table of classes
    // x clusters larger than n + 1024 cells is replaced by sorting. An increasing map of the values
    // keeps every code, so every number must stay the same to the last bit.
    const spread = (v: Int32Array) => v.map((x) => x * 40_000_000 - 5);
    fc.assert(
      fc.property(labelings, ([y, z]) => {
        const want = labelAgreement(y, z);
        expect(labelAgreement(spread(y), z)).toEqual(want);
        expect(labelAgreement(y, spread(z))).toEqual(want);
        expect(labelAgreement(spread(y), spread(z))).toEqual(want);
      }),
      { seed: 17, numRuns: 200 },
    );
    // 3 classes x 1100 clusters (one document each) > n + 1024 cells: the cells come from sorted keys.
    const n = 1100;
    const y = Int32Array.from({ length: n }, (_, d) => d % 3);
    const z = Int32Array.from({ length: n }, (_, d) => d);
    const got = labelAgreement(y, z);
    expectClose(got.nmi, naiveNmi(y, z), 1e-12, 1e-10);
    expect(got.purity).toBe(1);
    expectClose(got.ari, naiveAri(y, z), 1e-12, 1e-12);
  });
});

describe("argmaxTopics", () => {
  it("takes the first index on ties and topic 0 for an all-zero row", () => {
    const W = Float64Array.from([
      0, 0, 0, // all zero -> 0
      0.2, 0.5, 0.5, // tie -> 1
      0.9, 0.1, 0.9, // tie with the first -> 0
      0, 0, 3, // last
    ]);
    expect([...argmaxTopics(W, 4, 3)]).toEqual([0, 1, 0, 2]);
  });

  it("matches a naive argmax on random matrices", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 80 }),
        (k, values) => {
          const nDocs = Math.floor(values.length / k);
          const W = Float64Array.from(values.slice(0, nDocs * k));
          const got = argmaxTopics(W, nDocs, k);
          for (let d = 0; d < nDocs; d++) {
            const row = [...W.subarray(d * k, d * k + k)];
            expect(got[d]).toBe(row.indexOf(Math.max(...row)));
          }
        },
      ),
      { seed: 16, numRuns: 100 },
    );
  });

  it("rejects a W of the wrong size", () => {
    expect(() => argmaxTopics(new Float64Array(5), 2, 3)).toThrow(RangeError);
  });
});
