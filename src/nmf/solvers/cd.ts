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
import { dotProduct, frobeniusObjectiveFromParts } from "../objective.js";
import { checkFinite, type SolverOutcome, type SolverProblem } from "./types.js";

/**
 * One sweep of coordinate updates over the rows of A (n x k, updated in place) for the
 * quadratic `0.5·aᵀGa - bᵀa + l1·sum(a)` of each row, G k x k (with the l2 term on its
 * diagonal), B n x k. Rows are independent; within a row topics go in order, each update seeing
 * the previous ones, exactly as scikit-learn's `_update_cdnmf_fast`. Zero entries of the row are
 * skipped in the gradient sum (which changes no bit of it).
 *
 * @param nz scratch Int32Array of length >= k (indices of the row's non-zeros, kept sorted).
 * @returns the sum of the absolute projected gradients (the violation).
 */
export function updateCoordinatesInPlace(
  A: Float64Array,
  G: Float64Array,
  B: Float64Array,
  n: number,
  k: number,
  l1: number,
  nz: Int32Array,
): number {
  let violation = 0;
  const k4 = k - (k & 3);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    // Sorted list of the row's non-zero positions.
    let count = 0;
    for (let r = 0; r < k; r++) if (A[base + r] !== 0) nz[count++] = r;
    if (2 * count > k) {
      // Mostly dense row: plain dot products over the whole row (same sums, fewer branches).
      for (let t = 0; t < k; t++) {
        const gb = t * k;
        let grad = l1 - B[base + t];
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
      continue;
    }
    for (let t = 0; t < k; t++) {
      const gb = t * k;
      let grad = l1 - B[base + t];
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
  }
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
  const XtW = updateH ? new Float64Array(nTerms * k) : new Float64Array(0);
  const nz = new Int32Array(k);
  const gs = { idx: new Int32Array(k), val: new Float64Array(k) };

  gramInto(Ht, nTerms, k, HHt, gs);
  if (!updateH) csrTransposeTimesDenseInto(Xt, Ht, k, XHt); // H fixed: X·Hᵀ once
  let violationInit = 0;
  let iteration = 0;
  let converged = false;
  while (iteration < maxIter) {
    iteration++;
    // W update
    copyWithDiagonalShift(HHt, G, k, reg.l2W);
    if (updateH) csrTransposeTimesDenseInto(Xt, Ht, k, XHt);
    let violation = updateCoordinatesInPlace(W, G, XHt, nDocs, k, reg.l1W, nz);
    gramInto(W, nDocs, k, WtW, gs);
    let cross: number;
    if (updateH) {
      // H update
      copyWithDiagonalShift(WtW, G, k, reg.l2H);
      csrTimesDenseInto(Xt, W, k, XtW);
      violation += updateCoordinatesInPlace(Ht, G, XtW, nTerms, k, reg.l1H, nz);
      gramInto(Ht, nTerms, k, HHt, gs);
      cross = dotProduct(XtW, Ht, nTerms * k);
    } else {
      cross = dotProduct(XHt, W, nDocs * k);
    }
    const objective = frobeniusObjectiveFromParts(xNormSq, cross, dotProduct(WtW, HHt, k * k));
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
