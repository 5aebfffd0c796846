/**
 * KL NMF by cyclic coordinate descent with Newton steps ("ccd"; Hsieh & Dhillon, KDD 2011,
 * section 4). The objective in one entry w = W[i, t] with everything else fixed is
 *   f(w) = -sum_j X_ij·ln(Y_ij) + w·rowsum(H)_t + l1·w + 0.5·l2·w² + const,  Y = W·H,
 * which is convex; its Newton step uses
 *   g = rowsum(H)_t + l1 + l2·w - sum_j X_ij·H_tj / Y_ij,   h = l2 + sum_j X_ij·H_tj² / Y_ij²
 * over the non-zeros j of row i of X only (and only those with H_tj != 0), so a coordinate
 * update costs O(nnz of the row). One iteration updates W (row by row with X's rows), then H
 * (row by row of Hᵀ with the rows of the term-major copy Xᵀ), topics in order, each coordinate by
 * {@link NEWTON_STEPS} projected Newton step `w <- max(0, w - g/h)`, keeping Y current. When the
 * step would cross 0, the derivative at 0 decides: f'(0) >= 0 gives w = 0, otherwise a Newton
 * step from 0 (which cannot overshoot, f' being concave) lands inside; if w is the only positive
 * contribution to some Y_ij with X_ij > 0 (f'(0) = -inf), w is halved, so Y stays positive
 * where X is. The factors become mostly zeros after a few iterations, which the row gather
 * exploits (the other factor is read through a list of its non-zeros).
 *
 * Rows are independent given the other factor, so each sweep runs as fixed chunks of rows on the
 * executor; column sums, penalties and the objective come from per-chunk partials added in chunk
 * order (the same bits on any number of threads).
 *
 * Stopping rule: after each iteration, with F the KL divergence (summed by the H sweep over the
 * Y values it ends with) plus the penalties, stop when `(F_previous - F) / F_initial < tol`
 * (F_initial: at the starting W, H). This checks every iteration where scikit-learn's MU rule
 * checks every 10, so at equal tol ccd stops relatively earlier: on 20 Newsgroups (k = 20) it
 * stops after ~28 iterations 0.5 % below scikit-learn's MU objective.
 */
import { columnSumsInto } from "../../linalg/dense.js";
import {
  partitionRows,
  serialExecutor,
  sumPartial,
  sumPartialsInto,
  type ParallelExecutor,
  type ParallelKernel,
} from "../../linalg/executor.js";
import type { CsrMatrix } from "../../linalg/types.js";
import { computeObjectiveParts, klSumsInto, KL_FLOOR, sumProducts } from "../objective.js";
import { compressKernel, createCompressedFactor, type CompressedFactor } from "./lists.js";
import { checkFinite, type SolverOutcome, type SolverProblem } from "./types.js";

/** w counts as the only contribution to Y_ij when Y_ij - w·H_tj <= KEEP_SHARE · Y_ij. */
const KEEP_SHARE = 1e-10;

/** Newton steps per coordinate and sweep (the gathered row is reused by each). */
export const NEWTON_STEPS = 1;

/**
 * Scratch of the JavaScript Newton sweep ({@link sweepRows}), one set per thread (module state is
 * per thread): the row's (entry, other-factor value, x) triples grouped by topic (group t is
 * [offsets[t], offsets[t+1])), and W·H at the row's entries. Constant arrays sized for rows of up
 * to POOL_PAIRS triples and POOL_TOPICS topics; rows swept with a longer one allocate their own.
 * (V8 compiles the hot loops markedly faster on arrays held in constants than on arrays held in
 * reassigned variables.)
 */
const POOL_PAIRS = 1 << 18;
const POOL_TOPICS = 1024;
const POOL_ENTRIES = new Int32Array(POOL_PAIRS);
const POOL_VALUES = new Float64Array(POOL_PAIRS);
const POOL_XS = new Float64Array(POOL_PAIRS);
const POOL_Y = new Float64Array(POOL_PAIRS);
const POOL_OFFSETS = new Int32Array(POOL_TOPICS + 1);
const POOL_CURSOR = new Int32Array(POOL_TOPICS);

/** Values per chunk in {@link NewtonSweepTask.partials}: see there. */
export function newtonPartialsStride(k: number): number {
  return 4 + k;
}

