/**
 * The objectives, exactly as `objectives()` of ../shared/bench/sklearn_ref.py defines them. One
 * definition per loss serves convergence checks, progress, reporting and tests: the solvers call
 * the `...FromParts` / `...FromValues` cores below with quantities they already maintain.
 *
 * Shapes: X nDocs x nTerms (CSR), W nDocs x k, H k x nTerms, Ht = Hᵀ nTerms x k (row-major).
 */
import { columnSumsInto, gramParallelInto, transposeDense } from "../linalg/dense.js";
import { partitionRows, serialExecutor, sumPartial, type ParallelExecutor, type ParallelKernel } from "../linalg/executor.js";
import { naturalLog } from "../linalg/log.js";
import { sumSquares } from "../linalg/sparse.js";
import type { CsrMatrix } from "../linalg/types.js";

/** Floor of W·H at the non-zeros of X before the logarithm of the KL divergence. */
export const KL_FLOOR = 1e-12;

/**
 * `0.5 · (||X||_F² - 2·sum(X .* WH) + sum((WᵀW) .* (HHᵀ)))` = 0.5·||X - WH||_F².
 *
 * @param xNormSq ||X||_F²
 * @param cross sum over the non-zeros of X of X_ij·(WH)_ij
 * @param gramDot sum over (s, t) of (WᵀW)_st·(HHᵀ)_st = ||WH||_F²
 */
export function frobeniusObjectiveFromParts(xNormSq: number, cross: number, gramDot: number): number {
  return 0.5 * (xNormSq - 2 * cross + gramDot);
}

/**
 * Generalized KL divergence from the values of Y = W·H at the non-zeros of X:
 * `sum_p x_p·ln(x_p / max(y_p, 1e-12)) - sum_p x_p + sumY`, where `sumY = sum_ij (WH)_ij`
 * = `sum_t colsum(W)_t · rowsum(H)_t` (the zeros of X contribute only their Y_ij).
 * Stored zeros of X contribute nothing (0·ln 0 = 0). Every KL sum takes its logarithm from
 * {@link naturalLog}, whose WebAssembly twin gives the same bits inside the kernels.
 *
 * @param y values of W·H aligned with `xData` (length >= nnz)
 */
export function klObjectiveFromValues(xData: Float64Array, y: Float64Array, nnz: number, sumY: number): number {
  const sums = new Float64Array(2);
  klSumsInto(xData, y, 0, nnz, sums, 0);
  return sums[0] - sums[1] + sumY;
}

/**
 * `out[offset] = sum x·ln(x / max(y, 1e-12))` and `out[offset + 1] = sum x` over positions
 * `[p0, p1)` of `data` and `y`, zeros of x skipped, in order (assembly/objective.ts klSums).
 */
export function klSumsInto(data: Float64Array, y: Float64Array, p0: number, p1: number, out: Float64Array, offset: number): void {
  let klSum = 0;
  let xSum = 0;
  for (let p = p0; p < p1; p++) {
    const x = data[p];
    if (x === 0) continue;
    const v = y[p];
    klSum += x * naturalLog(x / (v > KL_FLOOR ? v : KL_FLOOR));
    xSum += x;
  }
  out[offset] = klSum;
  out[offset + 1] = xSum;
}

/** `sum_t a[t] · b[t]` over the first k entries. */
export function sumProducts(a: Float64Array, b: Float64Array, k: number): number {
  let s = 0;
  for (let t = 0; t < k; t++) s += a[t] * b[t];
  return s;
}

/**
 * Task of {@link objectivePartsKernel}: per chunk of X's rows (`bounds`), with y = W·Hᵀ-row
 * products at the stored entries, `partials[3c ..]` = `[sum x·y, sum x·ln(x / max(y, 1e-12)),
 * sum x]` (the last two only when `kl`; stored zeros of X skipped). When `y` is not null it
 * receives the products (aligned with X.data).
 */
