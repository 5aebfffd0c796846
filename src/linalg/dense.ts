/**
 * Small dense kernels on row-major flat Float64Arrays (n x k with k small: topics or sketch width).
 */
import { partitionEvenly, sumPartialsInto, type ParallelExecutor, type ParallelKernel } from "./executor.js";

/**
 * `out = Aᵀ · A` (k x k, symmetric) for A dense n x k row-major: with A = W this is WᵀW, with
 * A = Hᵀ (terms x topics) it is H·Hᵀ. Sums run over rows in order; the zero entries of each row
 * are skipped (which changes no bit of the result), so the cost is sum over rows of
 * nz(nz+1)/2 multiply-adds, nz = non-zeros of the row (k(k+1)/2 for a dense row).
 */
export function gramInto(A: Float64Array, n: number, k: number, out: Float64Array, scratch?: GramScratch): void {
  out.fill(0, 0, k * k);
  accumulateGramUpper(A, k, 0, n, out, 0, scratch ?? { idx: new Int32Array(k), val: new Float64Array(k) });
  symmetrizeUpper(out, 0, k);
}

/**
 * Adds the upper triangle (s >= t) of `sum_i A[i,:]ᵀ·A[i,:]` over rows `[rowStart, rowEnd)` of A
 * (n x k) to `out[outBase + t·k + s]`, rows in order, zeros of each row skipped.
 */
export function accumulateGramUpper(
  A: Float64Array,
  k: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
  outBase: number,
  scratch: GramScratch,
): void {
  const { idx, val } = scratch;
  for (let i = rowStart; i < rowEnd; i++) {
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
        const row = outBase + t * k;
        for (let s = t; s < k; s++) out[row + s] += a * A[base + s];
      }
    } else {
      for (let c = 0; c < count; c++) {
        const a = val[c];
        const row = outBase + idx[c] * k;
        for (let d = c; d < count; d++) out[row + idx[d]] += a * val[d];
      }
    }
  }
}

/**
 * `out[outBase + t·k + s] = sum_i A[i, t]·A[i, s]` for s >= t over rows `[rowStart, rowEnd)` of A
 * (n x k), rows in order: the same sums as {@link accumulateGramUpper} into a zeroed block (a
 * skipped zero adds an exact zero), but each output accumulates in a register over the rows,
 * 8 (then 4, then 1) outputs at a time: faster on dense rows when the rows fit in cache (as one
 * chunk's rows do; it reads the rows once per block of outputs).
 */
export function gramUpperInto(
  A: Float64Array,
  k: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
  outBase: number,
): void {
  for (let t = 0; t < k; t++) {
    const orow = outBase + t * k;
    let s = t;
    for (; s + 8 <= k; s += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let i = rowStart; i < rowEnd; i++) {
        const base = i * k;
        const a = A[base + t];
        const b = base + s;
        a0 += a * A[b]; a1 += a * A[b + 1]; a2 += a * A[b + 2]; a3 += a * A[b + 3];
        a4 += a * A[b + 4]; a5 += a * A[b + 5]; a6 += a * A[b + 6]; a7 += a * A[b + 7];
      }
      out[orow + s] = a0; out[orow + s + 1] = a1; out[orow + s + 2] = a2; out[orow + s + 3] = a3;
      out[orow + s + 4] = a4; out[orow + s + 5] = a5; out[orow + s + 6] = a6; out[orow + s + 7] = a7;
    }
    for (; s + 4 <= k; s += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let i = rowStart; i < rowEnd; i++) {
        const base = i * k;
        const a = A[base + t];
        const b = base + s;
        a0 += a * A[b]; a1 += a * A[b + 1]; a2 += a * A[b + 2]; a3 += a * A[b + 3];
      }
      out[orow + s] = a0; out[orow + s + 1] = a1; out[orow + s + 2] = a2; out[orow + s + 3] = a3;
    }
    for (; s < k; s++) {
      let a0 = 0;
      for (let i = rowStart; i < rowEnd; i++) a0 += A[i * k + t] * A[i * k + s];
      out[orow + s] = a0;
    }
  }
}

/** Copies the upper triangle of the k x k matrix at `M[base ..]` onto its lower triangle. */
export function symmetrizeUpper(M: Float64Array, base: number, k: number): void {
  for (let t = 0; t < k; t++) for (let s = 0; s < t; s++) M[base + t * k + s] = M[base + s * k + t];
}

/** Scratch buffers of {@link gramInto} (length >= k each), to allocate once per fit. */
export interface GramScratch {
  idx: Int32Array;
  val: Float64Array;
}

/**
 * Scratch of the chunk kernels below for up to SCRATCH_COLUMNS columns, one set per thread
 * (module state is per thread). Constant arrays, never reassigned: V8 compiles hot loops over
 * arrays held in constants faster than over arrays held in reassigned variables.
 */
const SCRATCH_COLUMNS = 1024;
const ROW_SCRATCH = new Float64Array(SCRATCH_COLUMNS);

/** Task of {@link gramKernel}: chunk c writes the upper triangle of its rows' AᵀA to `partials[c·k² ..]`. */
export interface GramTask {
  A: Float64Array;
  k: number;
  bounds: Int32Array;
  partials: Float64Array;
}

/** Chunk c: upper triangle of AᵀA over rows `[bounds[c], bounds[c + 1])`, into its own slot. */
export const gramKernel: ParallelKernel<GramTask> = {
  name: "linalg.gram",
  run(task, c, native) {
    const { A, k, bounds, partials } = task;
    const base = c * k * k;
    partials.fill(0, base, base + k * k);
    if (native !== null) native.gramUpperRows(A.byteOffset, k, bounds[c], bounds[c + 1], partials.byteOffset + base * 8);
    else gramUpperInto(A, k, bounds[c], bounds[c + 1], partials, base);
  },
};

