/**
 * The solvers' internal layout of X: terms renumbered by decreasing document frequency, so that
 * the rows of Hᵀ (and of the SVD's sketch) that the gathers read most sit together and stay in
 * cache (on 20 Newsgroups the most frequent 10 % of the terms hold ~75 % of the non-zeros).
 * The renumbering is internal: factors are mapped back, so callers see the vocabulary order, and
 * it depends only on X, so results stay deterministic.
 */
import type { ParallelExecutor, ParallelKernel } from "../linalg/executor.js";
import type { CsrMatrix } from "../linalg/types.js";

/** X with its columns renumbered, and its term-major copy. */
export interface TermLayout {
  /** nDocs x nTerms: column c is column `termOrder[c]` of the caller's X; columns sorted per row. */
  readonly X: CsrMatrix;
  /** The transpose of `X` (nTerms x nDocs): row c holds the documents of term `termOrder[c]`. */
  readonly Xt: CsrMatrix;
  /** New term index -> the caller's term index. */
  readonly termOrder: Int32Array;
  /** Sum of X's stored values, added in `X`'s storage order (`sumValues(X)`, the same bits). */
  readonly sum: number;
  /** Sum of their squares, ||X||_F², in the same order (`sumSquares(X)`). */
  readonly sumSquares: number;
  /** Position in the caller's X of its first stored value that is negative, NaN or infinite; -1 when none is. */
  readonly firstInvalid: number;
}

/**
 * Term indices sorted by decreasing number of stored entries in their column (document
 * frequency), ties by increasing index: a stable counting sort, O(nnz + nTerms + nDocs).
 */
export function orderTermsByFrequency(X: CsrMatrix): Int32Array {
  const order = new Int32Array(X.nCols);
  orderTermsByFrequencyInto(X, new Int32Array(X.nCols), order);
  return order;
}

/**
 * {@link orderTermsByFrequency} into `order` (nCols), with `counts` (nCols) as scratch: it
 * receives the column counts.
 */
export function orderTermsByFrequencyInto(X: CsrMatrix, counts: Int32Array, order: Int32Array): void {
  const { nCols, indices } = X;
  const nnz = X.indptr[X.nRows];
  counts.fill(0, 0, nCols);
  for (let p = 0; p < nnz; p++) counts[indices[p]]++;
  let maxCount = 0;
  for (let j = 0; j < nCols; j++) if (counts[j] > maxCount) maxCount = counts[j];
  // Bucket b = maxCount - count holds the terms of that frequency, most frequent first.
  const next = new Int32Array(maxCount + 2);
  for (let j = 0; j < nCols; j++) next[maxCount - counts[j] + 1]++;
  for (let b = 0; b <= maxCount; b++) next[b + 1] += next[b];
  for (let j = 0; j < nCols; j++) order[next[maxCount - counts[j]]++] = j;
}

/**
 * Builds X with its columns renumbered by `termOrder` (new -> old) and its transpose, both in
 * memory the executor's threads can read: the transpose by a counting sort on the new column
 * index (documents stay sorted in each of its rows), then X by transposing that back (terms
 * sorted in each row). Two O(nnz) passes.
 */
export function buildTermLayout(X: CsrMatrix, termOrder: Int32Array, memory: ParallelExecutor): TermLayout {
  const task = createTermLayoutTask(X, memory);
  task.order.set(termOrder);
  const rank = task.rank;
  for (let c = 0; c < X.nCols; c++) rank[termOrder[c]] = c;
  task.stats[2] = firstInvalidValue(task.X);
  transposeRenumberedInto(task.X, rank, task.Xt, task.next);
  transposeRenumberedInto(task.Xt, null, task.Xs, task.next);
  sumValuesAndSquaresInto(task.Xs, task.stats);
  return layoutOf(task);
}

/**
 * The term layout of X ({@link orderTermsByFrequency}, then {@link buildTermLayout}) in one
 * step: as WebAssembly when the executor has it (X is copied into its memory first), else in
 * JavaScript, with the same result. Runs once per fit, while JavaScript is still cold: its
 * loops would run interpreted for most of their ~5·nnz steps.
 */
