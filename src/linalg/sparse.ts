/**
 * Sparse kernels on CSR matrices. Every `...Into` kernel writes into a caller's buffer and
 * allocates nothing, so solvers allocate once per fit. Dense operands are row-major flat
 * Float64Arrays with `k` columns (k = number of topics or sketch width). Sums run in a fixed
 * order (row by row, stored entries in column order), so results are reproducible bit for bit.
 */
import { gramUpperInto, symmetrizeUpper } from "./dense.js";
import {
  partitionEvenly,
  partitionRows,
  serialExecutor,
  sumPartialsInto,
  type ParallelExecutor,
  type ParallelKernel,
} from "./executor.js";
import type { CsrMatrix } from "./types.js";

/** A CSR transpose plus, for each stored value of the transpose, its position in the source. */
export interface CsrTranspose {
  /** The transpose (nCols x nRows of the source), columns sorted within each row. */
  readonly transposed: CsrMatrix;
  /** `transposed.data[q] === source.data[sourcePositions[q]]` for every q. */
  readonly sourcePositions: Int32Array;
}

/**
 * Transposes a CSR matrix by a counting sort on the column index, O(nnz + nCols). With X
 * documents x terms this is the term-major copy used for every `Xᵀ · dense` product.
 *
 * @param memory allocates the transpose's arrays (default: ordinary memory; pass an executor to
 *   get arrays its threads can read).
 * @returns the transpose and the source position of each of its stored values.
 */
export function transposeCsrWithPositions(X: CsrMatrix, memory: ParallelExecutor = serialExecutor): CsrTranspose {
  const positions = new Int32Array(X.indptr[X.nRows]);
  return { transposed: transposeCsrInto(X, memory, positions), sourcePositions: positions };
}

/**
 * Transposes a CSR matrix (nRows x nCols -> nCols x nRows), rows sorted; arrays from `memory`
 * (default: ordinary memory). See {@link transposeCsrWithPositions}.
 */
export function transposeCsr(X: CsrMatrix, memory: ParallelExecutor = serialExecutor): CsrMatrix {
  return transposeCsrInto(X, memory, null);
}

/** The counting-sort transpose; writes each stored value's source position when `positions` is given. */
function transposeCsrInto(X: CsrMatrix, memory: ParallelExecutor, positions: Int32Array | null): CsrMatrix {
  const { nRows, nCols, indptr, indices, data } = X;
  const nnz = indptr[nRows];
  const tIndptr = memory.createInt32Array(nCols + 1);
  for (let p = 0; p < nnz; p++) tIndptr[indices[p] + 1]++;
  for (let j = 0; j < nCols; j++) tIndptr[j + 1] += tIndptr[j];
  const next = tIndptr.slice(0, nCols);
  const tIndices = memory.createInt32Array(nnz);
  const tData = memory.createFloat64Array(nnz);
  for (let i = 0; i < nRows; i++) {
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const q = next[indices[p]]++;
      tIndices[q] = i;
      tData[q] = data[p];
      if (positions !== null) positions[q] = p;
    }
  }
  return { nRows: nCols, nCols: nRows, indptr: tIndptr, indices: tIndices, data: tData };
}

/**
 * `out = A · B` with A sparse (m x n, CSR) and B dense (n x k, row-major); out is m x k.
 * With A = X and B = Hᵀ (terms x topics) this is X·Hᵀ; with A = Xᵀ (term-major copy) and
 * B = W it is Xᵀ·W. Cost: nnz(A)·k multiply-adds. Every output row is summed over the row's
 * stored entries in order, so any split of the rows (see {@link csrTimesDenseParallel}) gives
 * the same bits.
 */
export function csrTimesDenseInto(A: CsrMatrix, B: Float64Array, k: number, out: Float64Array): void {
  csrTimesDenseRowsInto(A, B, k, out, 0, A.nRows);
}

/** Rows `[rowStart, rowEnd)` of {@link csrTimesDenseInto}. */
export function csrTimesDenseRowsInto(
  A: CsrMatrix,
  B: Float64Array,
  k: number,
  out: Float64Array,
  rowStart: number,
  rowEnd: number,
): void {
  const { indptr, indices, data } = A;
  for (let i = rowStart; i < rowEnd; i++) csrRowTimesDenseInto(indptr, indices, data, i, B, k, out, i * k);
}

