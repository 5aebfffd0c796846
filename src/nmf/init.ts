/**
 * Initial W (nDocs x k) and H (k x nTerms) as scikit-learn 1.2's `_initialize_nmf`, with the
 * project's seeded generator in place of NumPy's.
 */
import { NumericalError } from "../errors.js";
import type { ParallelExecutor } from "../linalg/executor.js";
import type { Rng } from "../linalg/random.js";
import { csrTimesDenseInto, sumValues } from "../linalg/sparse.js";
import { randomizedSvd } from "../linalg/svd.js";
import type { CsrMatrix } from "../linalg/types.js";
import { computeRowNorms, sphericalKMeans } from "./kmeans.js";
import type { NmfOptions } from "./params.js";
import { ALS_RIDGE, choleskyInPlace, solveProjectedRowsInto } from "./solvers/als.js";

/** Entries of the NNDSVD factors below this are set to zero (scikit-learn's `eps=1e-6`). */
export const NNDSVD_EPS = 1e-6;

/** Initial factors: W nDocs x k and H k x nTerms (the caller's term order), row-major. */
export interface NmfFactors {
  W: Float64Array;
  H: Float64Array;
}

/** Options of {@link initializeFactors}. */
export interface InitOptions {
  /** Runs the SVD's products (X and Xt visible to its threads); the same bits with any executor. */
  executor?: ParallelExecutor;
  /**
   * When X's columns are a renumbering of the caller's (column c of X is the caller's column
   * `columnOrder[c]`): H is returned in the caller's column order and every random draw goes to
   * the same entry as without the renumbering.
   */
  columnOrder?: Int32Array;
}

/** Mean of all nDocs·nTerms entries of X (zeros included). */
export function computeMean(X: CsrMatrix): number {
  const size = X.nRows * X.nCols;
  return size > 0 ? sumValues(X) / size : 0;
}

/**
 * Throws the user-facing {@link NumericalError} when an NNDSVD init cannot give k topics.
 */
export function checkRankForInit(init: NmfOptions["init"], k: number, nDocs: number, nTerms: number): void {
  const minDim = Math.min(nDocs, nTerms);
  if (init !== "random" && init !== "kmeans" && k > minDim) {
    throw new NumericalError(
      `-k ${k} is larger than min(documents, terms) = ${minDim}; lower -k or use --init random`,
    );
  }
}

/**
 * Computes the initial W and H.
 *
 * - `random`: every entry `sqrt(mean(X) / k) · |N(0, 1)|`, H drawn first (row-major), then W.
 * - `nndsvd` (Boutsidis & Gallopoulos 2008): from the leading k singular triplets
 *   `X ≈ U diag(s) Vᵀ` ({@link randomizedSvd}, signs fixed on U): `W[:,0] = sqrt(s0)|U[:,0]|`,
 *   `H[0,:] = sqrt(s0)|V[:,0]|`; for j >= 1 the positive parts (x₊, y₊) or negative parts
 *   (x₋, y₋) of (U[:,j], V[:,j]), whichever has the larger `||x||·||y||` (the negative one on
 *   ties), normalised and scaled by `sqrt(s_j·||x||·||y||)`; then entries < 1e-6 set to 0.
 * - `nndsvda`: nndsvd with the zeros replaced by mean(X).
 * - `nndsvdar`: nndsvd with the zeros replaced by `|mean(X) · N(0, 1) / 100|` (W's zeros in
 *   row-major order, then H's).
 * - `kmeans`: spherical k-means++ on the normalised rows of X ({@link sphericalKMeans}); row t
 *   of H is centroid t (unit norm) times the mean L2 norm of the rows of cluster t, and W is one
 *   projected least-squares step `W = max(0, X·Hᵀ·(H·Hᵀ + 1e-10·trace(H·Hᵀ)/k·I)⁻¹)`. Zeros
 *   of W and H stay zero under `mu` (as with nndsvd); cd and als can leave them.
 *
 * @param Xt `transposeCsr(X)`, used by the randomized SVD.
 * @throws NumericalError when k > min(nDocs, nTerms) with an nndsvd init, or k > the number of
 *   non-empty rows with kmeans.
 */
