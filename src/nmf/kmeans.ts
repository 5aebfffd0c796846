/**
 * Seeded spherical k-means++ on the L2-normalised rows of a sparse X (documents x terms), used by
 * `--init kmeans`. X is never densified: only the k centroids (k x nTerms) are dense.
 */
import { NumericalError } from "../errors.js";
import type { Rng } from "../linalg/random.js";
import type { CsrMatrix } from "../linalg/types.js";

/** Maximum number of Lloyd iterations of {@link sphericalKMeans}. */
export const KMEANS_MAX_ITER = 100;

/** Result of {@link sphericalKMeans}. */
export interface KMeansResult {
  /** Cluster of each row (nRows), -1 for the rows with no non-zero value. */
  assignment: Int32Array;
  /** k x nCols, row-major, each row of unit L2 norm: the normalised mean of its rows. */
  centroids: Float64Array;
  /** Lloyd iterations run (assignment steps). */
  iterations: number;
}

/** L2 norm of every row of X. */
export function computeRowNorms(X: CsrMatrix): Float64Array {
  const norms = new Float64Array(X.nRows);
  for (let i = 0; i < X.nRows; i++) {
    let s = 0;
    for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += X.data[p] * X.data[p];
    norms[i] = Math.sqrt(s);
  }
  return norms;
}

/** `x_i · C_c / ||x_i||` (the cosine of row i with the unit centroid c), or 0 for an empty row. */
function cosineWithCentroid(X: CsrMatrix, norms: Float64Array, i: number, C: Float64Array, c: number): number {
  const n = norms[i];
  if (n === 0) return 0;
  const base = c * X.nCols;
  let s = 0;
  for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) s += X.data[p] * C[base + X.indices[p]];
  return s / n;
}

/** Writes row i of X, normalised, into centroid c (zeroing it first). */
function setCentroidToRow(X: CsrMatrix, norms: Float64Array, i: number, C: Float64Array, c: number): void {
  const base = c * X.nCols;
  C.fill(0, base, base + X.nCols);
  for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) C[base + X.indices[p]] = X.data[p] / norms[i];
}

/**
 * Spherical k-means++ (cosine similarity) on the non-empty rows of X.
 *
 * Seeding (k-means++ on unit vectors, where the squared distance is `2·(1 - cos)`): the first
 * centroid is a non-empty row drawn uniformly (`rng.nextInt`), each next one a row drawn with
 * probability proportional to `1 - max cos` to the centroids so far (`rng.nextFloat() · total`
 * against the running sum in row order); when that total is 0 the lowest-index row not yet a
 * centroid is taken.
 * Lloyd iterations (at most {@link KMEANS_MAX_ITER}): assign each row to the centroid with the
 * largest cosine (ties to the lower index); an empty cluster takes the row least similar to its
 * own centroid (ties to the lower index) among clusters with more than one row; each centroid
 * becomes the normalised sum of its normalised rows. Stops when no assignment changes.
 *
 * @throws NumericalError when k exceeds the number of non-empty rows.
 */
export function sphericalKMeans(X: CsrMatrix, k: number, rng: Rng): KMeansResult {
  const nRows = X.nRows;
  const nCols = X.nCols;
  const norms = computeRowNorms(X);
  const rows: number[] = [];
  for (let i = 0; i < nRows; i++) if (norms[i] > 0) rows.push(i);
  if (k > rows.length) {
    throw new NumericalError(
      `-k ${k} is larger than the number of non-empty documents (${rows.length}); lower -k or use --init random`,
    );
  }
  const C = new Float64Array(k * nCols);
  const best = new Float64Array(nRows).fill(-Infinity);
  const chosen = new Uint8Array(nRows);
  let pick = rows[rng.nextInt(rows.length)];
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      let total = 0;
      for (const i of rows) total += Math.max(0, 1 - best[i]);
      pick = -1;
      if (total > 0) {
        const u = rng.nextFloat() * total;
        let acc = 0;
        for (const i of rows) {
          const w = Math.max(0, 1 - best[i]);
          if (w === 0) continue;
          acc += w;
          pick = i;
          if (acc > u) break;
        }
      }
      if (pick < 0 || chosen[pick]) pick = rows.find((i) => !chosen[i]) as number;
    }
    chosen[pick] = 1;
    setCentroidToRow(X, norms, pick, C, c);
    for (const i of rows) {
      const s = cosineWithCentroid(X, norms, i, C, c);
      if (s > best[i]) best[i] = s;
    }
  }

  const assignment = new Int32Array(nRows).fill(-1);
  const sim = new Float64Array(nRows);
  const sizes = new Int32Array(k);
  // Centroids transposed (nCols x k) for the assignment step: one contiguous k-row per stored entry.
  const Ct = new Float64Array(nCols * k);
  const dots = new Float64Array(k);
  let iterations = 0;
  for (let it = 1; it <= KMEANS_MAX_ITER; it++) {
    iterations = it;
    let changed = false;
    sizes.fill(0);
    for (let c = 0; c < k; c++) for (let j = 0; j < nCols; j++) Ct[j * k + c] = C[c * nCols + j];
    for (const i of rows) {
      dots.fill(0);
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) {
        const v = X.data[p];
        const base = X.indices[p] * k;
        for (let c = 0; c < k; c++) dots[c] += v * Ct[base + c];
      }
      let arg = 0;
      let top = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dots[c] / norms[i];
        if (s > top) { top = s; arg = c; }
      }
      if (assignment[i] !== arg) changed = true;
      assignment[i] = arg;
      sim[i] = top;
      sizes[arg]++;
    }
    for (let c = 0; c < k; c++) {
      if (sizes[c] > 0) continue;
      let far = -1;
      for (const i of rows) if (sizes[assignment[i]] > 1 && (far < 0 || sim[i] < sim[far])) far = i;
      sizes[assignment[far]]--;
      assignment[far] = c;
      sizes[c] = 1;
      sim[far] = 1;
      changed = true;
    }
    if (!changed && it > 1) break;
    C.fill(0);
    for (const i of rows) {
      const base = assignment[i] * nCols;
      const n = norms[i];
      for (let p = X.indptr[i]; p < X.indptr[i + 1]; p++) C[base + X.indices[p]] += X.data[p] / n;
    }
    for (let c = 0; c < k; c++) {
      const base = c * nCols;
      let s = 0;
      for (let j = 0; j < nCols; j++) s += C[base + j] * C[base + j];
      const n = Math.sqrt(s);
      if (n > 0) for (let j = 0; j < nCols; j++) C[base + j] /= n;
    }
  }
  return { assignment, centroids: C, iterations };
}
