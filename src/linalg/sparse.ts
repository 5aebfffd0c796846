/**
 * Sparse kernels on CSR matrices. Every `...Into` kernel writes into a caller's buffer and
 * allocates nothing, so solvers allocate once per fit. Dense operands are row-major flat
 * Float64Arrays with `k` columns (k = number of topics or sketch width). Sums run in a fixed
 * order (row by row, stored entries in column order), so results are reproducible bit for bit.
 */
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
 * @returns the transpose and the source position of each of its stored values.
 */
export function transposeCsrWithPositions(X: CsrMatrix): CsrTranspose {
  const { nRows, nCols, indptr, indices, data } = X;
  const nnz = indptr[nRows];
  const tIndptr = new Int32Array(nCols + 1);
  for (let p = 0; p < nnz; p++) tIndptr[indices[p] + 1]++;
  for (let j = 0; j < nCols; j++) tIndptr[j + 1] += tIndptr[j];
  const next = tIndptr.slice(0, nCols);
  const tIndices = new Int32Array(nnz);
  const tData = new Float64Array(nnz);
  const positions = new Int32Array(nnz);
  for (let i = 0; i < nRows; i++) {
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const q = next[indices[p]]++;
      tIndices[q] = i;
      tData[q] = data[p];
      positions[q] = p;
    }
  }
  return {
    transposed: { nRows: nCols, nCols: nRows, indptr: tIndptr, indices: tIndices, data: tData },
    sourcePositions: positions,
  };
}

/** Transposes a CSR matrix (nRows x nCols -> nCols x nRows), rows sorted. See {@link transposeCsrWithPositions}. */
export function transposeCsr(X: CsrMatrix): CsrMatrix {
  return transposeCsrWithPositions(X).transposed;
}

/**
 * `out = A · B` with A sparse (m x n, CSR) and B dense (n x k, row-major); out is m x k.
 * With A = X and B = Hᵀ (terms x topics) this is X·Hᵀ; with A = Xᵀ (term-major copy) and
 * B = W it is Xᵀ·W. Cost: nnz(A)·k multiply-adds.
 */
export function csrTimesDenseInto(A: CsrMatrix, B: Float64Array, k: number, out: Float64Array): void {
  const { nRows, indptr, indices, data } = A;
  for (let i = 0; i < nRows; i++) {
    const base = i * k;
    const start = indptr[i];
    const end = indptr[i + 1];
    let t = 0;
    // Register blocking: 8 (then 4, then 1) output columns per pass over the row's entries.
    for (; t + 8 <= k; t += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let p = start; p < end; p++) {
        const v = data[p];
        const jb = indices[p] * k + t;
        a0 += v * B[jb]; a1 += v * B[jb + 1]; a2 += v * B[jb + 2]; a3 += v * B[jb + 3];
        a4 += v * B[jb + 4]; a5 += v * B[jb + 5]; a6 += v * B[jb + 6]; a7 += v * B[jb + 7];
      }
      const o = base + t;
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
      const o = base + t;
      out[o] = a0; out[o + 1] = a1; out[o + 2] = a2; out[o + 3] = a3;
    }
    for (; t < k; t++) {
      let a = 0;
      for (let p = start; p < end; p++) a += data[p] * B[indices[p] * k + t];
      out[base + t] = a;
    }
  }
}

/**
 * `out = Aᵀ · B` with A sparse (m x n, CSR) and B dense (m x k); out is n x k. Each row i of A
 * scatters `A[i, j]·B[i, :]` into `out[j, :]`, so B is read sequentially. With A = Xᵀ (the
 * term-major copy) and B = Hᵀ this is X·Hᵀ; every `out[j, t]` is summed over i in increasing
 * order, so the bits equal `csrTimesDenseInto(X, Hᵀ)`'s. Cost: nnz(A)·k multiply-adds.
 */
export function csrTransposeTimesDenseInto(A: CsrMatrix, B: Float64Array, k: number, out: Float64Array): void {
  const { nRows, nCols, indptr, indices, data } = A;
  out.fill(0, 0, nCols * k);
  for (let i = 0; i < nRows; i++) {
    const start = indptr[i];
    const end = indptr[i + 1];
    if (start === end) continue;
    const bb = i * k;
    let t = 0;
    for (; t + 8 <= k; t += 8) {
      const b0 = B[bb + t], b1 = B[bb + t + 1], b2 = B[bb + t + 2], b3 = B[bb + t + 3];
      const b4 = B[bb + t + 4], b5 = B[bb + t + 5], b6 = B[bb + t + 6], b7 = B[bb + t + 7];
      for (let p = start; p < end; p++) {
        const v = data[p];
        const o = indices[p] * k + t;
        out[o] += v * b0; out[o + 1] += v * b1; out[o + 2] += v * b2; out[o + 3] += v * b3;
        out[o + 4] += v * b4; out[o + 5] += v * b5; out[o + 6] += v * b6; out[o + 7] += v * b7;
      }
    }
    for (; t + 4 <= k; t += 4) {
      const b0 = B[bb + t], b1 = B[bb + t + 1], b2 = B[bb + t + 2], b3 = B[bb + t + 3];
      for (let p = start; p < end; p++) {
        const v = data[p];
        const o = indices[p] * k + t;
        out[o] += v * b0; out[o + 1] += v * b1; out[o + 2] += v * b2; out[o + 3] += v * b3;
      }
    }
    for (; t < k; t++) {
      const b = B[bb + t];
      for (let p = start; p < end; p++) out[indices[p] * k + t] += data[p] * b;
    }
  }
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
  const { nRows, indptr, indices } = X;
  for (let i = 0; i < nRows; i++) {
    const wb = i * k;
    for (let p = indptr[i], end = indptr[i + 1]; p < end; p++) {
      const hb = indices[p] * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += W[wb + t] * Ht[hb + t];
      out[p] = s;
    }
  }
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