/**
 * Task of {@link newtonSweepKernel}: one sweep of projected Newton steps over the rows of A
 * (n x k, row-major, in place). Row i of A is paired with row i of M (M = X for W, Xᵀ for Hᵀ);
 * `other` lists the non-zeros of the other factor (one row per column of M), `otherSum` holds
 * its column sums.
 */
export interface NewtonSweepTask {
  M: CsrMatrix;
  A: Float64Array;
  other: CompressedFactor;
  otherSum: Float64Array;
  k: number;
  l1: number;
  l2: number;
  bounds: Int32Array;
  /**
   * The other factor dense (one row of k values per column of M), when it is mostly non-zeros:
   * the WebAssembly sweep then reads it directly instead of grouping its lists (the same bits;
   * see {@link chooseDenseOther}). Null: lists only.
   */
  dense: Float64Array | null;
  /** When not null, receives the non-zeros of the updated rows of A. */
  list: CompressedFactor | null;
  /** When not null, receives W·H at every stored entry of M (aligned with M.data). */
  y: Float64Array | null;
  /**
   * nChunks x (4 + k); chunk c writes `[sum x·ln(x / max(y, 1e-12)), sum x` (both over the
   * chunk's entries, only when y is written), `sum A, sum A², column sums of A (k)]` of its rows.
   */
  partials: Float64Array;
}

/**
 * Chunk c of a Newton sweep: rows `[bounds[c], bounds[c + 1])`. For each row the non-zero
 * values of the other factor at the row's entries are gathered and grouped by topic (after a
 * few iterations the factors are mostly zeros, so each topic's step visits only the entries it
 * touches), W·H at the entries is computed exactly, then topics are updated in order, keeping
 * W·H current. Rows are independent given the other factor, so any thread may run any chunk.
 * With the WebAssembly kernels, WebAssembly sweeps every row whose grouped entries fit the
 * thread's scratch and {@link sweepRows} each other row, in row order (the sums stay in the
 * chunk's partials in between): a long row does not send its whole chunk back to JavaScript.
 * The KL sums are added here, after the sweep, from the y written: WebAssembly's logarithm need
 * not round like V8's.
 */
export const newtonSweepKernel: ParallelKernel<NewtonSweepTask> = {
  name: "nmf.ccdNewtonSweep",
  run(task, c, native) {
    const { M, A, other, otherSum, k, l1, l2, bounds, list, y, partials } = task;
    const { indptr, data } = M;
    const stride = newtonPartialsStride(k);
    const pBase = c * stride;
    const rowEnd = bounds[c + 1];
    partials.fill(0, pBase, pBase + stride);
    if (native === null) sweepRows(task, bounds[c], rowEnd, bounds[c] * k, pBase);
    else {
      const dense = task.dense;
      for (let i = bounds[c]; i < rowEnd; ) {
        if (dense !== null) {
          i = native.newtonSweepRowsDense(
            indptr.byteOffset, M.indices.byteOffset, data.byteOffset, A.byteOffset, dense.byteOffset, otherSum.byteOffset,
            k, l1, l2, NEWTON_STEPS,
            list === null ? 0 : list.start.byteOffset, list === null ? 0 : list.end.byteOffset,
            list === null ? 0 : list.topics.byteOffset, list === null ? 0 : list.values.byteOffset, y === null ? 0 : y.byteOffset,
            i, rowEnd, listPosition(task, c, i), partials.byteOffset + pBase * 8, native.scratch, native.scratchBytes,
          );
          if (i === rowEnd) break;
        }
        // The grouped sweep: every row (lists), or a row too long for the dense block.
        const next = native.newtonSweepRows(
          indptr.byteOffset, M.indices.byteOffset, data.byteOffset, A.byteOffset,
          other.start.byteOffset, other.end.byteOffset, other.topics.byteOffset, other.values.byteOffset, otherSum.byteOffset,
          k, l1, l2, NEWTON_STEPS,
          list === null ? 0 : list.start.byteOffset, list === null ? 0 : list.end.byteOffset,
          list === null ? 0 : list.topics.byteOffset, list === null ? 0 : list.values.byteOffset, y === null ? 0 : y.byteOffset,
          i, dense === null ? rowEnd : i + 1, listPosition(task, c, i), partials.byteOffset + pBase * 8, native.scratch, native.scratchBytes,
        );
        if (next > i) i = next;
        else {
          sweepRows(task, i, i + 1, listPosition(task, c, i), pBase);
          i++;
        }
      }
    }
    if (y !== null) {
      if (native === null) klSumsInto(data, y, indptr[bounds[c]], indptr[rowEnd], partials, pBase);
      else native.klSums(data.byteOffset, y.byteOffset, indptr[bounds[c]], indptr[rowEnd], partials.byteOffset + pBase * 8);
    }
  },
};

