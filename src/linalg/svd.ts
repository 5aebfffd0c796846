/**
 * Truncated SVD of a sparse matrix by a seeded randomized range finder (Halko, Martinsson &
 * Tropp 2011, algorithms 4.3/4.4 and 5.1), with scikit-learn's `randomized_svd` defaults, and the
 * small dense factorizations it needs. The only importer of ml-matrix: it serves the SVD of a
 * sketch-sized square matrix (or its WebAssembly port, assembly/svd.ts, with the same bits) and
 * the Householder QR fallback, never a hot loop.
 */
import { Matrix, QrDecomposition, SingularValueDecomposition } from "ml-matrix";
import { gramParallelInto, multiplyBySmallParallel } from "./dense.js";
import { partitionRows, serialExecutor, type ParallelExecutor, type ParallelKernel } from "./executor.js";
import type { Rng } from "./random.js";
import { csrTimesDenseGramParallel, csrTimesDenseParallel } from "./sparse.js";
import type { CsrMatrix } from "./types.js";

/** Result of {@link orthonormalizeColumns}: `A = Q · R`. */
export interface ThinQr {
  /** m x n row-major, orthonormal columns. */
  readonly Q: Float64Array;
  /** n x n row-major, upper triangular. */
  readonly R: Float64Array;
}

/**
 * Cholesky factor of a symmetric positive definite n x n matrix G: returns upper triangular R
 * with `G = Rᵀ R`, or null when a pivot is not above `relTol · max_i G[i, i]` (G numerically
 * singular: the QR then falls back to Householder).
 */
function factorCholeskyUpper(G: Float64Array, n: number, relTol: number): Float64Array | null {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, G[i * n + i]);
  if (!(maxDiag > 0)) return null;
  const R = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = G[j * n + j];
    for (let p = 0; p < j; p++) d -= R[p * n + j] * R[p * n + j];
    if (!(d > relTol * maxDiag)) return null;
    const rjj = Math.sqrt(d);
    R[j * n + j] = rjj;
    for (let c = j + 1; c < n; c++) {
      let s = G[j * n + c];
      for (let p = 0; p < j; p++) s -= R[p * n + j] * R[p * n + c];
      R[j * n + c] = s / rjj;
    }
  }
  return R;
}

/** Inverse of an upper triangular n x n matrix (row-major), by back substitution. */
function invertUpper(R: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = n - 1; j >= 0; j--) {
    inv[j * n + j] = 1 / R[j * n + j];
    for (let c = j + 1; c < n; c++) {
      let s = 0;
      for (let p = j + 1; p <= c; p++) s += R[j * n + p] * inv[p * n + c];
      inv[j * n + c] = -s / R[j * n + j];
    }
  }
  return inv;
}

/** `C = A · B` for n x n row-major matrices. */
function multiplySquare(A: Float64Array, B: Float64Array, n: number): Float64Array {
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < n; p++) {
      const a = A[i * n + p];
      if (a === 0) continue;
      for (let j = 0; j < n; j++) C[i * n + j] += a * B[p * n + j];
    }
  }
  return C;
}

function copyToMlMatrix(A: Float64Array, m: number, n: number): Matrix {
  const M = new Matrix(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) M.set(i, j, A[i * n + j]);
  return M;
}

function copyFromMlMatrix(M: Matrix, m: number, n: number): Float64Array {
  const A = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) A[i * n + j] = M.get(i, j);
  return A;
}

/** Task of {@link svdSquareKernel}: the SVD of `a` (n x n, overwritten) into U, s, V; e and work scratch of n. */
export interface SvdSquareTask {
  a: Float64Array;
  n: number;
  U: Float64Array;
  s: Float64Array;
  V: Float64Array;
  e: Float64Array;
  work: Float64Array;
}

/**
 * Chunk 0 (the only one): ml-matrix's SingularValueDecomposition of the task's matrix, or its
 * WebAssembly port (assembly/svd.ts svdTall, the same bits) when the executor passes its kernels.
 */
