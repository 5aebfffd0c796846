/**
 * Parallel execution of chunked kernels, as seen by the numerical code. A kernel processes one
 * chunk (a fixed range of rows) of a task; an executor runs every chunk of a task exactly once,
 * on whatever thread is free, and returns when all are done. Results never depend on the thread
 * count because
 * - chunk boundaries depend only on the data ({@link partitionRows}, {@link partitionEvenly}),
 *   never on the number of threads;
 * - a chunk writes only its own rows and its own slot of a partials array;
 * - reductions (Gram matrices, sums) add the per-chunk partials in chunk order on the calling
 *   thread ({@link sumPartialsInto}).
 * The serial executor runs the same chunks in order on the calling thread, so `--threads 1` and
 * `--threads N` give the same bits. The worker-thread executor lives in src/parallel (the only
 * place that may import node:worker_threads); it finds kernels by name in `nmf/kernels.ts`.
 */

import type { NativeKernels } from "./native.js";

/**
 * One chunk of a task: `run(task, chunk, native)` must write only that chunk's outputs. `native`
 * is the calling thread's WebAssembly kernels when every array of the task lives in the
 * executor's WebAssembly memory, else null; a kernel that uses them gives the same bits as without.
 */
export interface ParallelKernel<T extends object> {
  /** Unique name; worker threads look the kernel up by it (see `PARALLEL_KERNELS`). */
  readonly name: string;
  readonly run: (task: T, chunk: number, native: NativeKernels | null) => void;
}

/**
 * Runs chunked kernels. Arrays that a kernel reads or writes must come from
 * {@link ParallelExecutor.createFloat64Array} / {@link ParallelExecutor.createInt32Array} (or
 * {@link ParallelExecutor.share}) so that every thread sees them; tasks are flat objects of
 * numbers, strings, booleans and such arrays.
 */
export interface ParallelExecutor {
  /** Threads that run chunks, the calling thread included (1: serial). */
  readonly threads: number;
  /** A zero-filled Float64Array visible to every thread. */
  createFloat64Array(length: number): Float64Array;
  /** A zero-filled Int32Array visible to every thread. */
  createInt32Array(length: number): Int32Array;
  /** `array` itself when every thread already sees it, else a copy that they all see. */
  share<A extends Float64Array | Int32Array>(array: A): A;
  /**
   * Runs `kernel.run(task, c)` for every c in [0, nChunks), each exactly once, and returns when
   * all are done. `work` estimates the multiply-adds of the whole task: below a threshold the
   * executor may run every chunk on the calling thread (which changes no bit of the result).
   * A task of one chunk always runs on the calling thread, so its kernel need not be known to
   * other threads (the once-per-fit kernels rely on it). Rethrows the first error a chunk threw.
   */
  runChunks<T extends object>(kernel: ParallelKernel<T>, task: T, nChunks: number, work?: number): void;
  /**
   * Runs `body` and returns its result; the arrays created during it may be reused once it
   * returns, so `body` must return only ordinary arrays (a fit copies its results out).
   */
  scope<R>(body: () => R): R;
}

/** Runs every chunk in order on the calling thread. */
export const serialExecutor: ParallelExecutor = Object.freeze({
  threads: 1,
  createFloat64Array: (length: number): Float64Array => new Float64Array(length),
  createInt32Array: (length: number): Int32Array => new Int32Array(length),
  share: <A extends Float64Array | Int32Array>(array: A): A => array,
  runChunks<T extends object>(kernel: ParallelKernel<T>, task: T, nChunks: number): void {
    for (let c = 0; c < nChunks; c++) kernel.run(task, c, null);
  },
  scope: <R>(body: () => R): R => body(),
});

/**
 * Number of chunks a row range is cut into (when it has that many rows). Fixed, so that results
 * do not depend on the thread count; 64 keeps 2-8 threads busy with dynamic scheduling while the
 * per-chunk partials (k² values each) stay negligible.
 */
export const CHUNK_COUNT = 64;

/**
 * Chunk boundaries for the rows of a CSR matrix, balanced on `nnz(row) + rowCost`:
 * chunk c is rows `[bounds[c], bounds[c + 1])`, `bounds[0] = 0`, `bounds[nChunks] = nRows`,
 * nChunks = min(maxChunks, nRows) (chunks may be empty when one row outweighs a share).
 * Boundary c is the first row whose cumulative weight reaches `c/nChunks` of the total.
 * Depends only on indptr, rowCost and maxChunks.
 */
export function partitionRows(indptr: Int32Array, nRows: number, rowCost: number, maxChunks: number = CHUNK_COUNT): Int32Array {
  const nChunks = Math.max(1, Math.min(maxChunks, nRows));
  const bounds = new Int32Array(nChunks + 1);
  bounds[nChunks] = nRows;
  const total = indptr[nRows] - indptr[0] + rowCost * nRows;
  let c = 1;
  let cumulative = 0;
  for (let i = 0; i < nRows && c < nChunks; i++) {
    // cumulative = weight of rows [0, i)
    while (c < nChunks && cumulative * nChunks >= total * c) bounds[c++] = i;
    cumulative += indptr[i + 1] - indptr[i] + rowCost;
  }
  while (c < nChunks) bounds[c++] = nRows;
  return bounds;
}

/** Chunk boundaries cutting n equal-cost rows into min(maxChunks, n) (at least 1) near-equal ranges. */
export function partitionEvenly(n: number, maxChunks: number = CHUNK_COUNT): Int32Array {
  const nChunks = Math.max(1, Math.min(maxChunks, n));
  const bounds = new Int32Array(nChunks + 1);
  for (let c = 0; c <= nChunks; c++) bounds[c] = Math.floor((n * c) / nChunks);
  return bounds;
}

/**
 * `out[q] = sum_c partials[c·stride + offset + q]` for q in [0, length), chunks added in order
 * 0, 1, ..., nChunks-1 (the fixed reduction order that makes results thread-count independent).
 */
export function sumPartialsInto(
  partials: Float64Array,
  nChunks: number,
  stride: number,
  offset: number,
  length: number,
  out: Float64Array,
): void {
  out.fill(0, 0, length);
  for (let c = 0; c < nChunks; c++) {
    const base = c * stride + offset;
    for (let q = 0; q < length; q++) out[q] += partials[base + q];
  }
}

/** `sum_c partials[c·stride + offset]`, chunks in order. */
export function sumPartial(partials: Float64Array, nChunks: number, stride: number, offset: number): number {
  let s = 0;
  for (let c = 0; c < nChunks; c++) s += partials[c * stride + offset];
  return s;
}
