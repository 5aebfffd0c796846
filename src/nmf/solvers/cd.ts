/**
 * Frobenius NMF by coordinate descent (HALS): scikit-learn 1.2's `_fit_coordinate_descent` with
 * `shuffle=False` (Cichocki & Phan 2009; Hsieh & Dhillon 2011).
 *
 * One iteration updates W, then H. Updating W with H fixed: G = H·Hᵀ + l2W·I, B = X·Hᵀ - l1W, and
 * for every row i of W, topics t in order, with the row's current values,
 *   grad = sum_r G[t, r]·W[i, r] - B[i, t],  W[i, t] <- max(0, W[i, t] - grad / G[t, t])
 * (skipped when G[t, t] = 0), accumulating the projected-gradient violation
 * `|grad|` (or `|min(0, grad)|` when W[i, t] = 0). H is updated the same way through Hᵀ with
 * G = WᵀW + l2H·I and B = Xᵀ·W - l1H. Stopping rule (scikit-learn's): stop after the first
 * iteration whose violation / violation of iteration 1 <= tol (or when iteration 1's is 0).
 */
import { gramInto } from "../../linalg/dense.js";
import { csrTimesDenseInto, csrTransposeTimesDenseInto } from "../../linalg/sparse.js";
import { sumProducts, frobeniusObjectiveFromParts } from "../objective.js";
import { checkFinite, type SolverOutcome, type SolverProblem } from "./types.js";

/**
 * Coordinate updates of one row a = A[base .. base + k) for the quadratic
 * `0.5·aᵀGa - bᵀa + l1·sum(a)`, b = B[bBase .. bBase + k), topics in order, each update seeing
 * the previous ones, exactly as scikit-learn's `_update_cdnmf_fast` does for one sample. Zero
 * entries of the row are skipped in the gradient sum (which changes no bit of it).
 *
 * @param nz scratch Int32Array of length >= k.
 * @returns the row's violation: sum of |projected gradient|.
 */
export function updateRowInPlace(
  A: Float64Array,
  base: number,
  G: Float64Array,
  B: Float64Array,
  bBase: number,
  k: number,
  l1: number,
  nz: Int32Array,
): number {
  let violation = 0;
  // Sorted list of the row's non-zero positions.
  let count = 0;
  for (let r = 0; r < k; r++) if (A[base + r] !== 0) nz[count++] = r;
  if (2 * count > k) {
    // Mostly dense row: plain dot products over the whole row (same sums, fewer branches).
    const k4 = k - (k & 3);
    for (let t = 0; t < k; t++) {
      const gb = t * k;
      let grad = l1 - B[bBase + t];
      let r = 0;
      for (; r < k4; r += 4) {
        grad += G[gb + r] * A[base + r];
        grad += G[gb + r + 1] * A[base + r + 1];
        grad += G[gb + r + 2] * A[base + r + 2];
        grad += G[gb + r + 3] * A[base + r + 3];
      }
      for (; r < k; r++) grad += G[gb + r] * A[base + r];
      const a = A[base + t];
      const pg = a === 0 ? (grad < 0 ? grad : 0) : grad;
      violation += pg < 0 ? -pg : pg;
      const hess = G[gb + t];
      if (hess !== 0) {
        const next = a - grad / hess;
        A[base + t] = next > 0 ? next : 0;
      }
    }
    return violation;
  }
  for (let t = 0; t < k; t++) {
    const gb = t * k;
    let grad = l1 - B[bBase + t];
    for (let c = 0; c < count; c++) {
      const r = nz[c];
      grad += G[gb + r] * A[base + r];
    }
    const a = A[base + t];
    const pg = a === 0 ? (grad < 0 ? grad : 0) : grad;
    violation += pg < 0 ? -pg : pg;
    const hess = G[gb + t];
    if (hess !== 0) {
      const next = a - grad / hess;
      const updated = next > 0 ? next : 0;
      if (updated !== 0 && a === 0) {
        // t enters the non-zero set: insert it in order.
        let c = count++;
        while (c > 0 && nz[c - 1] > t) {
          nz[c] = nz[c - 1];
          c--;
        }
        nz[c] = t;
      }
      A[base + t] = updated;
    }
  }
  return violation;
}

/** Adds the upper triangle of aᵀa, a = A[base .. base + k), over its non-zeros (in topic order). */
function accumulateRowGram(
  A: Float64Array,
  base: number,
  k: number,
  idx: Int32Array,
  val: Float64Array,
  out: Float64Array,
): void {
  let count = 0;
  for (let t = 0; t < k; t++) {
    const a = A[base + t];
    if (a !== 0) {
      idx[count] = t;
      val[count++] = a;
    }
  }
  for (let c = 0; c < count; c++) {
    const a = val[c];
    const row = idx[c] * k;
    for (let d = c; d < count; d++) out[row + idx[d]] += a * val[d];
  }
}