export interface ObjectivePartsTask {
  X: CsrMatrix;
  W: Float64Array;
  Ht: Float64Array;
  k: number;
  kl: boolean;
  y: Float64Array | null;
  bounds: Int32Array;
  partials: Float64Array;
}

/** Chunk c of {@link ObjectivePartsTask}: rows `[bounds[c], bounds[c + 1])` (assembly/objective.ts objectivePartsRows). */
export const objectivePartsKernel: ParallelKernel<ObjectivePartsTask> = {
  name: "nmf.objectiveParts",
  run(task, c, native) {
    const { X, W, Ht, k, kl, y: yOut, bounds, partials } = task;
    const { indptr, indices, data } = X;
    if (native !== null) {
      native.objectivePartsRows(
        indptr.byteOffset, indices.byteOffset, data.byteOffset, W.byteOffset, Ht.byteOffset, k, kl ? 1 : 0,
        yOut === null ? 0 : yOut.byteOffset, bounds[c], bounds[c + 1], partials.byteOffset + 24 * c,
      );
      return;
    }
    let cross = 0;
    let klSum = 0;
    let xSum = 0;
    for (let i = bounds[c], end = bounds[c + 1]; i < end; i++) {
      const wb = i * k;
      for (let p = indptr[i], pEnd = indptr[i + 1]; p < pEnd; p++) {
        const hb = indices[p] * k;
        let y = 0;
        for (let t = 0; t < k; t++) y += W[wb + t] * Ht[hb + t];
        if (yOut !== null) yOut[p] = y;
        const x = data[p];
        cross += x * y;
        if (kl && x !== 0) {
          klSum += x * naturalLog(x / (y > KL_FLOOR ? y : KL_FLOOR));
          xSum += x;
        }
      }
    }
    partials[3 * c] = cross;
    partials[3 * c + 1] = klSum;
    partials[3 * c + 2] = xSum;
  },
};

/**
 * Runs {@link objectivePartsKernel} over fixed chunks of X's rows; returns the chunk sums in
 * order. `y`, when given, receives W·H at X's entries.
 */
export function computeObjectiveParts(
  executor: ParallelExecutor,
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  kl: boolean,
  y: Float64Array | null = null,
): { cross: number; klSum: number; xSum: number } {
  const bounds = executor.share(partitionRows(X.indptr, X.nRows, 1));
  const nChunks = bounds.length - 1;
  const partials = executor.createFloat64Array(3 * nChunks);
  // A logarithm costs about 16 multiply-adds.
  const nnz = X.indptr[X.nRows];
  executor.runChunks(objectivePartsKernel, { X, W, Ht, k, kl, y, bounds, partials }, nChunks, nnz * k + (kl ? 16 * nnz : 0));
  return {
    cross: sumPartial(partials, nChunks, 3, 0),
    klSum: sumPartial(partials, nChunks, 3, 1),
    xSum: sumPartial(partials, nChunks, 3, 2),
  };
}

/**
 * Frobenius objective with H given transposed (Ht, nTerms x k); see {@link frobeniusObjective}.
 * Sums run over fixed chunks of rows added in order, so any executor gives the same bits
 * (with a multi-threaded one, X, W and Ht must be visible to its threads).
 *
 * @param xNormSq `sumSquares(X)`, when the caller has it (a pass over X saved).
 */
export function frobeniusObjectiveTransposed(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  executor: ParallelExecutor = serialExecutor,
  xNormSq?: number,
): number {
  const { cross } = computeObjectiveParts(executor, X, W, Ht, k, false);
  return frobeniusFromCross(X, W, Ht, k, executor, xNormSq ?? sumSquares(X), cross);
}

/** The Frobenius objective from its cross term `sum(X .* WH)` (the Gram terms computed here). */
function frobeniusFromCross(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  executor: ParallelExecutor,
  xNormSq: number,
  cross: number,
): number {
  const gw = new Float64Array(k * k);
  const gh = new Float64Array(k * k);
  gramParallelInto(executor, W, X.nRows, k, gw);
  gramParallelInto(executor, Ht, X.nCols, k, gh);
  return frobeniusObjectiveFromParts(xNormSq, cross, sumProducts(gw, gh, k * k));
}