/**
 * `out[outBase + t] = sum_p data[p] · B[indices[p]·k + t]` over the stored entries p of row
 * `row` (in order), for t in [0, k): one row of A·B, gathered from the rows of B. Register
 * blocked: 8 (then 4, then the last 1-3) outputs per pass over the row's entries.
 */
export function csrRowTimesDenseInto(
  indptr: Int32Array,
  indices: Int32Array,
  data: Float64Array,
  row: number,
  B: Float64Array,
  k: number,
  out: Float64Array,
  outBase: number,
): void {
  const start = indptr[row];
  const end = indptr[row + 1];
  let t = 0;
  for (; t + 8 <= k; t += 8) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (let p = start; p < end; p++) {
      const v = data[p];
      const jb = indices[p] * k + t;
      a0 += v * B[jb]; a1 += v * B[jb + 1]; a2 += v * B[jb + 2]; a3 += v * B[jb + 3];
      a4 += v * B[jb + 4]; a5 += v * B[jb + 5]; a6 += v * B[jb + 6]; a7 += v * B[jb + 7];
    }
    const o = outBase + t;
    out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
    out[o + 4] = a4; out[o + 5] = a5; out[o + 6] = a6; out[o + 7] = a7;
  }
  for (; t + 4 <= k; t += 4) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let p = start; p < end; p++) {
      const v = data[p];
      const jb = indices[p] * k + t;
      a0 += v * B[jb]; a1 += v * B[jb + 1]; a2 += v * B[jb + 2]; a3 += v * B[jb + 3];
    }
    const o = outBase + t;
    out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
  }
  // The last 1-3 outputs in one pass (a sketch width of 15 or 30 ends in 3 or 2).
  const rest = k - t;
  if (rest === 3) {
    let a0 = 0, a1 = 0, a2 = 0;
    for (let p = start; p < end; p++) {
      const v = data[p];
      const jb = indices[p] * k + t;
      a0 += v * B[jb]; a1 += v * B[jb + 1]; a2 += v * B[jb + 2];
    }
    const o = outBase + t;
    out[o] = a0; out[o + 1] = a1; out[o + 2] = a2;
  } else if (rest === 2) {
    let a0 = 0, a1 = 0;
    for (let p = start; p < end; p++) {
      const v = data[p];
      const jb = indices[p] * k + t;
      a0 += v * B[jb]; a1 += v * B[jb + 1];
    }
    const o = outBase + t;
    out[o] = a0; out[o + 1] = a1;
  } else if (rest === 1) {
    let a0 = 0;
    for (let p = start; p < end; p++) a0 += data[p] * B[indices[p] * k + t];
    out[outBase + t] = a0;
  }
}

/** Task of {@link csrTimesDenseKernel}: `out = A · B` (A m x n CSR, B n x k, out m x k), rows cut by `bounds`. */
export interface CsrTimesDenseTask {
  A: CsrMatrix;
  B: Float64Array;
  k: number;
  out: Float64Array;
  bounds: Int32Array;
}

/** Chunk c computes rows `[bounds[c], bounds[c + 1])` of A·B. */
export const csrTimesDenseKernel: ParallelKernel<CsrTimesDenseTask> = {
  name: "linalg.csrTimesDense",
  run(task, c, native) {
    const { A, B, k, out, bounds } = task;
    if (native !== null) {
      native.csrTimesDenseRows(A.indptr.byteOffset, A.indices.byteOffset, A.data.byteOffset, B.byteOffset, k, out.byteOffset, bounds[c], bounds[c + 1]);
    } else {
      csrTimesDenseRowsInto(A, B, k, out, bounds[c], bounds[c + 1]);
    }
  },
};

/**
 * {@link csrTimesDenseInto} with the rows cut into chunks run by `executor` (same bits for any
 * cut and any thread count). A, B and out must be visible to the executor's threads.
 *
 * @param bounds chunk boundaries over A's rows (default `partitionRows(A.indptr, A.nRows, k)`).
 */