/**
 * `out = Aᵀ·A` (k x k) for A n x k, rows cut into fixed chunks (`bounds`, default
 * `partitionEvenly(n)`) whose partial sums are added in chunk order: the bits depend on the
 * chunks, never on the thread count. A must be visible to the executor's threads.
 */
export function gramParallelInto(
  executor: ParallelExecutor,
  A: Float64Array,
  n: number,
  k: number,
  out: Float64Array,
  bounds: Int32Array = executor.share(partitionEvenly(n)),
): void {
  const nChunks = bounds.length - 1;
  const partials = executor.createFloat64Array(nChunks * k * k);
  executor.runChunks(gramKernel, { A, k, bounds, partials }, nChunks, (n * k * (k + 1)) / 2);
  sumPartialsInto(partials, nChunks, k * k, 0, k * k, out);
  symmetrizeUpper(out, 0, k);
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

/**
 * Rows `[rowStart, rowEnd)` of `out = A · B` restricted to B's first `outCols` columns, with A
 * n x aCols and B aCols x bCols (row-major); out is n x outCols and may be A itself (in place,
 * when outCols = aCols: each row is built in `row`, a scratch of length >= outCols). With
 * `upperB` B is upper triangular and its zeros below the diagonal are skipped. Each output is
 * summed over p in order, so any split of the rows gives the same bits.
 */
export function multiplyBySmallRowsInto(
  A: Float64Array,
  aCols: number,
  B: Float64Array,
  bCols: number,
  upperB: boolean,
  out: Float64Array,
  outCols: number,
  rowStart: number,
  rowEnd: number,
  row: Float64Array,
): void {
  for (let i = rowStart; i < rowEnd; i++) {
    const base = i * aCols;
    // Register blocked over outputs: 8 (then 4, then 1) columns per pass over the row of A, each
    // summed over p in order; with an upper triangular B, rows p > j of B are zero for column j.
    let j = 0;
    for (; j + 8 <= outCols; j += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      const pEnd = upperB ? Math.min(aCols, j + 8) : aCols;
      for (let p = 0; p < pEnd; p++) {
        const a = A[base + p];
        const bb = p * bCols + j;
        a0 += a * B[bb]; a1 += a * B[bb + 1]; a2 += a * B[bb + 2]; a3 += a * B[bb + 3];
        a4 += a * B[bb + 4]; a5 += a * B[bb + 5]; a6 += a * B[bb + 6]; a7 += a * B[bb + 7];
      }
      row[j] = a0; row[j + 1] = a1; row[j + 2] = a2; row[j + 3] = a3;
      row[j + 4] = a4; row[j + 5] = a5; row[j + 6] = a6; row[j + 7] = a7;
    }
    for (; j + 4 <= outCols; j += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      const pEnd = upperB ? Math.min(aCols, j + 4) : aCols;
      for (let p = 0; p < pEnd; p++) {
        const a = A[base + p];
        const bb = p * bCols + j;
        a0 += a * B[bb]; a1 += a * B[bb + 1]; a2 += a * B[bb + 2]; a3 += a * B[bb + 3];
      }
      row[j] = a0; row[j + 1] = a1; row[j + 2] = a2; row[j + 3] = a3;
    }
    for (; j < outCols; j++) {
      let a0 = 0;
      const pEnd = upperB ? Math.min(aCols, j + 1) : aCols;
      for (let p = 0; p < pEnd; p++) a0 += A[base + p] * B[p * bCols + j];
      row[j] = a0;
    }
    const ob = i * outCols;
    for (let t = 0; t < outCols; t++) out[ob + t] = row[t];
  }
}

/** Task of {@link multiplyBySmallKernel}; see {@link multiplyBySmallRowsInto}. */
export interface MultiplyBySmallTask {
  A: Float64Array;
  aCols: number;
  B: Float64Array;
  bCols: number;
  upperB: boolean;
  out: Float64Array;
  outCols: number;
  bounds: Int32Array;
}

/** Chunk c computes rows `[bounds[c], bounds[c + 1])` of A·B (first outCols columns). */
export const multiplyBySmallKernel: ParallelKernel<MultiplyBySmallTask> = {
  name: "linalg.multiplyBySmall",
  run(task, c, native) {
    const { A, aCols, B, bCols, upperB, out, outCols, bounds } = task;
    if (native !== null && outCols * 8 <= native.scratchBytes) {
      native.multiplyBySmallRows(A.byteOffset, aCols, B.byteOffset, bCols, upperB ? 1 : 0, out.byteOffset, outCols, bounds[c], bounds[c + 1], native.scratch);
      return;
    }
    const row = outCols <= SCRATCH_COLUMNS ? ROW_SCRATCH : new Float64Array(outCols);
    multiplyBySmallRowsInto(A, aCols, B, bCols, upperB, out, outCols, bounds[c], bounds[c + 1], row);
  },
};

/**
 * `out = A · B[:, 0:outCols]` for A n x aCols and B aCols x bCols (out may be A: in place when
 * outCols = aCols), rows cut into chunks run by `executor`. Same bits for any executor. A, B and
 * out must be visible to the executor's threads.
 */
export function multiplyBySmallParallel(
  executor: ParallelExecutor,
  A: Float64Array,
  n: number,
  aCols: number,
  B: Float64Array,
  bCols: number,
  upperB: boolean,
  out: Float64Array,
  outCols: number,
): void {
  const bounds = executor.share(partitionEvenly(n));
  executor.runChunks(
    multiplyBySmallKernel,
    { A, aCols, B, bCols, upperB, out, outCols, bounds },
    bounds.length - 1,
    n * aCols * outCols,
  );
}