/** The KL objective from `sum x·ln(x / y)` and `sum x` over the non-zeros (the sum of W·H computed here). */
function klFromSums(X: CsrMatrix, W: Float64Array, Ht: Float64Array, k: number, klSum: number, xSum: number): number {
  const wSum = new Float64Array(k);
  const hSum = new Float64Array(k);
  columnSumsInto(W, X.nRows, k, wSum);
  columnSumsInto(Ht, X.nCols, k, hSum);
  return klSum - xSum + sumProducts(wSum, hSum, k);
}

/**
 * Both objectives with H given transposed, from one pass over X: the same bits as
 * {@link frobeniusObjectiveTransposed} and {@link klObjectiveTransposed} (the pass that takes the
 * logarithms computes the cross term the same way). A KL fit reports both (the Frobenius one as
 * the relative error).
 */
export function bothObjectivesTransposed(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  executor: ParallelExecutor = serialExecutor,
  xNormSq?: number,
): { frobenius: number; kl: number } {
  const { cross, klSum, xSum } = computeObjectiveParts(executor, X, W, Ht, k, true);
  return {
    frobenius: frobeniusFromCross(X, W, Ht, k, executor, xNormSq ?? sumSquares(X), cross),
    kl: klFromSums(X, W, Ht, k, klSum, xSum),
  };
}

/** KL objective with H given transposed (Ht, nTerms x k); see {@link klObjective} and {@link frobeniusObjectiveTransposed}. */
export function klObjectiveTransposed(
  X: CsrMatrix,
  W: Float64Array,
  Ht: Float64Array,
  k: number,
  executor: ParallelExecutor = serialExecutor,
): number {
  const { klSum, xSum } = computeObjectiveParts(executor, X, W, Ht, k, true);
  return klFromSums(X, W, Ht, k, klSum, xSum);
}

/**
 * `0.5 · ||X - W·H||_F²`, computed without forming W·H:
 * `0.5 · (||X||_F² - 2·sum(X .* WH) + sum((WᵀW) .* (HHᵀ)))`.
 *
 * @param X nDocs x nTerms; W nDocs x k; H k x nTerms (row-major).
 */
export function frobeniusObjective(X: CsrMatrix, W: Float64Array, H: Float64Array, k: number): number {
  return frobeniusObjectiveTransposed(X, W, transposeDense(H, k, X.nCols), k);
}

/**
 * Generalized Kullback-Leibler divergence
 * `D(X || WH) = sum_ij [X_ij·ln(X_ij / Y_ij) - X_ij + Y_ij]`, Y = W·H, where the zeros of X
 * contribute Y_ij only, `sum_ij Y_ij = sum_t colsum(W)_t · rowsum(H)_t`, and Y_ij at the non-zeros
 * of X is floored at 1e-12 before the logarithm.
 *
 * @param X nDocs x nTerms; W nDocs x k; H k x nTerms (row-major).
 */
export function klObjective(X: CsrMatrix, W: Float64Array, H: Float64Array, k: number): number {
  return klObjectiveTransposed(X, W, transposeDense(H, k, X.nCols), k);
}

/** `sqrt(2·f / ||X||_F²)` for a Frobenius objective f = 0.5·||X - WH||², i.e. ||X - WH||_F / ||X||_F (0 when X = 0). */
export function relativeErrorFromObjective(frobenius: number, xNormSq: number): number {
  return xNormSq > 0 ? Math.sqrt(Math.max(2 * frobenius, 0) / xNormSq) : 0;
}

/**
 * Relative reconstruction error `||X - WH||_F / ||X||_F` (0 when X is all zeros).
 *
 * @param X nDocs x nTerms; W nDocs x k; H k x nTerms (row-major).
 */
export function relativeError(X: CsrMatrix, W: Float64Array, H: Float64Array, k: number): number {
  return relativeErrorFromObjective(frobeniusObjective(X, W, H, k), sumSquares(X));
}