/** Copies the upper triangle of a k x k matrix onto its lower triangle. */
function symmetrizeInPlace(M: Float64Array, k: number): void {
  for (let t = 0; t < k; t++) for (let s = 0; s < t; s++) M[t * k + s] = M[s * k + t];
}

/**
 * One sweep of {@link updateRowInPlace} over the rows of A (n x k, in place) with B (n x k).
 * When `gramOut` is given it receives AᵀA of the updated A (the same bits as `gramInto`),
 * accumulated while each row is in cache; `values` is then a scratch of length >= k.
 *
 * @returns the violation: sum of |projected gradient| over all coordinates.
 */
export function updateCoordinatesInPlace(
  A: Float64Array,
  G: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  l1: number,
  nz: Int32Array,
  gramOut: Float64Array | null = null,
  values: Float64Array | null = null,
): number {
  let violation = 0;
  if (gramOut !== null) gramOut.fill(0, 0, k * k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    violation += updateRowInPlace(A, base, G, B, base, k, l1, nz);
    if (gramOut !== null) accumulateRowGram(A, base, k, nz, values as Float64Array, gramOut);
  }
  if (gramOut !== null) symmetrizeInPlace(gramOut, k);
  return violation;
}

/** Adds `value` to the diagonal of a k x k matrix copied from `src` into `dst`. */
function copyWithDiagonalShift(src: Float64Array, dst: Float64Array, k: number, value: number): void {
  dst.set(src);
  if (value !== 0) for (let t = 0; t < k; t++) dst[t * k + t] += value;
}

/**
 * Runs coordinate descent from the given W (nDocs x k) and Ht (nTerms x k), both updated in
 * place. Reports the Frobenius objective after every iteration (computed from the products the
 * sweep already has, at a cost of O(nTerms·k)).
 */
export function fitCoordinateDescent(problem: SolverProblem, W: Float64Array, Ht: Float64Array): SolverOutcome {
  const { X, Xt, k, reg, maxIter, tol, updateH, onIteration, xNormSq } = problem;
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const HHt = new Float64Array(k * k);
  const WtW = new Float64Array(k * k);
  const G = new Float64Array(k * k);
  const XHt = new Float64Array(nDocs * k);
  const scratch = { nz: new Int32Array(k), values: new Float64Array(k) };
  const XtW = updateH ? new Float64Array(nTerms * k) : new Float64Array(0);

  // H·Hᵀ for the first W update; afterwards each H update accumulates it.
  gramInto(Ht, nTerms, k, HHt);
  if (!updateH) csrTransposeTimesDenseInto(Xt, Ht, k, XHt); // H fixed: X·Hᵀ once
  let violationInit = 0;
  let iteration = 0;
  let converged = false;
  while (iteration < maxIter) {
    iteration++;
    // W update (G = HHᵀ + l2W·I, B = X·Hᵀ), accumulating WᵀW.
    copyWithDiagonalShift(HHt, G, k, reg.l2W);
    // X·Hᵀ scattered from Hᵀ's rows through Xᵀ (reads Hᵀ sequentially; same sums as X·Hᵀ by rows).
    if (updateH) csrTransposeTimesDenseInto(Xt, Ht, k, XHt);
    let violation = updateCoordinatesInPlace(W, G, XHt, nDocs, k, reg.l1W, scratch.nz, WtW, scratch.values);
    let cross: number;
    if (updateH) {
      // H update (G = WᵀW + l2H·I, B = Xᵀ·W), accumulating HHᵀ.
      copyWithDiagonalShift(WtW, G, k, reg.l2H);
      csrTimesDenseInto(Xt, W, k, XtW);
      violation += updateCoordinatesInPlace(Ht, G, XtW, nTerms, k, reg.l1H, scratch.nz, HHt, scratch.values);
      cross = sumProducts(XtW, Ht, nTerms * k);
    } else {
      cross = sumProducts(XHt, W, nDocs * k);
    }
    const objective = frobeniusObjectiveFromParts(xNormSq, cross, sumProducts(WtW, HHt, k * k));
    checkFinite(W, Ht, iteration, violation + objective);
    if (onIteration) onIteration({ iteration, maxIter, objective });
    if (iteration === 1) violationInit = violation;
    if (violationInit === 0 || violation / violationInit <= tol) {
      converged = true;
      break;
    }
  }
  return { iterations: iteration, converged: converged || tol === 0 };
}