/** Where the list of row i of chunk c starts: at `bounds[c]·k` for its first row, else after row i - 1's. */
function listPosition(task: NewtonSweepTask, c: number, i: number): number {
  return task.list === null || i === task.bounds[c] ? i * task.k : task.list.end[i - 1];
}

/**
 * The JavaScript sweep of rows `[r0, r1)` of a chunk whose partials start at `pBase`: its list
 * continues at `listPos`, its sums of A (`sum A`, `sum A²`, column sums) add to the partials.
 */
function sweepRows(task: NewtonSweepTask, r0: number, r1: number, listPos: number, pBase: number): void {
  const { M, A, other, otherSum, k, l1, l2, list, y: yOut, partials } = task;
  const { indptr, indices, data } = M;
  const { start: oStart, end: oEnd, topics: oTopics, values: oValues } = other;
  let aSum = partials[pBase + 2];
  let aSumSq = partials[pBase + 3];
  let longest = 0;
  for (let i = r0; i < r1; i++) longest = Math.max(longest, indptr[i + 1] - indptr[i]);
  const pooled = longest * k <= POOL_PAIRS && k <= POOL_TOPICS;
  const size = longest * k;
  const entries = pooled ? POOL_ENTRIES : new Int32Array(size);
  const values = pooled ? POOL_VALUES : new Float64Array(size);
  const xs = pooled ? POOL_XS : new Float64Array(size);
  const y = pooled ? POOL_Y : new Float64Array(longest);
  const offsets = pooled ? POOL_OFFSETS : new Int32Array(k + 1);
  const cursor = pooled ? POOL_CURSOR : new Int32Array(k);
  for (let i = r0; i < r1; i++) {
    const start = indptr[i];
    const m = indptr[i + 1] - start;
    const base = i * k;
    // Group the row's (entry, other value, x) triples by topic: count, prefix sums, place.
    cursor.fill(0, 0, k);
    for (let e = 0; e < m; e++) {
      const j = indices[start + e];
      for (let q = oStart[j], end = oEnd[j]; q < end; q++) cursor[oTopics[q]]++;
    }
    offsets[0] = 0;
    for (let t = 0; t < k; t++) {
      offsets[t + 1] = offsets[t] + cursor[t];
      cursor[t] = offsets[t];
    }
    for (let e = 0; e < m; e++) {
      const j = indices[start + e];
      const x = data[start + e];
      for (let q = oStart[j], end = oEnd[j]; q < end; q++) {
        const slot = cursor[oTopics[q]]++;
        entries[slot] = e;
        values[slot] = oValues[q];
        xs[slot] = x;
      }
    }
    // W·H at the row's entries, topics in order.
    y.fill(0, 0, m);
    for (let t = 0; t < k; t++) {
      const a = A[base + t];
      if (a === 0) continue;
      for (let q = offsets[t], end = offsets[t + 1]; q < end; q++) y[entries[q]] += a * values[q];
    }
    for (let t = 0; t < k; t++) {
      let w = A[base + t];
      const first = offsets[t];
      const last = offsets[t + 1];
      const linear = otherSum[t] + l1;
      for (let step = 0; step < NEWTON_STEPS; step++) {
        let g = linear + l2 * w;
        let h = l2;
        for (let q = first; q < last; q++) {
          const b = values[q];
          const e = entries[q];
          let yp = y[e];
          if (yp < KL_FLOOR) yp = KL_FLOOR;
          const iy = 1 / yp;
          const z = xs[q] * iy;
          g -= z * b;
          h += z * iy * b * b;
        }
        let s: number;
        if (h > 0) s = -g / h;
        else s = g > 0 ? -w : 0;
        let next: number;
        if (w + s <= 0) {
          if (w === 0) break;
          // The step overshoots past 0 (Newton from the right of the 1-D minimiser). Look at
          // the derivative at 0: if f'(0) >= 0 the minimiser is 0; otherwise it lies in (0, w)
          // and a Newton step from 0 (which cannot overshoot: f' is concave) lands left of it.
          // If w alone keeps some Y_ij (X_ij > 0) positive, f'(0) = -inf: halve w instead.
          let g0 = linear;
          let h0 = l2;
          let barrier = false;
          for (let q = first; q < last; q++) {
            const x = xs[q];
            if (x === 0) continue;
            const e = entries[q];
            const b = values[q];
            const yp = y[e];
            const rest = yp - w * b;
            if (rest <= KEEP_SHARE * yp) {
              barrier = true;
              break;
            }
            const iy = 1 / rest;
            const z = x * iy;
            g0 -= z * b;
            h0 += z * iy * b * b;
          }
          if (barrier) next = 0.5 * w;
          else if (g0 >= 0 || !(h0 > 0)) next = 0;
          else next = Math.min(-g0 / h0, w);
        } else {
          next = w + s;
        }
        const delta = next - w;
        if (delta === 0) break;
        w = next;
        for (let q = first; q < last; q++) y[entries[q]] += delta * values[q];
      }
      A[base + t] = w;
    }
    // The row's contributions to the sums, its list, and W·H at its entries.
    for (let t = 0; t < k; t++) {
      const a = A[base + t];
      partials[pBase + 4 + t] += a;
      aSum += a;
      aSumSq += a * a;
    }
    if (list !== null) {
      list.start[i] = listPos;
      for (let t = 0; t < k; t++) {
        const a = A[base + t];
        if (a !== 0) {
          list.topics[listPos] = t;
          list.values[listPos++] = a;
        }
      }
      list.end[i] = listPos;
    }
    if (yOut !== null) for (let e = 0; e < m; e++) yOut[start + e] = y[e];
  }
  partials[pBase + 2] = aSum;
  partials[pBase + 3] = aSumSq;
}

