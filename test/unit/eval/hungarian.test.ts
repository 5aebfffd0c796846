/** hungarian against brute force over all injective assignments, with ties and rectangular shapes. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hungarian } from "../../../src/eval/index.js";
import { expectClose, makeRng } from "./support.js";

/** Minimum total over every way to give min(r, c) rows distinct columns (rows all assigned when r <= c). */
function bruteForceMin(cost: Float64Array, r: number, c: number): number {
  let best = Infinity;
  if (r <= c) {
    const usedCol = new Uint8Array(c);
    const rec = (i: number, sum: number) => {
      if (i === r) {
        best = Math.min(best, sum);
        return;
      }
      for (let j = 0; j < c; j++) {
        if (usedCol[j]) continue;
        usedCol[j] = 1;
        rec(i + 1, sum + cost[i * c + j]);
        usedCol[j] = 0;
      }
    };
    rec(0, 0);
  } else {
    const usedRow = new Uint8Array(r);
    const rec = (j: number, sum: number) => {
      if (j === c) {
        best = Math.min(best, sum);
        return;
      }
      for (let i = 0; i < r; i++) {
        if (usedRow[i]) continue;
        usedRow[i] = 1;
        rec(j + 1, sum + cost[i * c + j]);
        usedRow[i] = 0;
      }
    };
    rec(0, 0);
  }
  return best;
}

/** Checks the shape of an assignment and returns its total. */
function checkAssignment(assignment: Int32Array, cost: Float64Array, r: number, c: number): number {
  expect(assignment.length).toBe(r);
  const cols = [...assignment].filter((j) => j >= 0);
  expect(cols.length).toBe(Math.min(r, c));
  expect(new Set(cols).size).toBe(cols.length);
  for (const j of assignment) expect(j >= -1 && j < c).toBe(true);
  let total = 0;
  assignment.forEach((j, i) => {
    if (j >= 0) total += cost[i * c + j];
  });
  return total;
}

const matrices = (values: fc.Arbitrary<number>) =>
  fc
    .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
    .chain(([r, c]) =>
      fc.tuple(fc.constant(r), fc.constant(c), fc.array(values, { minLength: r * c, maxLength: r * c })),
    );

describe("hungarian", () => {
  it("finds the brute-force optimum for random real matrices (square and rectangular)", () => {
    fc.assert(
      fc.property(matrices(fc.double({ min: -100, max: 100, noNaN: true })), ([r, c, values]) => {
        const cost = Float64Array.from(values);
        const total = checkAssignment(hungarian(cost, r, c), cost, r, c);
        expectClose(total, bruteForceMin(cost, r, c), 1e-9, 1e-12);
      }),
      { seed: 1, numRuns: 400 },
    );
  });

  it("finds the brute-force optimum with many ties (costs in {0, 1, 2})", () => {
    fc.assert(
      fc.property(matrices(fc.integer({ min: 0, max: 2 })), ([r, c, values]) => {
        const cost = Float64Array.from(values);
        const total = checkAssignment(hungarian(cost, r, c), cost, r, c);
        expect(total).toBe(bruteForceMin(cost, r, c));
      }),
      { seed: 2, numRuns: 400 },
    );
  });

  it("is deterministic and follows the tie rule: equal costs give lower columns to earlier rows", () => {
    expect([...hungarian(new Float64Array(16).fill(3), 4, 4)]).toEqual([0, 1, 2, 3]);
    expect([...hungarian(new Float64Array(12).fill(0), 3, 4)]).toEqual([0, 1, 2]);
    // More rows than columns: the first rows get the columns, the last ones are unassigned.
    expect([...hungarian(new Float64Array(12).fill(1), 4, 3)]).toEqual([0, 1, 2, -1]);
    const rng = makeRng(99);
    const cost = Float64Array.from({ length: 49 }, () => Math.floor(rng() * 3));
    expect([...hungarian(cost, 7, 7)]).toEqual([...hungarian(Float64Array.from(cost), 7, 7)]);
  });

  it("solves a tall matrix as its transpose: the same pairs either way", () => {
    fc.assert(
      fc.property(matrices(fc.integer({ min: -3, max: 3 })), ([r, c, values]) => {
        const cost = Float64Array.from(values);
        const t = new Float64Array(r * c);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = cost[i * c + j];
        const a = hungarian(cost, r, c);
        const b = hungarian(t, c, r);
        const pairsA = [...a].flatMap((j, i) => (j >= 0 ? [`${i},${j}`] : [])).sort();
        const pairsB = [...b].flatMap((i, j) => (i >= 0 ? [`${i},${j}`] : [])).sort();
        if (r !== c) expect(pairsA).toEqual(pairsB); // square: both sides are "rows", rules differ
        expect(checkAssignment(a, cost, r, c)).toBe(checkAssignment(b, t, c, r));
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it("pins known optima, including negative costs", () => {
    // Classic 3x3: 1+2+... optimum = rows -> [1, 0, 2], total 5.
    const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
    expect([...hungarian(cost, 3, 3)]).toEqual([1, 0, 2]);
    // Maximization through negation: the anti-diagonal is best.
    const sim = Float64Array.from([0.1, 0.2, 0.9, 0.3, 0.8, 0.1, 0.7, 0.2, 0.3]);
    expect([...hungarian(sim.map((x) => -x), 3, 3)]).toEqual([2, 1, 0]);
    // Tall matrix: rows 1 and 3 are the cheap ones.
    const tall = Float64Array.from([9, 9, 1, 9, 9, 9, 9, 1]);
    expect([...hungarian(tall, 4, 2)]).toEqual([-1, 0, -1, 1]);
  });

  it("scales to 200 x 200 and beats every single-swap improvement", () => {
    const rng = makeRng(5);
    const n = 200;
    const cost = Float64Array.from({ length: n * n }, () => rng());
    const a = hungarian(cost, n, n);
    const total = checkAssignment(a, cost, n, n);
    // 2-opt local optimality: no pair of rows gains by swapping columns.
    for (let i = 0; i < n; i++) {
      for (let k = i + 1; k < n; k++) {
        const now = cost[i * n + a[i]] + cost[k * n + a[k]];
        const swapped = cost[i * n + a[k]] + cost[k * n + a[i]];
        expect(swapped).toBeGreaterThanOrEqual(now - 1e-12);
      }
    }
    expect(total).toBeLessThan(n * 0.05); // random uniform costs: the optimum is ~1.6, far below n/2
  });

  it("handles empty shapes and rejects bad input", () => {
    expect([...hungarian(new Float64Array(0), 0, 3)]).toEqual([]);
    expect([...hungarian(new Float64Array(0), 2, 0)]).toEqual([-1, -1]);
    expect(() => hungarian(new Float64Array(5), 2, 3)).toThrow(RangeError);
    expect(() => hungarian(Float64Array.of(0, NaN), 1, 2)).toThrow(RangeError);
    expect(() => hungarian(Float64Array.of(0, Infinity), 2, 1)).toThrow(RangeError);
  });
});
