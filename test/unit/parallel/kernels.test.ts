/**
 * Every chunked kernel gives the same bits on worker threads, and as WebAssembly, as the
 * JavaScript kernels on the calling thread alone (the serial executor). Needs the built worker
 * script and kernels (dist/parallel/worker.js, dist/wasm/kernels.wasm: `npm test` builds first);
 * the multi-thread pools run with `callerWorks: false` so that the workers really run the chunks,
 * and with minWork 0 so that even small tasks go to them. Chunk counts (7, 64) do not divide the
 * rows evenly; the column counts reach every register block of the WebAssembly kernels.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gramKernel, gramParallelInto, multiplyBySmallParallel } from "../../../src/linalg/dense.js";
import {
  partitionEvenly,
  partitionRows,
  serialExecutor,
  type ParallelExecutor,
} from "../../../src/linalg/executor.js";
import { createRng } from "../../../src/linalg/random.js";
import {
  csrTimesDenseGramParallel,
  csrTimesDenseParallel,
  productAtNonzerosParallel,
  transposeCsr,
} from "../../../src/linalg/sparse.js";
import { randomizedSvdColumns, svdSquare } from "../../../src/linalg/svd.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { initializeFactorsInto } from "../../../src/nmf/init.js";
import { layOutTerms, orderTermsByFrequency } from "../../../src/nmf/layout.js";
import { objectivePartsKernel } from "../../../src/nmf/objective.js";
import { sortTopicsTransposed, topicSumsKernel, type TopicSumsTask } from "../../../src/nmf/order.js";
import { newtonSweepKernel, newtonPartialsStride, type NewtonSweepTask } from "../../../src/nmf/solvers/ccd.js";
import { halsPartialsStride, halsSweepKernel, type HalsSweepTask } from "../../../src/nmf/solvers/cd.js";
import { compressKernel, createCompressedFactor } from "../../../src/nmf/solvers/lists.js";
import { createWorkerPool, type WorkerPool } from "../../../src/parallel/index.js";
import { SCRATCH_BYTES } from "../../../src/wasm/heap.js";
import { denseToCsr, makeTestRandom, randomDense, randomSparse } from "../linalg/helpers.js";

/** Bit-for-bit equality of two arrays (NaN-safe, -0 distinct from +0). */
function expectSameBits(actual: Float64Array | Int32Array, expected: Float64Array | Int32Array): void {
  expect(actual.length).toBe(expected.length);
  const a = new Uint8Array(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength);
  let first = -1;
  for (let i = 0; i < a.length && first < 0; i++) if (a[i] !== e[i]) first = Math.floor(i / actual.BYTES_PER_ELEMENT);
  expect(first, first >= 0 ? `first difference at ${first}: ${actual[first]} vs ${expected[first]}` : "").toBe(-1);
}

/** X copied into the executor's memory. */
function shareMatrix(executor: ParallelExecutor, X: CsrMatrix): CsrMatrix {
  return { ...X, indptr: executor.share(X.indptr), indices: executor.share(X.indices), data: executor.share(X.data) };
}

/**
 * Lists of Hᵀ (compressed over `termBounds`) and the task of a Newton sweep of W against them
 * (penalties l1 = 0.01, l2 = 0.02, column sums 1 + t/10), writing W's lists; with `dense`, the
 * WebAssembly sweep reads Hᵀ dense instead of its lists (JavaScript always reads the lists).
 */
function newtonWTask(
  ex: ParallelExecutor,
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  docBounds: Int32Array,
  termBounds: Int32Array,
  dense: boolean,
): NewtonSweepTask {
  const hLists = createCompressedFactor(ex, X.nCols, k);
  ex.runChunks(compressKernel, { A: Ht, k, bounds: termBounds, out: hLists }, termBounds.length - 1);
  return {
    M: X,
    A: W,
    other: hLists,
    dense: dense ? Ht : null,
    otherSum: ex.share(Float64Array.from({ length: k }, (_, t) => 1 + t / 10)),
    k,
    l1: 0.01,
    l2: 0.02,
    bounds: docBounds,
    list: createCompressedFactor(ex, X.nRows, k),
    y: null,
    partials: ex.createFloat64Array((docBounds.length - 1) * newtonPartialsStride(k)),
  };
}

const pools: WorkerPool[] = [];
beforeAll(async () => {
  pools.push(createWorkerPool(1));
  for (const threads of [2, 3]) pools.push(createWorkerPool(threads, { minWork: 0, callerWorks: false }));
  pools.push(createWorkerPool(2, { minWork: 0, callerWorks: false, native: false }));
  await Promise.all(pools.map((pool) => pool.whenReady()));
});