/**
 * Share of non-zeros above which a sweep reads the other factor dense ({@link NewtonSweepTask.dense}):
 * the dense block costs every (entry, topic) once without the grouping passes, the lists only
 * the non-zero pairs. Both give the same bits, so this only moves time.
 */
export const DENSE_SHARE = 0.5;

/**
 * `dense` when the other factor's non-zeros make at least {@link DENSE_SHARE} of the (entry,
 * topic) pairs of a sweep over M, else null. `transposeIndptr` is the index of Mᵀ (its row j
 * holds the entries of M's column j, each pairing with row j of the other factor's `list`).
 */
export function chooseDenseOther(transposeIndptr: Int32Array, list: CompressedFactor, k: number, dense: Float64Array): Float64Array | null {
  const n = transposeIndptr.length - 1;
  const nnz = transposeIndptr[n];
  if (nnz === 0) return null;
  let pairs = 0;
  for (let j = 0; j < n; j++) pairs += (transposeIndptr[j + 1] - transposeIndptr[j]) * (list.end[j] - list.start[j]);
  return pairs >= DENSE_SHARE * nnz * k ? dense : null;
}

/** Sums of a {@link newtonSweepKernel} run (chunks added in order). */
interface NewtonSums {
  /** sum x·ln(x / y) - sum x over M's entries (when y was written). */
  klPart: number;
  /** `l1·sum(A) + 0.5·l2·||A||²`. */
  penalty: number;
}

/** Runs a Newton sweep over all chunks; column sums of the updated A go to `columnSums`. */
function runNewtonSweep(executor: ParallelExecutor, task: NewtonSweepTask, columnSums: Float64Array): NewtonSums {
  const { k, bounds, partials, l1, l2, M } = task;
  const nChunks = bounds.length - 1;
  const stride = newtonPartialsStride(k);
  // About four multiply-adds per (entry, topic): the gather, W·H, the step, and the refresh
  // of its factors with a division.
  executor.runChunks(newtonSweepKernel, task, nChunks, 4 * M.indptr[M.nRows] * k);
  sumPartialsInto(partials, nChunks, stride, 4, k, columnSums);
  const klPart = sumPartial(partials, nChunks, stride, 0) - sumPartial(partials, nChunks, stride, 1);
  const penalty =
    l1 === 0 && l2 === 0
      ? 0
      : l1 * sumPartial(partials, nChunks, stride, 2) + 0.5 * l2 * sumPartial(partials, nChunks, stride, 3);
  return { klPart, penalty };
}