export function csrTimesDenseParallel(
  executor: ParallelExecutor,
  A: CsrMatrix,
  B: Float64Array,
  k: number,
  out: Float64Array,
  bounds: Int32Array = executor.share(partitionRows(A.indptr, A.nRows, k)),
): void {
  const nChunks = bounds.length - 1;
  executor.runChunks(csrTimesDenseKernel, { A, B, k, out, bounds }, nChunks, productWork(A, k));
}

/**
 * Work of A·B with B of k columns for the pool's `minWork`, in the units of the HALS sweep's
 * estimate (its multiply-adds): the WebAssembly gather, two columns per 128-bit instruction and
 * up to 20 in registers, measured about three times as fast per multiply-add.
 */
function productWork(A: CsrMatrix, k: number): number {
  return ((A.indptr[A.nRows] + A.nRows) * k) / 3;
}

/**
 * Task of {@link csrTimesDenseGramKernel}: `out = A · B` (A m x n CSR, B n x k, out m x k) and,
 * per chunk of rows (`bounds`), the upper triangle of the chunk's `outᵀ·out` in
 * `partials[c·k² ..]`, as {@link gramKernel} writes it.
 */
export interface CsrTimesDenseGramTask extends CsrTimesDenseTask {
  partials: Float64Array;
}

/**
 * Chunk c: rows `[bounds[c], bounds[c + 1])` of A·B, then their Gram partial, while the rows are
 * in cache: {@link csrTimesDenseKernel} and {@link gramKernel} on the same chunk, one round.
 */
export const csrTimesDenseGramKernel: ParallelKernel<CsrTimesDenseGramTask> = {
  name: "linalg.csrTimesDenseGram",
  run(task, c, native) {
    const { A, B, k, out, bounds, partials } = task;
    const r0 = bounds[c];
    const r1 = bounds[c + 1];
    const base = c * k * k;
    partials.fill(0, base, base + k * k);
    if (native !== null) {
      native.csrTimesDenseRows(A.indptr.byteOffset, A.indices.byteOffset, A.data.byteOffset, B.byteOffset, k, out.byteOffset, r0, r1);
      native.gramUpperRows(out.byteOffset, k, r0, r1, partials.byteOffset + base * 8);
    } else {
      csrTimesDenseRowsInto(A, B, k, out, r0, r1);
      gramUpperInto(out, k, r0, r1, partials, base);
    }
  },
};

/**
 * `out = A · B` (A m x n CSR, B n x k) and `gram = outᵀ·out` (k x k, symmetric) in one round: the
 * same bits as {@link csrTimesDenseParallel} then `gramParallelInto(executor, out, m, k, gram)`
 * (both split the rows into `partitionEvenly(m)`; the Gram partials are added in chunk order).
 * A, B and out must be visible to the executor's threads.
 */
export function csrTimesDenseGramParallel(
  executor: ParallelExecutor,
  A: CsrMatrix,
  B: Float64Array,
  k: number,
  out: Float64Array,
  gram: Float64Array,
): void {
  const bounds = executor.share(partitionEvenly(A.nRows));
  const nChunks = bounds.length - 1;
  const partials = executor.createFloat64Array(nChunks * k * k);
  const work = productWork(A, k) + (A.nRows * k * (k + 1)) / 6;
  executor.runChunks(csrTimesDenseGramKernel, { A, B, k, out, bounds, partials }, nChunks, work);
  sumPartialsInto(partials, nChunks, k * k, 0, k * k, gram);
  symmetrizeUpper(gram, 0, k);
}

/**
 * `out = X · Hᵀ` with X sparse (nDocs x nTerms) and H dense topics x terms (k x nTerms,
 * row-major, as returned by the fit); out is nDocs x k. Reads H with stride nTerms, so the
 * solvers use {@link csrTimesDenseInto} on a transposed H instead; this serves one-off products.
 */