it("the pools run the WebAssembly kernels unless told not to", () => {
  expect(pools.map((pool) => pool.native)).toEqual([true, true, true, false]);
});
afterAll(() => {
  for (const pool of pools) pool.close();
});

/** Runs `compute` with the serial executor and with each pool; every output must have the same bits. */
function expectSameOnAllExecutors(compute: (executor: ParallelExecutor) => Array<Float64Array | Int32Array>): void {
  const reference = compute(serialExecutor);
  for (const pool of pools) {
    const outputs = compute(pool);
    expect(outputs.length).toBe(reference.length);
    outputs.forEach((out, i) => expectSameBits(out, reference[i]));
  }
}

const nRows = 203;
const nCols = 157;
const X0 = randomSparse(nRows, nCols, 0.08, 41, [0, 17, 202], [3, 156]);

describe.each([1, 2, 3, 8, 13, 20, 23, 41, 64, 70])("kernels on %i columns", (k) => {
  it("csrTimesDense and productAtNonzeros (rows cut in 7 and in 64 chunks)", () => {
    const B0 = randomDense(nCols * k, k + 1, 0.3);
    const W0 = randomDense(nRows * k, k + 2, 0.3);
    expectSameOnAllExecutors((ex) => {
      const X = shareMatrix(ex, X0);
      const B = ex.share(B0);
      const out7 = ex.createFloat64Array(nRows * k);
      const out64 = ex.createFloat64Array(nRows * k);
      csrTimesDenseParallel(ex, X, B, k, out7, ex.share(partitionRows(X.indptr, nRows, 1, 7)));
      csrTimesDenseParallel(ex, X, B, k, out64, ex.share(partitionRows(X.indptr, nRows, k)));
      const y = ex.createFloat64Array(X.indptr[nRows]);
      productAtNonzerosParallel(ex, X, ex.share(W0), B, k, y);
      return [out7, out64, y];
    });
  });

  it("csrTimesDenseGram: the product and its Gram matrix in one round, as the two kernels give them", () => {
    const B0 = randomDense(nCols * k, k + 14, 0.3);
    const reference = new Float64Array(k * k);
    const product = new Float64Array(nRows * k);
    csrTimesDenseParallel(serialExecutor, X0, B0, k, product);
    gramParallelInto(serialExecutor, product, nRows, k, reference);
    expectSameOnAllExecutors((ex) => {
      const out = ex.createFloat64Array(nRows * k);
      const gram = new Float64Array(k * k);
      csrTimesDenseGramParallel(ex, shareMatrix(ex, X0), ex.share(B0), k, out, gram);
      expectSameBits(out, product);
      expectSameBits(gram, reference);
      return [out, gram];
    });
  });

  it("gram (partials in chunk order), multiplyBySmall (in place, upper, first columns)", () => {
    const A0 = randomDense(nRows * k, k + 3, 0.4);
    const S0 = randomDense(k * k, k + 4);
    expectSameOnAllExecutors((ex) => {
      const A = ex.share(A0);
      const gram = new Float64Array(k * k);
      gramParallelInto(ex, A, nRows, k, gram, ex.share(partitionEvenly(nRows, 7)));
      const partials = ex.createFloat64Array(64 * k * k);
      ex.runChunks(gramKernel, { A, k, bounds: ex.share(partitionEvenly(nRows)), partials }, 64);
      const inPlace = ex.share(A0.slice());
      multiplyBySmallParallel(ex, inPlace, nRows, k, ex.share(S0), k, true, inPlace, k);
      const first = Math.min(2, k);
      const firstCols = ex.createFloat64Array(nRows * first);
      multiplyBySmallParallel(ex, A, nRows, k, ex.share(S0), k, false, firstCols, first);
      return [gram, partials, inPlace, firstCols];
    });
  });

  it("HALS sweep (gathered and precomputed linear terms, l1 penalty)", () => {
    const Ht0 = randomDense(nCols * k, k + 5, 0.5);
    const W0 = randomDense(nRows * k, k + 6, 0.5);
    const G0 = new Float64Array(k * k);
    for (let t = 0; t < k; t++) for (let s = 0; s < k; s++) G0[t * k + s] = (t === s ? 2 : 0.1) + 0.01 * ((t * 7 + s * 3) % 5);
    expectSameOnAllExecutors((ex) => {
      const X = shareMatrix(ex, X0);
      const bounds = ex.share(partitionRows(X.indptr, nRows, k));
      const outputs: Float64Array[] = [];
      for (const precomputed of [false, true]) {
        const Ht = ex.share(Ht0);
        const B = precomputed ? ex.createFloat64Array(nRows * k) : ex.createFloat64Array(0);
        if (precomputed) csrTimesDenseParallel(ex, X, Ht, k, B);
        const task: HalsSweepTask = {
          M: X,
          other: Ht,
          B,
          A: ex.share(W0.slice()),
          G: ex.share(G0),
          k,
          l1: 0.05,
          bounds,
          partials: ex.createFloat64Array((bounds.length - 1) * halsPartialsStride(k)),
        };
        ex.runChunks(halsSweepKernel, task, bounds.length - 1);
        outputs.push(task.A, task.partials);
      }
      return outputs;
    });
  });

  it.each([
    ["lists", false],
    ["dense other factors", true],
  ])("CCD Newton sweeps of W then of Hᵀ, %s (lists, column sums, W·H at the entries, penalties)", (_, dense) => {
    const W0 = randomDense(nRows * k, k + 7, 0.3).map((v) => v + 0.01);
    const Ht0 = randomDense(nCols * k, k + 8, 0.5);
    expectSameOnAllExecutors((ex) => {
      const X = shareMatrix(ex, X0);
      const Xt = shareMatrix(ex, transposeCsr(X0));
      const docBounds = ex.share(partitionRows(X.indptr, nRows, k));
      const termBounds = ex.share(partitionRows(Xt.indptr, nCols, k));
      const W = ex.share(W0.slice());
      const Ht = ex.share(Ht0.slice());
      const wTask = newtonWTask(ex, X, W, Ht, k, docBounds, termBounds, dense);
      const hLists = wTask.other;
      const wLists = wTask.list!;
      const y = ex.createFloat64Array(X.indptr[nRows]);
      ex.runChunks(newtonSweepKernel, wTask, docBounds.length - 1);
      const hTask: NewtonSweepTask = {
        ...wTask,
        M: Xt,
        A: Ht,
        other: wLists,
        dense: dense ? W : null,
        bounds: termBounds,
        list: hLists,
        y,
        partials: ex.createFloat64Array((termBounds.length - 1) * newtonPartialsStride(k)),
      };
      ex.runChunks(newtonSweepKernel, hTask, termBounds.length - 1);
      return [W, Ht, y, wTask.partials, hTask.partials, wLists.topics, wLists.values, hLists.start, hLists.end];
    });
  });

  it("objective parts (cross term and KL sums per chunk, W·H at the entries)", () => {
    const W0 = randomDense(nRows * k, k + 9, 0.3);
    const Ht0 = randomDense(nCols * k, k + 10, 0.3);
    expectSameOnAllExecutors((ex) => {
      const X = shareMatrix(ex, X0);
      const W = ex.share(W0);
      const Ht = ex.share(Ht0);
      const bounds = ex.share(partitionRows(X.indptr, nRows, 1));
      const partials = ex.createFloat64Array(3 * (bounds.length - 1));
      const y = ex.createFloat64Array(X.indptr[nRows]);
      ex.runChunks(objectivePartsKernel, { X, W, Ht, k, kl: true, y, bounds, partials }, bounds.length - 1);
      const crossOnly = ex.createFloat64Array(3 * (bounds.length - 1));
      ex.runChunks(objectivePartsKernel, { X, W, Ht, k, kl: false, y: null, bounds, partials: crossOnly }, bounds.length - 1);
      return [partials, y, crossOnly];
    });
  });
});

