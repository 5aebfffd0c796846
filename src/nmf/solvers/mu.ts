/**
 * Multiplicative updates (Lee & Seung 2001; Févotte & Idier 2011) for both losses: scikit-learn
 * 1.2's `_fit_multiplicative_update` with beta = 2 (frobenius) or 1 (kl), gamma = 1.
 *
 * Frobenius: `W <- W .* (X·Hᵀ) ./ (W·H·Hᵀ + l1W + l2W·W)`, then
 *            `H <- H .* (Wᵀ·X) ./ (WᵀW·H + l1H + l2H·H)`.
 * KL:        `W <- W .* ((X ./ WH)·Hᵀ) ./ (rowsum(H)ᵀ + l1W + l2W·W)`, then
 *            `H <- H .* (Wᵀ·(X ./ WH)) ./ (colsum(W) + l1H + l2H·H)` (colsum zeros -> 1),
 *            then entries of H below the float64 epsilon set to 0.
 * WH is evaluated at the non-zeros of X only, zeros there replaced by the float32 epsilon, and
 * every zero denominator is replaced by the float32 epsilon, as scikit-learn does.
 * Stopping rule (scikit-learn's): every 10 iterations, with `e = sqrt(2·objective)`, stop when
 * `(e_previous_check - e) / e_initial < tol`.
 */
import { columnSumsInto, gramInto } from "../../linalg/dense.js";
import { partitionRows, serialExecutor } from "../../linalg/executor.js";
import { csrTimesDenseParallel, productAtNonzerosParallel } from "../../linalg/sparse.js";
import type { CsrMatrix } from "../../linalg/types.js";
import { frobeniusObjectiveTransposed, klObjectiveFromValues, sumProducts } from "../objective.js";
import { checkFinite, FLOAT32_EPS, FLOAT64_EPS, type SolverOutcome, type SolverProblem } from "./types.js";

/** `out = A · G` for A n x k and G k x k (row-major). */
function multiplyBySmallInto(A: Float64Array, G: Float64Array, n: number, k: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const base = i * k;
    for (let t = 0; t < k; t++) out[base + t] = 0;
    for (let r = 0; r < k; r++) {
      const a = A[base + r];
      if (a === 0) continue;
      const gb = r * k;
      for (let t = 0; t < k; t++) out[base + t] += a * G[gb + t];
    }
  }
}

/**
 * `A <- A .* num ./ den` with `den = base + l1 + l2·A` (base already in `den`), zero
 * denominators replaced by the float32 epsilon. Returns the sum of the updated A.
 */
function applyMultiplicativeUpdate(
  A: Float64Array,
  num: Float64Array,
  den: Float64Array,
  l1: number,
  l2: number,
): number {
  let sum = 0;
  for (let i = 0; i < A.length; i++) {
    let d = den[i];
    if (l1 > 0) d += l1;
    if (l2 > 0) d = d + l2 * A[i];
    if (d === 0) d = FLOAT32_EPS;
    const v = A[i] * (num[i] / d);
    A[i] = v;
    sum += v;
  }
  return sum;
}

/** Same as {@link applyMultiplicativeUpdate} with a per-column base denominator `colDen[t]`. */
function applyMultiplicativeUpdateColumns(
  A: Float64Array,
  num: Float64Array,
  colDen: Float64Array,
  k: number,
  l1: number,
  l2: number,
): number {
  let sum = 0;
  for (let i = 0; i < A.length; i++) {
    let d = colDen[i % k];
    if (l1 > 0) d += l1;
    if (l2 > 0) d = d + l2 * A[i];
    if (d === 0) d = FLOAT32_EPS;
    const v = A[i] * (num[i] / d);
    A[i] = v;
    sum += v;
  }
  return sum;
}

/** `ratio[p] = X[p] / WH[p]`, zeros of WH replaced by the float32 epsilon. */
function divideByProductInPlace(xData: Float64Array, wh: Float64Array, nnz: number): void {
  for (let p = 0; p < nnz; p++) {
    const y = wh[p];
    wh[p] = xData[p] / (y === 0 ? FLOAT32_EPS : y);
  }
}

/**
 * Runs multiplicative updates from the given W (nDocs x k) and Ht (nTerms x k), both updated in
 * place. With `updateH = false` (transform) Ht stays fixed, and for frobenius X·Hᵀ and H·Hᵀ are
 * computed once, as scikit-learn caches them.
 */