export const svdSquareKernel: ParallelKernel<SvdSquareTask> = {
  name: "linalg.svdSquare",
  run(task, _chunk, native) {
    const { a, n, U, s, V } = task;
    if (native !== null) {
      native.svdTall(a.byteOffset, n, n, s.byteOffset, U.byteOffset, V.byteOffset, task.e.byteOffset, task.work.byteOffset);
      return;
    }
    const svd = new SingularValueDecomposition(copyToMlMatrix(a, n, n));
    U.set(copyFromMlMatrix(svd.leftSingularVectors, n, n));
    V.set(copyFromMlMatrix(svd.rightSingularVectors, n, n));
    s.set(svd.diagonal);
  },
};

/**
 * Full SVD `A = U · diag(s) · Vᵀ` of a square n x n matrix (row-major): ml-matrix's
 * SingularValueDecomposition (s non-increasing), run by `executor` (as WebAssembly when it has
 * it, with the same bits). U, s and V are visible to the executor's threads; A is not modified.
 */
export function svdSquare(
  A: Float64Array,
  n: number,
  executor: ParallelExecutor = serialExecutor,
): { U: Float64Array; s: Float64Array; V: Float64Array } {
  const a = executor.createFloat64Array(n * n);
  a.set(A.subarray(0, n * n));
  const task: SvdSquareTask = {
    a,
    n,
    U: executor.createFloat64Array(n * n),
    s: executor.createFloat64Array(n),
    V: executor.createFloat64Array(n * n),
    e: executor.createFloat64Array(n),
    work: executor.createFloat64Array(n),
  };
  executor.runChunks(svdSquareKernel, task, 1, 0);
  return { U: task.U, s: task.s, V: task.V };
}

/** Options of {@link orthonormalizeColumns}. */
export interface OrthonormalizeOptions {
  /** With one pass: Q written over A (the same values), unless Householder is needed. */
  inPlace?: boolean;
  /** AᵀA as `gramParallelInto(executor, A, m, n, ·)` gives it, when the caller has it already. */
  gram?: Float64Array;
}

/**
 * Thin QR of a tall matrix A (m x n, m >= n, row-major): Q (m x n) with orthonormal columns and
 * R (n x n) upper triangular, `A = Q R`. Uses CholeskyQR2 (Yamamoto et al. 2015: two passes of
 * `R = chol(AᵀA)`, `Q = A R⁻¹`, cost ~2mn² flops in cache-friendly row loops), which is accurate
 * to machine precision for cond(A) < ~1e7; when the Gram matrix is numerically singular it falls
 * back to Householder QR (ml-matrix), which also returns orthonormal columns for rank-deficient A.
 * With `passes = 1` (plain CholeskyQR, half the cost) the columns are orthonormal up to
 * ~eps·cond(A)²: enough to keep a power iteration well scaled. The m-long loops run as fixed
 * chunks on `executor` (same bits for any executor; Q is visible to its threads, and so must A be).
 */
export function orthonormalizeColumns(
  A: Float64Array,
  m: number,
  n: number,
  passes: 1 | 2 = 2,
  executor: ParallelExecutor = serialExecutor,
  options: OrthonormalizeOptions = {},
): ThinQr {
  if (m < n) throw new RangeError(`orthonormalizeColumns needs m >= n, got ${m} x ${n}`);
  const relTol = 1e-13;
  const G = new Float64Array(n * n);
  if (options.gram !== undefined) G.set(options.gram.subarray(0, n * n));
  else gramParallelInto(executor, A, m, n, G);
  const R1 = factorCholeskyUpper(G, n, relTol);
  if (R1 !== null) {
    // In place only with one pass: after a first pass over A, the Householder fallback of the
    // second would need A again.
    const Q = options.inPlace && passes === 1 ? A : executor.createFloat64Array(m * n);
    multiplyBySmallParallel(executor, A, m, n, executor.share(invertUpper(R1, n)), n, true, Q, n);
    if (passes === 1) return { Q, R: R1 };
    gramParallelInto(executor, Q, m, n, G);
    const R2 = factorCholeskyUpper(G, n, relTol);
    if (R2 !== null) {
      multiplyBySmallParallel(executor, Q, m, n, executor.share(invertUpper(R2, n)), n, true, Q, n);
      return { Q, R: multiplySquare(R2, R1, n) };
    }
  }
  const qr = new QrDecomposition(copyToMlMatrix(A, m, n));
  return {
    Q: executor.share(copyFromMlMatrix(qr.orthogonalMatrix, m, n)),
    R: copyFromMlMatrix(qr.upperTriangularMatrix, n, n),
  };
}