/**
 * Rows 7 and 45 of X store every one of `nLong` columns: grouped by topic (8 bytes per entry and
 * 12 per pair, at least one pair per entry) they overflow a thread's WebAssembly scratch, and so
 * does their dense block for k = 6 ((k + 1)·8 bytes per entry), so JavaScript sweeps them in the
 * middle of chunks that WebAssembly sweeps otherwise; for k = 1 the dense block fits. Row 20
 * stores 20,000 columns where Hᵀ has topic 0 alone: its pairs fit, its dense block does not for
 * k = 6 (the grouped WebAssembly sweep takes it in the middle of a dense one). Row 50 reads only
 * columns 0-2, where Hᵀ has topic 0 alone, with W[50, 0] = 1000: the Newton step overshoots past
 * 0 while w is the only contribution to those Y, so w is halved. For k = 6, row 51 reads column 3,
 * where only topic 1 is non-zero and W[51, 1] = 0 (so W·H = 0 there), then columns 4-5, shared by
 * topics 0 and 2: W[51, 0] = 1000 overshoots, but the derivative at 0 is finite (the zero of
 * W·H at column 3 is not topic 0's), so it takes the Newton step from 0, not the halving.
 */
describe.each([
  ["lists", false],
  ["dense other factor", true],
])("CCD Newton sweeps with long rows, %s", (_, denseOther) => {
  it.each([1, 6])("rows too long for the WebAssembly scratch, and w halved (k = %i)", (k) => {
  const n = 60;
  const nLong = Math.ceil(SCRATCH_BYTES / 20) + 1;
  const sparseFrom = nLong - 20_000;
  const rand = makeTestRandom(k + 11);
  const dense = new Float64Array(n * nLong);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nLong; j++) {
      const keep =
        i === 7 || i === 45 || (i === 20 ? j >= sparseFrom : i === 50 ? j < 3 : i === 51 ? j >= 3 && j < 6 : rand() < 0.01);
      if (keep) dense[i * nLong + j] = 0.05 + rand();
    }
  }
  const X0 = denseToCsr(dense, n, nLong);
  const W0 = randomDense(n * k, k + 12, 0.3);
  W0.fill(0, 50 * k, 51 * k);
  W0[50 * k] = 1000;
  if (k > 2) {
    W0.fill(0, 51 * k, 52 * k);
    W0[51 * k] = 1000;
    W0[51 * k + 2] = 1;
  }
  const Ht0 = randomDense(nLong * k, k + 13).map((v) => v + 0.01);
  for (let j = 0; j < nLong; j++) {
    if (j >= 3 && j < sparseFrom && (k <= 2 || j >= 6)) continue;
    Ht0.fill(0, j * k, (j + 1) * k);
    if (j === 3) Ht0[j * k + 1] = 0.5;
    else Ht0[j * k] = 0.5 + (j % 7) / 10;
    if (j === 4 || j === 5) Ht0[j * k + 2] = 0.5;
  }
  expectSameOnAllExecutors((ex) => {
    const X = shareMatrix(ex, X0);
    const Xt = shareMatrix(ex, transposeCsr(X0));
    const docBounds = ex.share(partitionRows(X.indptr, n, k, 2));
    const termBounds = ex.share(partitionRows(Xt.indptr, nLong, k));
    const W = ex.share(W0.slice());
    const wTask = newtonWTask(ex, X, W, ex.share(Ht0), k, docBounds, termBounds, denseOther);
    const wLists = wTask.list!;
    ex.runChunks(newtonSweepKernel, wTask, docBounds.length - 1);
    expect(W[50 * k]).toBe(500);
    if (k > 2) expect(W[51 * k]).toBeGreaterThan(0);
    if (k > 2) expect(W[51 * k]).toBeLessThan(500);
    const afterFirst = W.slice();
    // A second sweep writing W·H at X's entries instead of lists (as when only W is fitted).
    const y = ex.createFloat64Array(X.indptr[n]);
    const yTask: NewtonSweepTask = {
      ...wTask,
      list: null,
      y,
      partials: ex.createFloat64Array((docBounds.length - 1) * newtonPartialsStride(k)),
    };
    ex.runChunks(newtonSweepKernel, yTask, docBounds.length - 1);
    return [afterFirst, wTask.partials, wLists.start, wLists.end, wLists.topics, wLists.values, W, y, yTask.partials];
  });
  });
});