export function layOutTerms(X: CsrMatrix, executor: ParallelExecutor): TermLayout {
  const task = createTermLayoutTask(X, executor);
  executor.runChunks(termLayoutKernel, task, 1, 0);
  return layoutOf(task);
}

function layoutOf(task: TermLayoutTask): TermLayout {
  const { stats } = task;
  return { X: task.Xs, Xt: task.Xt, termOrder: task.order, sum: stats[0], sumSquares: stats[1], firstInvalid: stats[2] };
}

/** Task of {@link termLayoutKernel}: the term layout of `X` (see {@link layOutTerms}). */
export interface TermLayoutTask {
  /** The caller's X, nRows x nCols (or the executor's copy of it; Xs's arrays may be the copy's). */
  X: CsrMatrix;
  /** Out: new term index -> the caller's (nCols). */
  order: Int32Array;
  /** Scratch, then the caller's term index -> new (nCols). */
  rank: Int32Array;
  /** Scratch of at least max(nRows, nCols) + 2 entries. */
  next: Int32Array;
  /** Out: X renumbered and transposed (nCols x nRows). */
  Xt: CsrMatrix;
  /** Out: X renumbered (nRows x nCols), columns sorted per row. */
  Xs: CsrMatrix;
  /** Out: the sum and the sum of squares of Xs's values in their order, X's first invalid value's position. */
  stats: Float64Array;
}

/** Allocates a {@link TermLayoutTask} for X in `memory` (X shared with its threads). */
function createTermLayoutTask(X: CsrMatrix, memory: ParallelExecutor): TermLayoutTask {
  const { nRows, nCols } = X;
  const nnz = X.indptr[nRows];
  // Views of the used part: share() returns them as they are when the threads see them already,
  // else copies. A copy is ours, and dead once Xt is built: the renumbered X (same sizes) is
  // written over it, which saves the fresh memory (its page faults cost as much as the copy).
  const indptr = X.indptr.subarray(0, nRows + 1);
  const indices = X.indices.subarray(0, nnz);
  const data = X.data.subarray(0, nnz);
  const Xin: CsrMatrix = { nRows, nCols, indptr: memory.share(indptr), indices: memory.share(indices), data: memory.share(data) };
  const Xs: CsrMatrix = {
    nRows,
    nCols,
    indptr: Xin.indptr !== indptr ? Xin.indptr : memory.createInt32Array(nRows + 1),
    indices: Xin.indices !== indices ? Xin.indices : memory.createInt32Array(nnz),
    data: Xin.data !== data ? Xin.data : memory.createFloat64Array(nnz),
  };
  return {
    X: Xin,
    order: memory.createInt32Array(nCols),
    rank: memory.createInt32Array(nCols),
    next: memory.createInt32Array(Math.max(nRows, nCols) + 2),
    Xt: {
      nRows: nCols,
      nCols: nRows,
      indptr: memory.createInt32Array(nCols + 1),
      indices: memory.createInt32Array(nnz),
      data: memory.createFloat64Array(nnz),
    },
    Xs,
    stats: memory.createFloat64Array(3),
  };
}

/** The JavaScript twin of assembly/layout.ts termLayout: fills the task's outputs. */
export function computeTermLayout(task: TermLayoutTask): void {
  const { X, order, rank } = task;
  task.stats[2] = firstInvalidValue(X);
  orderTermsByFrequencyInto(X, rank, order);
  for (let c = 0; c < X.nCols; c++) rank[order[c]] = c;
  transposeRenumberedInto(X, rank, task.Xt, task.next);
  transposeRenumberedInto(task.Xt, null, task.Xs, task.next);
  sumValuesAndSquaresInto(task.Xs, task.stats);
}

/** Position of X's first stored value that is negative, NaN or infinite, or -1. */
export function firstInvalidValue(X: CsrMatrix): number {
  const { data } = X;
  const nnz = X.indptr[X.nRows];
  for (let p = 0; p < nnz; p++) {
    const v = data[p];
    if (!(v >= 0) || v === Infinity) return p;
  }
  return -1;
}

