/**
 * Small dense kernels on row-major flat Float64Arrays (n x k with k small: topics or sketch width).
 */

/**
 * `out = Aᵀ · A` (k x k, symmetric) for A dense n x k row-major: with A = W this is WᵀW, with
 * A = Hᵀ (terms x topics) it is H·Hᵀ. Sums run over rows in order; the zero entries of each row
 * are skipped (which changes no bit of the result), so the cost is sum over rows of
 * nz(nz+1)/2 multiply-adds, nz = non-zeros of the row (k(k+1)/2 for a dense row).
 */
export function gramInto(A: Float64Array, n: number, k: number, out: Float64Array, scratch?: GramScratch): void {
  const idx = scratch?.idx ?? new Int32Array(k);
  const val = scratch?.val ?? new Float64Array(k);
  out.fill(0, 0, k * k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let count = 0;
    for (let t = 0; t < k; t++) {
      const a = A[base + t];
      if (a !== 0) {
        idx[count] = t;
        val[count++] = a;
      }
    }
    if (2 * count > k) {
      // Mostly dense row: contiguous inner loop over the row itself.
      for (let c = 0; c < count; c++) {
        const t = idx[c];
        const a = val[c];
        const row = t * k;
        for (let s = t; s < k; s++) out[row + s] += a * A[base + s];
      }
    } else {
      for (let c = 0; c < count; c++) {
        const a = val[c];
        const row = idx[c] * k;
        for (let d = c; d < count; d++) out[row + idx[d]] += a * val[d];
      }
    }
  }
  for (let t = 0; t < k; t++) {
    for (let s = 0; s < t; s++) out[t * k + s] = out[s * k + t];
  }
}

/** Scratch buffers of {@link gramInto} (length >= k each), to allocate once per fit. */
export interface GramScratch {
  idx: Int32Array;
  val: Float64Array;
}

/** `out = Aᵀ` for A dense nRows x nCols row-major; out is nCols x nRows. */
export function transposeDenseInto(A: Float64Array, nRows: number, nCols: number, out: Float64Array): void {
  for (let i = 0; i < nRows; i++) {
    const base = i * nCols;
    for (let j = 0; j < nCols; j++) out[j * nRows + i] = A[base + j];
  }
}

/** Returns `Aᵀ` as a new array (A dense nRows x nCols row-major). */
export function transposeDense(A: Float64Array, nRows: number, nCols: number): Float64Array {
  const out = new Float64Array(nRows * nCols);
  transposeDenseInto(A, nRows, nCols, out);
  return out;
}

/** `out[t] = sum_i A[i, t]`, the column sums of A (n x k row-major); out has length k. */
export function columnSumsInto(A: Float64Array, n: number, k: number, out: Float64Array): void {
  out.fill(0, 0, k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) out[t] += A[base + t];
  }
}

/** Index of the first entry of `values` that is NaN or infinite, or -1. */
export function findNonFinite(values: Float64Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) return i; // NaN - NaN and Inf - Inf are NaN
  }
  return -1;
}