export function csrTimesDenseTransposeInto(X: CsrMatrix, H: Float64Array, k: number, out: Float64Array): void {
  const { nRows, nCols, indptr, indices, data } = X;
  for (let i = 0; i < nRows; i++) {
    const start = indptr[i];
    const end = indptr[i + 1];
    for (let t = 0; t < k; t++) {
      const hb = t * nCols;
      let s = 0;
      for (let p = start; p < end; p++) s += data[p] * H[hb + indices[p]];
      out[i * k + t] = s;
    }
  }
}

/**
 * `out = Wᵀ · X` (k x nTerms, row-major) with W dense nDocs x k and X given by its term-major
 * copy `Xt = transposeCsr(X)` (nTerms x nDocs), so that the product is again a loop over rows
 * of a CSR matrix: `out[t, j] = sum_{d in Xt row j} Xt[j, d] · W[d, t]`.
 *
 * @param acc scratch of length >= k (allocated by the caller, reused).
 */
export function denseTransposeTimesCsrInto(
  W: Float64Array,
  Xt: CsrMatrix,
  k: number,
  out: Float64Array,
  acc: Float64Array = new Float64Array(k),
): void {
  const { nRows: nTerms, indptr, indices, data } = Xt;
  for (let j = 0; j < nTerms; j++) {
    for (let t = 0; t < k; t++) acc[t] = 0;
    for (let p = indptr[j], end = indptr[j + 1]; p < end; p++) {
      const v = data[p];
      const db = indices[p] * k;
      for (let t = 0; t < k; t++) acc[t] += v * W[db + t];
    }
    for (let t = 0; t < k; t++) out[t * nTerms + j] = acc[t];
  }
}

/**
 * Values of W·H at the stored entries of X: `out[p] = sum_t W[i, t] · Ht[j, t]` for the p-th
 * stored entry (i, j) of X, where Ht is H transposed (nTerms x k, row-major). Cost nnz·k.
 */
export function productAtNonzerosInto(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  out: Float64Array,
): void {
  productAtNonzerosRowsInto(X, W, Ht, k, out, 0, X.nRows);
}

/** Rows `[rowStart, rowEnd)` of {@link productAtNonzerosInto}. */
export function productAtNonzerosRowsInto(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  out: Float64Array,
  rowStart: number,
  rowEnd: number,
): void {
  const { indptr, indices } = X;
  for (let i = rowStart; i < rowEnd; i++) {
    const wb = i * k;
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const hb = indices[p] * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += W[wb + t] * Ht[hb + t];
      out[p] = s;
    }
  }
}

/** Task of {@link productAtNonzerosKernel}; see {@link productAtNonzerosInto}. */
export interface ProductAtNonzerosTask {
  X: CsrMatrix;
  W: Float64Array;
  Ht: Float64Array;
  k: number;
  out: Float64Array;
  bounds: Int32Array;
}

/** Chunk c computes the entries of rows `[bounds[c], bounds[c + 1])`. */
export const productAtNonzerosKernel: ParallelKernel<ProductAtNonzerosTask> = {
  name: "linalg.productAtNonzeros",
  run: (task, c) => productAtNonzerosRowsInto(task.X, task.W, task.Ht, task.k, task.out, task.bounds[c], task.bounds[c + 1]),
};

/**
 * {@link productAtNonzerosInto} with X's rows cut into chunks run by `executor` (same bits
 * for any cut). Arrays must be visible to the executor's threads.
 */
export function productAtNonzerosParallel(
  executor: ParallelExecutor,
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  out: Float64Array,
  bounds: Int32Array = executor.share(partitionRows(X.indptr, X.nRows, 1)),
): void {
  executor.runChunks(productAtNonzerosKernel, { X, W, Ht, k, out, bounds }, bounds.length - 1, X.indptr[X.nRows] * k);
}

/** Sum of the squares of the stored values, ||X||_F². */
export function sumSquares(X: CsrMatrix): number {
  const { data } = X;
  const nnz = X.indptr[X.nRows];
  let s = 0;
  for (let p = 0; p < nnz; p++) s += data[p] * data[p];
  return s;
}

/** Sum of the stored values. */
export function sumValues(X: CsrMatrix): number {
  const { data } = X;
  const nnz = X.indptr[X.nRows];
  let s = 0;
  for (let p = 0; p < nnz; p++) s += data[p];
  return s;
}