/** Rank-k truncated SVD `X ≈ U · diag(s) · Vt`. */
export interface TruncatedSvd {
  /** nRows x k row-major; columns are the left singular vectors. */
  readonly U: Float64Array;
  /** k singular values, non-increasing. */
  readonly s: Float64Array;
  /** k x nCols row-major; rows are the right singular vectors. */
  readonly Vt: Float64Array;
  readonly k: number;
}

/** {@link TruncatedSvd} with the right singular vectors as columns: `X ≈ U · diag(s) · Vᵀ`. */
export interface TruncatedSvdColumns {
  /** nRows x k row-major; columns are the left singular vectors. */
  readonly U: Float64Array;
  /** k singular values, non-increasing. */
  readonly s: Float64Array;
  /** nCols x k row-major; columns are the right singular vectors. */
  readonly V: Float64Array;
  readonly k: number;
}

/** Options of {@link randomizedSvd}; defaults are scikit-learn's `randomized_svd`. */
export interface RandomizedSvdOptions {
  /** Extra sketch columns, default 10 (sketch width `min(k + nOversamples, min(shape))`). */
  nOversamples?: number;
  /** Power iterations; default 7 when `k < 0.1 · min(shape)`, else 4. */
  nIter?: number;
  /**
   * Runs the products and the tall-matrix loops as fixed chunks (default: serially); X, Xt must
   * be visible to its threads. The result is the same bit for bit with any executor.
   */
  executor?: ParallelExecutor;
  /**
   * When X's columns are a renumbering of the caller's (column c is the caller's column
   * `columnOrder[c]`): the random draws that belong to columns (when nCols <= nRows) go to the
   * same columns as without the renumbering, so the result is the renumbered SVD of the
   * caller's matrix (up to rounding). Vt stays in X's column order.
   */
  columnOrder?: Int32Array;
}

/**
 * Leading k singular triplets of a sparse X (nRows x nCols) by a randomized range finder:
 * with M the orientation of X that has more rows (Xᵀ when nRows < nCols, as scikit-learn
 * transposes), draw Ω (min(shape) x w) standard normal from `rng` (row-major order), run
 * `nIter` power iterations `Ω <- orth(Mᵀ M Ω)` (thin QR on the small side), then `Q = orth(M Ω)`,
 * `B = Qᵀ M` and the exact SVD of the small B (through a thin QR of Bᵀ and ml-matrix's SVD of
 * its w x w factor). Q spans `M (MᵀM)^nIter Ω`, the same subspace as scikit-learn's, which
 * normalises after every product with LU instead.
 * Only sparse-times-dense products touch X (cost ~2·nnz·w per power iteration); X is never
 * densified. Signs follow scikit-learn's `svd_flip` decision on the left singular vectors of X:
 * the entry of largest magnitude (first on ties) of each column of U is positive.
 *
 * @param X the matrix; `Xt` its transpose (`transposeCsr(X)`), both CSR.
 * @param k number of triplets, 1 <= k <= min(nRows, nCols).
 */
export function randomizedSvd(
  X: CsrMatrix,
  Xt: CsrMatrix,
  k: number,
  rng: Rng,
  options: RandomizedSvdOptions = {},
): TruncatedSvd {
  const { U, s, V } = randomizedSvdColumns(X, Xt, k, rng, options);
  const nCols = X.nCols;
  const Vt = new Float64Array(k * nCols);
  for (let i = 0; i < nCols; i++) for (let j = 0; j < k; j++) Vt[j * nCols + i] = V[i * k + j];
  return { U, s, Vt, k };
}