export function fitMultiplicativeUpdate(
  problem: SolverProblem,
  loss: "frobenius" | "kl",
  W: Float64Array,
  Ht: Float64Array,
): SolverOutcome {
  const { X, Xt, k, reg, maxIter, tol, updateH, onIteration } = problem;
  const executor = problem.executor ?? serialExecutor;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const nnz = X.indptr[nDocs];
  const kl = loss === "kl";
  const docBounds = executor.share(partitionRows(X.indptr, nDocs, k));
  const termBounds = executor.share(partitionRows(Xt.indptr, nTerms, k));

  // The sparse products (the cost of an iteration) run as row chunks on the executor: each
  // output row is summed in one fixed order, so any executor gives the same bits.
  const numW = executor.createFloat64Array(nDocs * k);
  // frobenius with H fixed: X·Hᵀ is cached in xHt and copied into numW before each division.
  const xHt = !kl && !updateH ? executor.createFloat64Array(nDocs * k) : numW;
  const denW = kl ? new Float64Array(0) : new Float64Array(nDocs * k);
  const numH = updateH ? executor.createFloat64Array(nTerms * k) : new Float64Array(0);
  const denH = updateH && !kl ? new Float64Array(nTerms * k) : new Float64Array(0);
  const HHt = new Float64Array(k * k);
  const WtW = new Float64Array(k * k);
  const hSum = new Float64Array(k);
  const wSum = new Float64Array(k);
  // KL: X ./ WH on X's pattern (row-major) and on Xt's pattern (term-major).
  const ratioX = executor.createFloat64Array(kl ? nnz : 0);
  const ratioXt = executor.createFloat64Array(kl && updateH ? nnz : 0);
  const R: CsrMatrix = { ...X, data: ratioX };
  const Rt: CsrMatrix = { ...Xt, data: ratioXt };

  const objective = (): number => {
    if (!kl) return frobeniusObjectiveTransposed(X, W, Ht, k, executor);
    productAtNonzerosParallel(executor, X, W, Ht, k, ratioX, docBounds);
    columnSumsInto(W, nDocs, k, wSum);
    columnSumsInto(Ht, nTerms, k, hSum);
    return klObjectiveFromValues(X.data, ratioX, nnz, sumProducts(wSum, hSum, k));
  };

  const errorInit = Math.sqrt(2 * Math.max(objective(), 0));
  let previousError = errorInit;
  let cached = false; // frobenius with H fixed: X·Hᵀ and H·Hᵀ computed once
  let iteration = 0;
  let converged = false;
  while (iteration < maxIter) {
    iteration++;
    // --- W update
    let sumW: number;
    if (!kl) {
      if (!cached) {
        csrTimesDenseParallel(executor, X, Ht, k, xHt, docBounds);
        gramInto(Ht, nTerms, k, HHt);
        cached = !updateH;
      }
      if (xHt !== numW) numW.set(xHt);
      multiplyBySmallInto(W, HHt, nDocs, k, denW);
      sumW = applyMultiplicativeUpdate(W, numW, denW, reg.l1W, reg.l2W);
    } else {
      productAtNonzerosParallel(executor, X, W, Ht, k, ratioX, docBounds);
      divideByProductInPlace(X.data, ratioX, nnz);
      csrTimesDenseParallel(executor, R, Ht, k, numW, docBounds);
      columnSumsInto(Ht, nTerms, k, hSum);
      sumW = applyMultiplicativeUpdateColumns(W, numW, hSum, k, reg.l1W, reg.l2W);
    }
    let sumH = 0;
    // --- H update
    if (updateH) {
      if (!kl) {
        csrTimesDenseParallel(executor, Xt, W, k, numH, termBounds);
        gramInto(W, nDocs, k, WtW);
        multiplyBySmallInto(Ht, WtW, nTerms, k, denH);
        sumH = applyMultiplicativeUpdate(Ht, numH, denH, reg.l1H, reg.l2H);
      } else {
        productAtNonzerosParallel(executor, Xt, Ht, W, k, ratioXt, termBounds);
        divideByProductInPlace(Xt.data, ratioXt, nnz);
        csrTimesDenseParallel(executor, Rt, W, k, numH, termBounds);
        columnSumsInto(W, nDocs, k, wSum);
        for (let t = 0; t < k; t++) if (wSum[t] === 0) wSum[t] = 1;
        applyMultiplicativeUpdateColumns(Ht, numH, wSum, k, reg.l1H, reg.l2H);
        for (let i = 0; i < Ht.length; i++) {
          if (Ht[i] < FLOAT64_EPS) Ht[i] = 0;
          sumH += Ht[i];
        }
      }
    }
    let reported: number | null = null;
    if (tol > 0 && iteration % 10 === 0) {
      reported = objective();
      checkFinite(W, Ht, iteration, reported + sumW + sumH);
      const error = Math.sqrt(2 * Math.max(reported, 0));
      if (errorInit === 0 || (previousError - error) / errorInit < tol) converged = true;
      previousError = error;
    } else {
      checkFinite(W, Ht, iteration, sumW + sumH);
    }
    if (onIteration) onIteration({ iteration, maxIter, objective: reported });
    if (converged) break;
  }
  return { iterations: iteration, converged: converged || tol === 0 };
}
