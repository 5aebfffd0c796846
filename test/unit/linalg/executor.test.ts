import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHUNK_COUNT,
  partitionEvenly,
  partitionRows,
  serialExecutor,
  sumPartial,
  sumPartialsInto,
  type ParallelKernel,
} from "../../../src/linalg/executor.js";

/** Checks the shape every chunking must have: starts at 0, ends at n, non-decreasing. */
function expectValidBounds(bounds: Int32Array, n: number, nChunks: number): void {
  expect(bounds.length).toBe(nChunks + 1);
  expect(bounds[0]).toBe(0);
  expect(bounds[nChunks]).toBe(n);
  for (let c = 0; c < nChunks; c++) expect(bounds[c + 1]).toBeGreaterThanOrEqual(bounds[c]);
}

describe("partitionRows", () => {
  it("cuts rows into min(maxChunks, nRows) ranges balanced on nnz + rowCost", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 80 }),
        (rowLengths, rowCost, maxChunks) => {
          const n = rowLengths.length;
          const indptr = new Int32Array(n + 1);
          rowLengths.forEach((len, i) => (indptr[i + 1] = indptr[i] + len));
          const bounds = partitionRows(indptr, n, rowCost, maxChunks);
          const nChunks = Math.min(maxChunks, n);
          expectValidBounds(bounds, n, nChunks);
          // Boundary c is the first row whose prefix weight reaches c/nChunks of the total.
          const weight = (i: number): number => indptr[i] + rowCost * i;
          const total = weight(n);
          for (let c = 1; c < nChunks; c++) {
            const b = bounds[c];
            expect(weight(b) * nChunks).toBeGreaterThanOrEqual(total * c);
            if (b > 0 && total > 0) expect(weight(b - 1) * nChunks).toBeLessThan(total * c);
          }
          // A chunk weighs at most one share plus its heaviest row.
          const heaviest = Math.max(...rowLengths) + rowCost;
          for (let c = 0; c < nChunks; c++) {
            expect(weight(bounds[c + 1]) - weight(bounds[c])).toBeLessThanOrEqual(total / nChunks + heaviest);
          }
        },
      ),
    );
  });

  it("defaults to CHUNK_COUNT chunks and depends only on the matrix (not on a thread count)", () => {
    const indptr = Int32Array.from({ length: 1001 }, (_, i) => i * 3);
    const a = partitionRows(indptr, 1000, 5);
    expect(a.length).toBe(CHUNK_COUNT + 1);
    expect(Array.from(partitionRows(indptr, 1000, 5))).toEqual(Array.from(a));
    expectValidBounds(partitionRows(new Int32Array(1), 0, 1), 0, 1);
  });
});

describe("partitionEvenly", () => {
  it("cuts n rows into ranges whose sizes differ by at most one", () => {
    for (const [n, max] of [[1000, 64], [7, 64], [64, 64], [65, 64], [0, 64], [10, 3]] as const) {
      const bounds = partitionEvenly(n, max);
      const nChunks = Math.max(1, Math.min(max, n));
      expectValidBounds(bounds, n, nChunks);
      const sizes = Array.from({ length: nChunks }, (_, c) => bounds[c + 1] - bounds[c]);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe("reductions in chunk order", () => {
  it("sumPartialsInto and sumPartial add slots chunk by chunk, in order", () => {
    // Values chosen so that the order of the additions shows in the result.
    const partials = Float64Array.from([1e16, 5, 1, 7, -1e16, 9]); // 3 chunks x stride 2
    const out = new Float64Array(2).fill(Number.NaN);
    sumPartialsInto(partials, 3, 2, 0, 2, out);
    expect(Array.from(out)).toEqual([((1e16 + 1) + -1e16), 5 + 7 + 9]);
    expect(sumPartial(partials, 3, 2, 0)).toBe((1e16 + 1) + -1e16); // 0, not 1: left to right
  });

  it("the serial executor runs every chunk once, in order, and allocates plain arrays", () => {
    const seen: number[] = [];
    const kernel: ParallelKernel<{ offset: number }> = { name: "test.seen", run: (task, c) => seen.push(task.offset + c) };
    serialExecutor.runChunks(kernel, { offset: 10 }, 4);
    expect(seen).toEqual([10, 11, 12, 13]);
    const a = new Float64Array(3);
    expect(serialExecutor.share(a)).toBe(a);
    expect(serialExecutor.createInt32Array(2).buffer).toBeInstanceOf(ArrayBuffer);
  });
});
