/**
 * Initial W (nDocs x k) and H (k x nTerms) as scikit-learn 1.2's `_initialize_nmf`, with the
 * project's seeded generator in place of NumPy's.
 */
import { NumericalError } from "../errors.js";
import { transposeDense, transposeDenseInto } from "../linalg/dense.js";
import { serialExecutor, type ParallelExecutor, type ParallelKernel } from "../linalg/executor.js";
import type { Rng } from "../linalg/random.js";
import { csrTimesDenseInto, sumValues } from "../linalg/sparse.js";
import { randomizedSvdColumns, type TruncatedSvdColumns } from "../linalg/svd.js";
import type { CsrMatrix } from "../linalg/types.js";
import { computeRowNorms, sphericalKMeans } from "./kmeans.js";
import { permuteTermsTransposedInto, restoreTermOrder } from "./layout.js";
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
  /** `computeMean(X)` when the caller has it already (the same value: a pass over X saved). */
  mean?: number;
}

/** Mean of all nDocs·nTerms entries of X (zeros included). */
export function computeMean(X: CsrMatrix): number {
  const size = X.nRows * X.nCols;
  return size > 0 ? sumValues(X) / size : 0;
}

/** mean(X) from the sum of its stored values, as {@link computeMean} computes it. */
export function meanFromSum(X: CsrMatrix, sum: number): number {
  const size = X.nRows * X.nCols;
  return size > 0 ? sum / size : 0;
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
 *   `X ≈ U diag(s) Vᵀ` ({@link randomizedSvdColumns}, signs fixed on U): `W[:,0] = sqrt(s0)|U[:,0]|`,
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
  const W = new Float64Array(X.nRows * k);
  const Ht = new Float64Array(X.nCols * k);
  initializeFactorsInto(X, Xt, k, init, rng, W, Ht, options);
  const { columnOrder } = options;
  return { W, H: columnOrder ? restoreTermOrder(Ht, columnOrder, k) : transposeDense(Ht, X.nCols, k) };
}

/**
 * {@link initializeFactors} writing W (nDocs x k) and Hᵀ (nTerms x k, X's column order: the
 * solvers' layout) into the caller's zero-filled arrays, with the same values. The fit uses it:
 * no H in the caller's order is built only to be permuted back.
 */
export function initializeFactorsInto(
  X: CsrMatrix,
  Xt: CsrMatrix,
  k: number,
  init: NmfOptions["init"],
  rng: Rng,
  W: Float64Array,
  Ht: Float64Array,
  options: InitOptions = {},
): void {
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  checkRankForInit(init, k, nDocs, nTerms);
  const mean = options.mean ?? computeMean(X);
  const { columnOrder } = options;

  if (init === "random") {
    const scale = Math.sqrt(mean / k);
    const H = new Float64Array(k * nTerms);
    rng.fillNormal(H);
    rng.fillNormal(W);
    for (let i = 0; i < H.length; i++) H[i] = scale * Math.abs(H[i]);
    for (let i = 0; i < W.length; i++) W[i] = scale * Math.abs(W[i]);
    if (columnOrder) permuteTermsTransposedInto(H, columnOrder, k, Ht);
    else transposeDenseInto(H, k, nTerms, Ht);
    return;
  }
  if (init === "kmeans") {
    initializeKMeansInto(X, k, rng, W, Ht);
    return;
  }
  const svd = randomizedSvdColumns(X, Xt, k, rng, {
    ...(options.executor ? { executor: options.executor } : {}),
    ...(columnOrder ? { columnOrder } : {}),
  });
  nndsvdInto(svd, init, mean, rng, columnOrder, W, Ht, options.executor ?? serialExecutor);
}

/** Per column c of NNDSVD: the side taken (+1 positive parts, -1 negative), the norms of its parts and its scale. */
interface NndsvdColumns {
  sign: Float64Array;
  xNorm: Float64Array;
  yNorm: Float64Array;
  lbd: Float64Array;
}

/**
 * The NNDSVD factors (see {@link initializeFactors}) from the SVD's U (nDocs x k) and V (nTerms
 * x k, X's column order) into W and Ht, the thresholding and the nndsvda fill done as each entry
 * is written. The norms of V's parts are summed in the caller's column order (through the
 * inverse of `columnOrder`), as they were over H's rows before the renumbering; nndsvdar draws
 * for W's zeros in row-major order, then for H's in the caller's row-major order.
 */
function nndsvdInto(
  svd: TruncatedSvdColumns,
  init: "nndsvd" | "nndsvda" | "nndsvdar",
  mean: number,
  rng: Rng,
  columnOrder: Int32Array | undefined,
  W: Float64Array,
  Ht: Float64Array,
  executor: ParallelExecutor,
): void {
  const { U, V, k } = svd;
  const nDocs = U.length / k;
  const nTerms = V.length / k;
  const rank = executor.createInt32Array(nTerms);
  for (let c = 0; c < nTerms; c++) rank[columnOrder ? columnOrder[c] : c] = c;
  const task: NndsvdTask = {
    U,
    s: executor.share(svd.s),
    V,
    rank,
    nDocs,
    nTerms,
    k,
    fill: init === "nndsvda" ? mean : 0,
    cols: executor.createFloat64Array(8 * k),
    W,
    Ht,
  };
  executor.runChunks(nndsvdKernel, task, 1, 0);
  if (init === "nndsvdar") {
    for (let i = 0; i < W.length; i++) if (W[i] === 0) W[i] = Math.abs((mean * rng.nextNormal()) / 100);
    for (let t = 0; t < k; t++) {
      for (let j = 0; j < nTerms; j++) {
        const e = rank[j] * k + t;
        if (Ht[e] === 0) Ht[e] = Math.abs((mean * rng.nextNormal()) / 100);
      }
    }
  }
}