/**
 * The once-per-fit kernels (term layout, normal draws, svd_flip, NNDSVD, topic order, the small
 * SVD): one chunk each, run as WebAssembly on the pools that have it; the same bits as
 * JavaScript on the serial executor (ml-matrix for the small SVD).
 */
describe("once-per-fit kernels", () => {
  it("term layout: order, renumbered X and Xᵀ, sum and sum of squares (empty rows and columns)", () => {
    expectSameOnAllExecutors((ex) => {
      const { X, Xt, termOrder, sum, sumSquares, firstInvalid } = layOutTerms(X0, ex);
      expect(firstInvalid).toBe(-1);
      return [termOrder, X.indptr, X.indices, X.data, Xt.indptr, Xt.indices, Xt.data, Float64Array.of(sum, sumSquares)];
    });
  });

  it.each([
    [-1, "negative"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "infinite"],
  ])("term layout finds the first invalid value (%s, %s) in the caller's storage order", (bad) => {
    const data = X0.data.slice();
    const first = 17;
    data[first] = bad;
    data[first + 40] = -2;
    expectSameOnAllExecutors((ex) => {
      const layout = layOutTerms({ ...X0, data }, ex);
      expect(layout.firstInvalid).toBe(first);
      return [layout.X.data];
    });
  });

  it("term layout with a column repeated in a row more often than the WebAssembly's scratch holds", () => {
    // Row 0 stores column 1 five times: its count (6) exceeds max(rows, columns) = 3.
    const X: CsrMatrix = {
      nRows: 3,
      nCols: 3,
      indptr: Int32Array.of(0, 6, 7, 9),
      indices: Int32Array.of(0, 1, 1, 1, 1, 1, 1, 0, 2),
      data: Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
    };
    expectSameOnAllExecutors((ex) => {
      const layout = layOutTerms(X, ex);
      return [layout.termOrder, layout.X.indices, layout.X.data, layout.Xt.indptr, layout.Xt.data];
    });
    expect(Array.from(layOutTerms(X, serialExecutor).termOrder)).toEqual([1, 0, 2]);
  });

  it.each([0, 1, 2, 7, 1001])("normal draws of %i values, after a cached one, then more draws", (n) => {
    expectSameOnAllExecutors((ex) => {
      const rng = createRng(n + 5);
      const first = rng.nextNormal(); // leaves the pair's second value cached
      const out = ex.createFloat64Array(n);
      rng.fillNormal(out, ex);
      const after = ex.createFloat64Array(5);
      rng.fillNormal(after, ex);
      return [Float64Array.of(first), out, after, Float64Array.of(rng.nextFloat())];
    });
  });

  it.each([3, 12])("randomized SVD (svd_flip) and NNDSVD factors from it, k = %i", (k) => {
    expectSameOnAllExecutors((ex) => {
      const layout = layOutTerms(X0, ex);
      const svd = randomizedSvdColumns(layout.X, layout.Xt, k, createRng(k), { executor: ex, columnOrder: layout.termOrder });
      const outputs: Float64Array[] = [svd.U, svd.s, svd.V];
      for (const init of ["nndsvd", "nndsvda", "nndsvdar"] as const) {
        const W = ex.createFloat64Array(nRows * k);
        const Ht = ex.createFloat64Array(nCols * k);
        initializeFactorsInto(layout.X, layout.Xt, k, init, createRng(k), W, Ht, { executor: ex, columnOrder: layout.termOrder });
        outputs.push(W, Ht);
      }
      return outputs;
    });
  });

  it("topic order: weights, tie on weight, permuted factors in the caller's term order", () => {
    const k = 4;
    const W0 = randomDense(nRows * k, 17, 0.3);
    const Ht0 = randomDense(nCols * k, 18, 0.3);
    // Topics 1 and 3 get the same weight: equal columns of W and of Hᵀ.
    for (let d = 0; d < nRows; d++) W0[d * k + 3] = W0[d * k + 1];
    for (let c = 0; c < nCols; c++) Ht0[c * k + 3] = Ht0[c * k + 1];
    const order = orderTermsByFrequency(X0);
    expectSameOnAllExecutors((ex) => {
      const W = ex.share(W0);
      const Ht = ex.share(Ht0);
      const termOrder = ex.share(order);
      const sums: TopicSumsTask = { W, nDocs: nRows, Ht, termOrder, rank: ex.createInt32Array(nCols), nTerms: nCols, k, sums: ex.createFloat64Array(2 * k) };
      ex.runChunks(topicSumsKernel, sums, 1);
      const sorted = sortTopicsTransposed(W, Ht, termOrder, nRows, k, ex);
      return [sums.sums, sums.rank, sorted.W, sorted.H];
    });
  });

  it("small SVD: random, triangular, integer (ties), rank-deficient, zero and tiny matrices", () => {
    const rand = makeTestRandom(23);
    const cases: Array<[Float64Array, number]> = [];
    for (const n of [1, 2, 3, 7, 15, 30]) {
      const random = Float64Array.from({ length: n * n }, () => rand() - 0.5);
      const upper = random.map((v, i) => (i % n >= Math.floor(i / n) ? v : 0));
      const integer = random.map((v) => Math.round(6 * v));
      const deficient = random.slice();
      deficient.copyWithin((n - 1) * n, 0, n);
      cases.push([random, n], [upper, n], [integer, n], [deficient, n], [new Float64Array(n * n), n], [random.map((v) => v * 1e-160), n]);
    }
    expectSameOnAllExecutors((ex) =>
      cases.flatMap(([A, n]) => {
        const { U, s, V } = svdSquare(A, n, ex);
        return [U, s, V];
      }),
    );
  });
});