export function initializeFactors(
  X: CsrMatrix,
  Xt: CsrMatrix,
  k: number,
  init: NmfOptions["init"],
  rng: Rng,
  options: InitOptions = {},
): NmfFactors {
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  checkRankForInit(init, k, nDocs, nTerms);
  const mean = computeMean(X);

  if (init === "random") {
    const scale = Math.sqrt(mean / k);
    const H = new Float64Array(k * nTerms);
    const W = new Float64Array(nDocs * k);
    for (let i = 0; i < H.length; i++) H[i] = scale * Math.abs(rng.nextNormal());
    for (let i = 0; i < W.length; i++) W[i] = scale * Math.abs(rng.nextNormal());
    return { W, H };
  }

  const { columnOrder } = options;
  if (init === "kmeans") return initializeKMeans(X, k, rng, columnOrder);
  const svd = randomizedSvd(X, Xt, k, rng, {
    ...(options.executor ? { executor: options.executor } : {}),
    ...(columnOrder ? { columnOrder } : {}),
  });
  const { U, s } = svd;
  let Vt = svd.Vt;
  if (columnOrder) {
    // Back to the caller's column order: Vt[t, columnOrder[c]] = svd.Vt[t, c].
    Vt = new Float64Array(k * nTerms);
    for (let t = 0; t < k; t++) {
      const base = t * nTerms;
      for (let c = 0; c < nTerms; c++) Vt[base + columnOrder[c]] = svd.Vt[base + c];
    }
  }
  const W = new Float64Array(nDocs * k);
  const H = new Float64Array(k * nTerms);
  const sq0 = Math.sqrt(s[0]);
  for (let i = 0; i < nDocs; i++) W[i * k] = sq0 * Math.abs(U[i * k]);
  for (let j = 0; j < nTerms; j++) H[j] = sq0 * Math.abs(Vt[j]);

  for (let c = 1; c < k; c++) {
    let xp = 0, xn = 0, yp = 0, yn = 0;
    for (let i = 0; i < nDocs; i++) {
      const v = U[i * k + c];
      if (v > 0) xp += v * v;
      else xn += v * v;
    }
    const vb = c * nTerms;
    for (let j = 0; j < nTerms; j++) {
      const v = Vt[vb + j];
      if (v > 0) yp += v * v;
      else yn += v * v;
    }
    xp = Math.sqrt(xp); xn = Math.sqrt(xn); yp = Math.sqrt(yp); yn = Math.sqrt(yn);
    const mp = xp * yp;
    const mn = xn * yn;
    const positive = mp > mn;
    const sigma = positive ? mp : mn;
    const xNorm = positive ? xp : xn;
    const yNorm = positive ? yp : yn;
    const lbd = Math.sqrt(s[c] * sigma);
    const sign = positive ? 1 : -1;
    for (let i = 0; i < nDocs; i++) {
      const v = sign * U[i * k + c];
      W[i * k + c] = v > 0 && xNorm > 0 ? lbd * (v / xNorm) : 0;
    }
    for (let j = 0; j < nTerms; j++) {
      const v = sign * Vt[vb + j];
      H[vb + j] = v > 0 && yNorm > 0 ? lbd * (v / yNorm) : 0;
    }
  }
  for (let i = 0; i < W.length; i++) if (W[i] < NNDSVD_EPS) W[i] = 0;
  for (let i = 0; i < H.length; i++) if (H[i] < NNDSVD_EPS) H[i] = 0;

  if (init === "nndsvda") {
    for (let i = 0; i < W.length; i++) if (W[i] === 0) W[i] = mean;
    for (let i = 0; i < H.length; i++) if (H[i] === 0) H[i] = mean;
  } else if (init === "nndsvdar") {
    for (let i = 0; i < W.length; i++) if (W[i] === 0) W[i] = Math.abs((mean * rng.nextNormal()) / 100);
    for (let i = 0; i < H.length; i++) if (H[i] === 0) H[i] = Math.abs((mean * rng.nextNormal()) / 100);
  }
  return { W, H };
}

/** The `kmeans` init of {@link initializeFactors}; H returned in the caller's column order. */
function initializeKMeans(X: CsrMatrix, k: number, rng: Rng, columnOrder: Int32Array | undefined): NmfFactors {
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const { assignment, centroids } = sphericalKMeans(X, k, rng);
  const norms = computeRowNorms(X);
  const scale = new Float64Array(k);
  const count = new Float64Array(k);
  for (let i = 0; i < nDocs; i++) {
    const c = assignment[i];
    if (c < 0) continue;
    scale[c] += norms[i];
    count[c]++;
  }
  const Ht = new Float64Array(nTerms * k);
  for (let t = 0; t < k; t++) {
    const s = count[t] > 0 ? scale[t] / count[t] : 0;
    for (let j = 0; j < nTerms; j++) Ht[j * k + t] = s * centroids[t * nTerms + j];
  }
  const G = new Float64Array(k * k);
  for (let j = 0; j < nTerms; j++) {
    const base = j * k;
    for (let a = 0; a < k; a++) {
      const v = Ht[base + a];
      if (v === 0) continue;
      for (let b = 0; b < k; b++) G[a * k + b] += v * Ht[base + b];
    }
  }
  let trace = 0;
  for (let t = 0; t < k; t++) trace += G[t * k + t];
  for (let t = 0; t < k; t++) G[t * k + t] += (ALS_RIDGE * trace) / k;
  choleskyInPlace(G, k);
  const W = new Float64Array(nDocs * k);
  csrTimesDenseInto(X, Ht, k, W);
  solveProjectedRowsInto(G, W, nDocs, k, W);
  const H = new Float64Array(k * nTerms);
  for (let t = 0; t < k; t++) {
    for (let c = 0; c < nTerms; c++) H[t * nTerms + (columnOrder ? columnOrder[c] : c)] = Ht[c * k + t];
  }
  return { W, H };
}