/**
 * {@link randomizedSvd} with V (nCols x k) in place of Vᵀ: the NNDSVD init reads it row by row
 * as the solvers' Hᵀ is laid out, so the transposition is skipped. U and V are visible to the
 * executor's threads.
 */
export function randomizedSvdColumns(
  X: CsrMatrix,
  Xt: CsrMatrix,
  k: number,
  rng: Rng,
  options: RandomizedSvdOptions = {},
): TruncatedSvdColumns {
  const nRows = X.nRows;
  const nCols = X.nCols;
  const minDim = Math.min(nRows, nCols);
  if (!Number.isInteger(k) || k < 1 || k > minDim) {
    throw new RangeError(`randomizedSvd needs 1 <= k <= min(shape) = ${minDim}, got ${k}`);
  }
  const nOversamples = options.nOversamples ?? 10;
  const nIter = options.nIter ?? (k < 0.1 * minDim ? 7 : 4);
  const executor = options.executor ?? serialExecutor;
  const transpose = nRows < nCols;
  const M = transpose ? Xt : X; // nBig x nSmall
  const Mt = transpose ? X : Xt; // nSmall x nBig
  const nBig = M.nRows;
  const nSmall = M.nCols;
  const w = Math.min(k + nOversamples, nSmall);
  const mBounds = executor.share(partitionRows(M.indptr, nBig, w));
  const mtBounds = executor.share(partitionRows(Mt.indptr, nSmall, w));

  let Qs: Float64Array = executor.createFloat64Array(nSmall * w);
  rng.fillNormal(Qs, executor);
  const columnOrder = options.columnOrder;
  if (!transpose && columnOrder !== undefined) {
    // The small side is X's columns: row c of Ω is the draw of the caller's column columnOrder[c].
    const drawn = Qs.slice();
    for (let c = 0; c < nSmall; c++) Qs.set(drawn.subarray(columnOrder[c] * w, columnOrder[c] * w + w), c * w);
  }
  const Y = executor.createFloat64Array(nBig * w);
  const Z = executor.createFloat64Array(nSmall * w);
  // Subspace iteration on MᵀM, orthonormalised on the small side after each power iteration.
  // M·Q and Mᵀ·Y both gather rows (of M and of its transpose), so both split into row chunks;
  // Mᵀ·Y by rows of Mᵀ has the same bits as scattering the rows of M.
  // ZᵀZ comes with Mᵀ·Y, from the same chunks (one round fewer per iteration). Z is overwritten
  // by the next Mᵀ·Y only after M·Qs has read it: Qs may be Z itself (fresh memory each
  // iteration would cost its page faults).
  const gram = new Float64Array(w * w);
  for (let it = 0; it < nIter; it++) {
    csrTimesDenseParallel(executor, M, Qs, w, Y, mBounds);
    csrTimesDenseGramParallel(executor, Mt, Y, w, Z, gram);
    Qs = orthonormalizeColumns(Z, nSmall, w, 1, executor, { inPlace: true, gram }).Q;
  }
  csrTimesDenseParallel(executor, M, Qs, w, Y, mBounds);
  // Q = orth(Y) = Y·R⁻¹ with R from the Cholesky factor of YᵀY; Q is never formed when Y is
  // well conditioned (pivots above 1e-8 of the largest: cond(Y) below ~1e4, so Q is orthonormal
  // to ~1e-8 or better). Otherwise Q = CholeskyQR2/Householder of Y.
  const G = new Float64Array(w * w);
  gramParallelInto(executor, Y, nBig, w, G);
  const RY = factorCholeskyUpper(G, w, 1e-8);
  let bigBasis: Float64Array; // nBig x w, Q = bigBasis · bigToQ
  let bigToQ: Float64Array | null;
  if (RY !== null) {
    bigBasis = Y;
    bigToQ = executor.share(invertUpper(RY, w));
  } else {
    bigBasis = orthonormalizeColumns(Y, nBig, w, 2, executor).Q;
    bigToQ = null;
  }
  // Bᵀ = Mᵀ Q (nSmall x w) = Q2 R; R = Ur diag(s) Vrᵀ  =>  Bᵀ = (Q2 Ur) diag(s) Vrᵀ,
  // so M ≈ Q B = (Q Vr) diag(s) (Q2 Ur)ᵀ.
  csrTimesDenseParallel(executor, Mt, bigBasis, w, Z, mtBounds);
  if (bigToQ !== null) multiplyBySmallParallel(executor, Z, nSmall, w, bigToQ, w, true, Z, w);
  const { Q: Q2, R } = orthonormalizeColumns(Z, nSmall, w, 2, executor);
  const { U: Ur, s: sAll, V: Vr } = svdSquare(R, w, executor);

  // Left (big side) and right (small side) singular vectors of M, first k columns.
  const bigVecs = executor.createFloat64Array(nBig * k);
  const toBig = executor.share(bigToQ === null ? Vr : multiplySquare(bigToQ, Vr, w));
  multiplyBySmallParallel(executor, bigBasis, nBig, w, toBig, w, false, bigVecs, k);
  const smallVecs = executor.createFloat64Array(nSmall * k);
  multiplyBySmallParallel(executor, Q2, nSmall, w, Ur, w, false, smallVecs, k);
  const Ucols = transpose ? smallVecs : bigVecs; // nRows x k
  const Vcols = transpose ? bigVecs : smallVecs; // nCols x k

  const s = new Float64Array(k);
  for (let j = 0; j < k; j++) s[j] = sAll[j];
  executor.runChunks(flipSignsKernel, { U: Ucols, V: Vcols, nRows, nCols, k, scratch: executor.createFloat64Array(2 * k) }, 1, 0);
  return { U: Ucols, s, V: Vcols, k };
}