/**
 * Task of {@link nndsvdKernel}: the NNDSVD factors W (nDocs x k) and Ht (nTerms x k) from the
 * SVD's U, s and V (V's row `rank[j]` is the caller's column j), thresholded, zeros set to
 * `fill`; `cols` is scratch of 8k values.
 */
export interface NndsvdTask {
  U: Float64Array;
  s: Float64Array;
  V: Float64Array;
  rank: Int32Array;
  nDocs: number;
  nTerms: number;
  k: number;
  fill: number;
  cols: Float64Array;
  W: Float64Array;
  Ht: Float64Array;
}

/**
 * Chunk 0 (the only one) computes the NNDSVD factors: as WebAssembly (assembly/init.ts
 * nndsvdFactors) when the executor passes its kernels, else {@link computeNndsvdFactors}.
 */
export const nndsvdKernel: ParallelKernel<NndsvdTask> = {
  name: "nmf.nndsvd",
  run(task, _chunk, native) {
    if (native === null) {
      computeNndsvdFactors(task);
      return;
    }
    const { U, s, V, rank, W, Ht } = task;
    native.nndsvdFactors(
      U.byteOffset, s.byteOffset, V.byteOffset, rank.byteOffset, task.nDocs, task.nTerms, task.k, task.fill,
      task.cols.byteOffset, W.byteOffset, Ht.byteOffset,
    );
  },
};

/** The JavaScript NNDSVD factors of an {@link NndsvdTask} (the twin of assembly/init.ts nndsvdFactors). */
export function computeNndsvdFactors(task: NndsvdTask): void {
  const { U, s, V, rank, nDocs, nTerms, k, fill, W, Ht } = task;
  const cols = nndsvdColumns(U, V, s, rank, k);
  const sq0 = Math.sqrt(s[0]);
  for (let i = 0; i < nDocs; i++) {
    const base = i * k;
    W[base] = thresholded(sq0 * Math.abs(U[base]), fill);
    for (let c = 1; c < k; c++) W[base + c] = thresholded(nndsvdEntry(U[base + c], c, cols.sign, cols.xNorm, cols.lbd), fill);
  }
  for (let q = 0; q < nTerms; q++) {
    const base = q * k;
    Ht[base] = thresholded(sq0 * Math.abs(V[base]), fill);
    for (let c = 1; c < k; c++) Ht[base + c] = thresholded(nndsvdEntry(V[base + c], c, cols.sign, cols.yNorm, cols.lbd), fill);
  }
}

/**
 * Signs, norms and scales of NNDSVD's columns 1..k-1: the squares of U's positive and negative
 * entries summed over its rows in order, those of V's over the caller's columns in order
 * (`rank[j]` is the row of V of the caller's column j), each column a sum of its own.
 */
function nndsvdColumns(U: Float64Array, V: Float64Array, s: Float64Array, rank: Int32Array, k: number): NndsvdColumns {
  const nDocs = U.length / k;
  const nTerms = V.length / k;
  const xp = new Float64Array(k);
  const xn = new Float64Array(k);
  const yp = new Float64Array(k);
  const yn = new Float64Array(k);
  for (let i = 0; i < nDocs; i++) {
    const base = i * k;
    for (let c = 1; c < k; c++) {
      const v = U[base + c];
      if (v > 0) xp[c] += v * v;
      else xn[c] += v * v;
    }
  }
  for (let j = 0; j < nTerms; j++) {
    const base = rank[j] * k;
    for (let c = 1; c < k; c++) {
      const v = V[base + c];
      if (v > 0) yp[c] += v * v;
      else yn[c] += v * v;
    }
  }
  const cols: NndsvdColumns = { sign: new Float64Array(k), xNorm: new Float64Array(k), yNorm: new Float64Array(k), lbd: new Float64Array(k) };
  for (let c = 1; c < k; c++) {
    const xpn = Math.sqrt(xp[c]), xnn = Math.sqrt(xn[c]), ypn = Math.sqrt(yp[c]), ynn = Math.sqrt(yn[c]);
    const mp = xpn * ypn;
    const mn = xnn * ynn;
    const positive = mp > mn;
    cols.sign[c] = positive ? 1 : -1;
    cols.xNorm[c] = positive ? xpn : xnn;
    cols.yNorm[c] = positive ? ypn : ynn;
    cols.lbd[c] = Math.sqrt(s[c] * (positive ? mp : mn));
  }
  return cols;
}

/** Entry of NNDSVD's column c >= 1 from the singular vector's entry u: `lbd·(sign·u / norm)` where positive, else 0. */
function nndsvdEntry(u: number, c: number, sign: Float64Array, norm: Float64Array, lbd: Float64Array): number {
  const v = sign[c] * u;
  return v > 0 && norm[c] > 0 ? lbd[c] * (v / norm[c]) : 0;
}

/** NNDSVD's threshold: values below 1e-6 become 0, then zeros become `fill` (mean(X) for nndsvda, else 0). */
function thresholded(value: number, fill: number): number {
  const v = value < NNDSVD_EPS ? 0 : value;
  return v === 0 ? fill : v;
}

/** The `kmeans` init of {@link initializeFactors}: W and Hᵀ (X's column order) into zero-filled arrays. */
function initializeKMeansInto(X: CsrMatrix, k: number, rng: Rng, W: Float64Array, Ht: Float64Array): void {
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
  csrTimesDenseInto(X, Ht, k, W);
  solveProjectedRowsInto(G, W, nDocs, k, W);
}
