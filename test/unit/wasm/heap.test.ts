/**
 * The WebAssembly heap behind the executor: arrays are zero-filled views of one shared memory,
 * a scope gives its arrays back (and the next allocation reuses them), growth keeps earlier
 * views valid, and a fit's results survive the release of its scope. Needs the built kernels
 * (dist/wasm/kernels.wasm: `npm test` builds first).
 */
import { afterAll, describe, expect, it } from "vitest";
import { serialExecutor } from "../../../src/linalg/executor.js";
import { fitNmf } from "../../../src/nmf/factorize.js";
import { defaultNmfOptions } from "../../../src/nmf/params.js";
import { createWorkerPool } from "../../../src/parallel/index.js";
import { createWasmHeap, kernelModule, SCRATCH_BYTES } from "../../../src/wasm/heap.js";
import { randomSparse } from "../linalg/helpers.js";

describe("createWasmHeap", () => {
  it("loads the built kernels", () => {
    expect(kernelModule()).not.toBeNull();
  });

  it("hands out zero-filled, 64-byte aligned views of its memory, after the threads' scratch", () => {
    const heap = createWasmHeap(3)!;
    expect(heap.scratchOf(1) - heap.scratchOf(0)).toBe(SCRATCH_BYTES);
    const a = heap.allocFloat64(5)!;
    const b = heap.allocInt32(3)!;
    expect(a.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(a.byteOffset % 64).toBe(0);
    expect(b.byteOffset % 64).toBe(0);
    expect(a.byteOffset).toBeGreaterThanOrEqual(heap.scratchOf(2) + SCRATCH_BYTES);
    expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 40);
    expect(Array.from(a)).toEqual([0, 0, 0, 0, 0]);
    expect(heap.owns(a) && heap.owns(b)).toBe(true);
    expect(heap.owns(new Float64Array(new SharedArrayBuffer(8)))).toBe(false);
  });

  it("releases a scope's arrays and zero-fills them when reused", () => {
    const heap = createWasmHeap(1)!;
    const before = heap.allocFloat64(1)!;
    let inner = -1;
    const result = heap.scope(() => {
      const a = heap.allocFloat64(100)!;
      a.fill(7);
      inner = a.byteOffset;
      return a[3];
    });
    expect(result).toBe(7);
    const reused = heap.allocFloat64(100)!;
    expect(reused.byteOffset).toBe(inner);
    expect(reused.every((v) => v === 0)).toBe(true);
    expect(before.byteOffset).toBeLessThan(inner);
  });

  it("grows past its first 16 MiB and keeps earlier views valid", () => {
    const heap = createWasmHeap(1)!;
    const first = heap.allocFloat64(1000)!;
    first[999] = 42;
    const big = heap.allocFloat64(5_000_000)!; // 40 MB
    big[big.length - 1] = 1;
    expect(heap.memory.buffer.byteLength).toBeGreaterThanOrEqual(big.byteOffset + big.byteLength);
    expect(first[999]).toBe(42);
    expect(heap.owns(first) && heap.owns(big)).toBe(true);
  });
});

describe("fits on a WebAssembly executor", () => {
  const pool = createWorkerPool(1);
  afterAll(() => pool.close());

  it("give the serial JavaScript fit's bits, twice in a row on one executor (the scope's release loses nothing)", () => {
    const X = randomSparse(120, 90, 0.1, 7, [5], [11]);
    const options = { ...defaultNmfOptions, nTopics: 6, maxIter: 40, tol: 0 };
    const reference = fitNmf(X, { ...options, executor: serialExecutor });
    const first = fitNmf(X, { ...options, executor: pool });
    const second = fitNmf(X, { ...options, nTopics: 4, executor: pool });
    const third = fitNmf(X, { ...options, executor: pool });
    expect(pool.native).toBe(true);
    for (const result of [first, third]) {
      expect(Array.from(result.W)).toEqual(Array.from(reference.W));
      expect(Array.from(result.H)).toEqual(Array.from(reference.H));
      expect(result.objective).toBe(reference.objective);
    }
    expect(second.nTopics).toBe(4);
    // The first result is an ordinary array that the later fits did not overwrite.
    expect(first.W.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(first.W)).toEqual(Array.from(reference.W));
  });
});