/** Task of {@link flipSignsKernel}: svd_flip of U (nRows x k) and V (nCols x k); scratch of 2k f64. */
export interface FlipSignsTask {
  U: Float64Array;
  V: Float64Array;
  nRows: number;
  nCols: number;
  k: number;
  scratch: Float64Array;
}

/** Chunk 0 (the only one) runs {@link flipSigns}, as WebAssembly when the executor has it. */
export const flipSignsKernel: ParallelKernel<FlipSignsTask> = {
  name: "linalg.flipSigns",
  run(task, _chunk, native) {
    const { U, V, nRows, nCols, k } = task;
    if (native !== null) native.flipSigns(U.byteOffset, V.byteOffset, nRows, nCols, k, task.scratch.byteOffset);
    else flipSigns(U, V, nRows, nCols, k);
  },
};

/**
 * scikit-learn's `svd_flip` on U: for each column j, when the entry of largest magnitude of
 * U[:, j] (the first on ties) is negative, U[:, j] and V[:, j] are negated. U is nRows x k, V
 * nCols x k. One pass over the rows finds every column's entry (assembly/init.ts flipSigns is
 * the WebAssembly twin).
 */
export function flipSigns(U: Float64Array, V: Float64Array, nRows: number, nCols: number, k: number): void {
  const best = new Int32Array(k).fill(-1);
  const bestAbs = new Float64Array(k).fill(-1);
  for (let i = 0; i < nRows; i++) {
    const base = i * k;
    for (let j = 0; j < k; j++) {
      const a = Math.abs(U[base + j]);
      if (a > bestAbs[j]) {
        bestAbs[j] = a;
        best[j] = i;
      }
    }
  }
  const sign = new Float64Array(k);
  let flips = false;
  for (let j = 0; j < k; j++) {
    const negative = best[j] >= 0 && U[best[j] * k + j] < 0;
    sign[j] = negative ? -1 : 1;
    flips ||= negative;
  }
  if (!flips) return;
  negateColumns(U, nRows, k, sign);
  negateColumns(V, nCols, k, sign);
}

/** `A[i, j] = -A[i, j]` for the columns j with `sign[j] = -1` (A n x k). */
function negateColumns(A: Float64Array, n: number, k: number, sign: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let j = 0; j < k; j++) if (sign[j] < 0) A[base + j] = -A[base + j];
  }
}