/** `sums[0 .. 2) = [sumValues(X), sumSquares(X)]`: one pass, each sum in storage order (the same bits). */
function sumValuesAndSquaresInto(X: CsrMatrix, sums: Float64Array): void {
  const { data } = X;
  const nnz = X.indptr[X.nRows];
  let sum = 0;
  let squares = 0;
  for (let p = 0; p < nnz; p++) {
    const v = data[p];
    sum += v;
    squares += v * v;
  }
  sums[0] = sum;
  sums[1] = squares;
}

/**
 * `out` = the transpose of X with column j renumbered `rank[j]` (rank null: not renumbered), by
 * a counting sort on the new column: each row of `out` lists its entries by increasing row of
 * X. out's arrays are overwritten (indptr nCols + 1, indices and data nnz); `next` (nCols) is
 * scratch.
 */
function transposeRenumberedInto(X: CsrMatrix, rank: Int32Array | null, out: CsrMatrix, next: Int32Array): void {
  const { nRows, nCols, indptr, indices, data } = X;
  const nnz = indptr[nRows];
  const tIndptr = out.indptr;
  const tIndices = out.indices;
  const tData = out.data;
  tIndptr.fill(0, 0, nCols + 1);
  if (rank !== null) for (let p = 0; p < nnz; p++) tIndptr[rank[indices[p]] + 1]++;
  else for (let p = 0; p < nnz; p++) tIndptr[indices[p] + 1]++;
  for (let c = 0; c < nCols; c++) tIndptr[c + 1] += tIndptr[c];
  next.set(tIndptr.subarray(0, nCols));
  for (let i = 0; i < nRows; i++) {
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const q = next[rank !== null ? rank[indices[p]] : indices[p]]++;
      tIndices[q] = i;
      tData[q] = data[p];
    }
  }
}

/**
 * Chunk 0 (the only one) computes the whole {@link TermLayoutTask}: as WebAssembly when the
 * executor passes its kernels (every array in its memory), else, or when a column is too
 * long for the WebAssembly's scratch (repeated entries), in JavaScript.
 */
export const termLayoutKernel: ParallelKernel<TermLayoutTask> = {
  name: "nmf.termLayout",
  run(task, _chunk, native) {
    const { X, Xt, Xs } = task;
    if (
      native !== null &&
      native.termLayout(
        X.nRows, X.nCols, X.indptr.byteOffset, X.indices.byteOffset, X.data.byteOffset,
        task.order.byteOffset, task.rank.byteOffset, task.next.byteOffset, task.next.length,
        Xt.indptr.byteOffset, Xt.indices.byteOffset, Xt.data.byteOffset,
        Xs.indptr.byteOffset, Xs.indices.byteOffset, Xs.data.byteOffset, task.stats.byteOffset,
      ) === 0
    ) {
      return;
    }
    computeTermLayout(task);
  },
};

/**
 * `H[t, termOrder[c]] = Ht[c, t]`: H (k x nTerms, the caller's term order) from the solver's Hᵀ
 * (nTerms x k, renumbered terms).
 */
export function restoreTermOrder(Ht: Float64Array, termOrder: Int32Array, k: number): Float64Array {
  const nTerms = termOrder.length;
  const H = new Float64Array(k * nTerms);
  for (let c = 0; c < nTerms; c++) {
    const j = termOrder[c];
    const base = c * k;
    for (let t = 0; t < k; t++) H[t * nTerms + j] = Ht[base + t];
  }
  return H;
}

/**
 * `Ht[c, t] = H[t, termOrder[c]]`: the solver's Hᵀ (renumbered terms, nTerms x k) from H (k x
 * nTerms, the caller's order), written into `out`.
 */
export function permuteTermsTransposedInto(H: Float64Array, termOrder: Int32Array, k: number, out: Float64Array): void {
  const nTerms = termOrder.length;
  for (let c = 0; c < nTerms; c++) {
    const j = termOrder[c];
    const base = c * k;
    for (let t = 0; t < k; t++) out[base + t] = H[t * nTerms + j];
  }
}