/** `l1·sum(A) + 0.5·l2·||A||²`. */
function computePenalty(A: Float64Array, l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < A.length; i++) {
    s1 += A[i];
    s2 += A[i] * A[i];
  }
  return l1 * s1 + 0.5 * l2 * s2;
}

/**
 * Runs CCD for the KL loss from the given W (nDocs x k) and Ht (nTerms x k), both updated in
 * place (`updateH = false`: W only; with the problem's executor both must be visible to its
 * threads). Rows are cut into fixed chunks; column sums, penalties and the objective are
 * reduced from per-chunk partials in chunk order, so the result does not depend on the thread
 * count. Reports the KL objective after every iteration.
 */
export function fitCyclicCoordinateDescent(problem: SolverProblem, W: Float64Array, Ht: Float64Array): SolverOutcome {
  const { X, Xt, k, reg, maxIter, tol, updateH, onIteration } = problem;
  const executor = problem.executor ?? serialExecutor;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const nnz = X.indptr[nDocs];
  const docBounds = executor.share(partitionRows(X.indptr, nDocs, k));
  const termBounds = executor.share(partitionRows(Xt.indptr, nTerms, k));
  const wSum = executor.createFloat64Array(k);
  const hSum = executor.createFloat64Array(k);
  const hList = createCompressedFactor(executor, nTerms, k);
  executor.runChunks(compressKernel, { A: Ht, k, bounds: termBounds, out: hList }, termBounds.length - 1, nTerms * k);
  // W·H at the non-zeros of the last matrix swept (Xᵀ's order for a fit, X's for transform).
  const y = executor.createFloat64Array(nnz);
  const start = computeObjectiveParts(executor, X, W, Ht, k, true, y);
  columnSumsInto(W, nDocs, k, wSum);
  columnSumsInto(Ht, nTerms, k, hSum);
  let penaltyW = computePenalty(W, reg.l1W, reg.l2W);
  let penaltyH = updateH ? computePenalty(Ht, reg.l1H, reg.l2H) : 0;
  const initial = start.klSum - start.xSum + sumProducts(wSum, hSum, k) + penaltyW + penaltyH;
  const wTask: NewtonSweepTask = {
    M: X,
    A: W,
    other: hList,
    dense: null,
    otherSum: hSum,
    k,
    l1: reg.l1W,
    l2: reg.l2W,
    bounds: docBounds,
    list: updateH ? createCompressedFactor(executor, nDocs, k) : null,
    y: updateH ? null : y,
    partials: executor.createFloat64Array((docBounds.length - 1) * newtonPartialsStride(k)),
  };
  const hTask: NewtonSweepTask = {
    M: Xt,
    A: Ht,
    other: wTask.list ?? hList,
    dense: null,
    otherSum: wSum,
    k,
    l1: reg.l1H,
    l2: reg.l2H,
    bounds: termBounds,
    list: hList,
    y,
    partials: executor.createFloat64Array((termBounds.length - 1) * newtonPartialsStride(k)),
  };
  let previous = initial;
  let iteration = 0;
  let converged = false;
  while (iteration < maxIter) {
    iteration++;
    wTask.dense = chooseDenseOther(Xt.indptr, hList, k, Ht);
    const wSums = runNewtonSweep(executor, wTask, wSum);
    penaltyW = wSums.penalty;
    let klPart = wSums.klPart;
    if (updateH) {
      hTask.dense = chooseDenseOther(X.indptr, hTask.other, k, W);
      const hSums = runNewtonSweep(executor, hTask, hSum);
      penaltyH = hSums.penalty;
      klPart = hSums.klPart;
    }
    const loss = klPart + sumProducts(wSum, hSum, k);
    const current = loss + penaltyW + penaltyH;
    checkFinite(W, Ht, iteration, current);
    if (onIteration) onIteration({ iteration, maxIter, objective: loss });
    if (tol > 0 && (initial === 0 || (previous - current) / initial < tol)) {
      converged = true;
      break;
    }
    previous = current;
  }
  return { iterations: iteration, converged: converged || tol === 0 };
}
