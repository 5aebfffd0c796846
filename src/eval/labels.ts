/**
 * Agreement between documents' labels and their dominant topics: normalized mutual information and
 * adjusted Rand index exactly as scikit-learn 1.2.1 computes them
 * (`sklearn/metrics/cluster/_supervised.py`, special cases included), and purity.
 * Labels and clusters are arbitrary integers (negative and gapped values are fine); only equality matters.
 */

/** Smallest double d with 1 + d !== 1 (numpy's `finfo(float64).eps`). */
const EPS = Number.EPSILON;

/**
 * Sparse contingency table of two labelings: the non-empty cells `(class, cluster)` in row-major
 * order (classes, then clusters, in increasing value order), and the marginals.
 */
interface Contingency {
  readonly n: number;
  /** number of distinct labels, distinct clusters */
  readonly nClasses: number;
  readonly nClusters: number;
  readonly cellClass: Int32Array;
  readonly cellCluster: Int32Array;
  readonly cellCount: Float64Array;
  /** documents per class (length nClasses), per cluster (length nClusters) */
  readonly classSizes: Float64Array;
  readonly clusterSizes: Float64Array;
}

/** Dense codes 0..u-1 of the values of `v`, in increasing value order (numpy `unique(return_inverse)`). */
function encodeValues(v: Int32Array): { codes: Int32Array; nUnique: number } {
  let min = 0;
  let max = -1;
  if (v.length > 0) {
    min = v[0];
    max = v[0];
    for (let i = 1; i < v.length; i++) {
      if (v[i] < min) min = v[i];
      else if (v[i] > max) max = v[i];
    }
  }
  // Labels and topics are small numbers: count them instead of sorting (the codes are the same).
  return max - min <= v.length + 1024 ? encodeSmallRange(v, min, max) : encodeBySorting(v);
}

/**
 * {@link encodeValues} when every value lies in `min..max`: a table of the values present, numbered
 * in order. Values that are already the codes 0..u-1 (label codes, topic numbers) are returned as
 * they are (callers only read them).
 */
function encodeSmallRange(v: Int32Array, min: number, max: number): { codes: Int32Array; nUnique: number } {
  const codeOf = new Int32Array(max - min + 1);
  for (let i = 0; i < v.length; i++) codeOf[v[i] - min] = 1;
  let nUnique = 0;
  for (let x = 0; x < codeOf.length; x++) if (codeOf[x] !== 0) codeOf[x] = nUnique++;
  if (min === 0 && nUnique === codeOf.length) return { codes: v, nUnique };
  const codes = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) codes[i] = codeOf[v[i] - min];
  return { codes, nUnique };
}

/** {@link encodeValues} for values spread widely: sorted distinct values and a map to their rank. */
function encodeBySorting(v: Int32Array): { codes: Int32Array; nUnique: number } {
  const sorted = Int32Array.from(v).sort();
  let nUnique = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[nUnique++] = sorted[i];
  }
  const index = new Map<number, number>();
  for (let u = 0; u < nUnique; u++) index.set(sorted[u], u);
  const codes = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) codes[i] = index.get(v[i]) as number;
  return { codes, nUnique };
}

function buildContingency(labels: Int32Array, clusters: Int32Array, caller: string): Contingency {
  if (labels.length !== clusters.length) {
    throw new RangeError(`${caller}: ${labels.length} labels but ${clusters.length} clusters`);
  }
  const n = labels.length;
  const { codes: ci, nUnique: nClasses } = encodeValues(labels);
  const { codes: kj, nUnique: nClusters } = encodeValues(clusters);
  const cells =
    nClasses * nClusters <= n + 1024 ? countCellsDense(ci, kj, nClasses, nClusters) : countCellsBySorting(ci, kj, nClusters);
  // Marginals from the cells: whole numbers, so the order of the additions does not matter.
  const classSizes = new Float64Array(nClasses);
  const clusterSizes = new Float64Array(nClusters);
  for (let c = 0; c < cells.cellCount.length; c++) {
    classSizes[cells.cellClass[c]] += cells.cellCount[c];
    clusterSizes[cells.cellCluster[c]] += cells.cellCount[c];
  }
  return { n, nClasses, nClusters, ...cells, classSizes, clusterSizes };
}

/** The non-empty cells of the table, row-major (class, then cluster). */
interface Cells {
  readonly cellClass: Int32Array;
  readonly cellCluster: Int32Array;
  readonly cellCount: Float64Array;
}

/** {@link Cells} from a full nClasses x nClusters table of counts, read in row-major order. */
function countCellsDense(ci: Int32Array, kj: Int32Array, nClasses: number, nClusters: number): Cells {
  const table = new Int32Array(nClasses * nClusters);
  for (let d = 0; d < ci.length; d++) table[ci[d] * nClusters + kj[d]]++;
  let nCells = 0;
  for (let c = 0; c < table.length; c++) if (table[c] !== 0) nCells++;
  const cellClass = new Int32Array(nCells);
  const cellCluster = new Int32Array(nCells);
  const cellCount = new Float64Array(nCells);
  let cell = 0;
  for (let i = 0; i < nClasses; i++) {
    for (let j = 0; j < nClusters; j++) {
      const count = table[i * nClusters + j];
      if (count === 0) continue;
      cellClass[cell] = i;
      cellCluster[cell] = j;
      cellCount[cell++] = count;
    }
  }
  return { cellClass, cellCluster, cellCount };
}

/** {@link Cells} from the sorted keys `class * nClusters + cluster` of the documents (a table too large to hold). */
function countCellsBySorting(ci: Int32Array, kj: Int32Array, nClusters: number): Cells {
  const n = ci.length;
  const keys = new Float64Array(n);
  for (let d = 0; d < n; d++) keys[d] = ci[d] * nClusters + kj[d];
  keys.sort();
  let nCells = 0;
  for (let d = 0; d < n; d++) if (d === 0 || keys[d] !== keys[d - 1]) nCells++;
  const cellClass = new Int32Array(nCells);
  const cellCluster = new Int32Array(nCells);
  const cellCount = new Float64Array(nCells);
  let c = -1;
  for (let d = 0; d < n; d++) {
    if (d === 0 || keys[d] !== keys[d - 1]) {
      c++;
      cellClass[c] = Math.floor(keys[d] / nClusters);
      cellCluster[c] = keys[d] - cellClass[c] * nClusters;
    }
    cellCount[c]++;
  }
  return { cellClass, cellCluster, cellCount };
}

/** Entropy in nats of a labeling given its (positive) class sizes: `-sum_i (n_i/n) (ln n_i - ln n)`; 0 for one class. */
function entropyOfSizes(sizes: Float64Array): number {
  if (sizes.length === 1) return 0;
  let n = 0;
  for (let i = 0; i < sizes.length; i++) n += sizes[i];
  const logN = Math.log(n);
  let h = 0;
  for (let i = 0; i < sizes.length; i++) h += (sizes[i] / n) * (Math.log(sizes[i]) - logN);
  return -h;
}

/**
 * Mutual information in nats of the table (sklearn `mutual_info_score`):
 * `MI = sum_{ij} (n_ij/N) (ln n_ij - ln N) + (n_ij/N) (ln N + ln N - ln(a_i b_j))` over non-empty cells,
 * each term below machine epsilon in magnitude set to 0, the sum clipped at 0; 0 when either
 * labeling has a single value.
 */
function mutualInfo(t: Contingency): number {
  if (t.nClasses === 1 || t.nClusters === 1) return 0;
  const n = t.n;
  const logN = Math.log(n);
  let mi = 0;
  for (let c = 0; c < t.cellCount.length; c++) {
    const nij = t.cellCount[c];
    const pij = nij / n;
    const outer = t.classSizes[t.cellClass[c]] * t.clusterSizes[t.cellCluster[c]];
    const logOuter = -Math.log(outer) + logN + logN;
    const term = pij * (Math.log(nij) - logN) + pij * logOuter;
    if (Math.abs(term) >= EPS) mi += term;
  }
  return Math.max(mi, 0);
}

/**
 * Normalized mutual information of two labelings of the same documents, equal to scikit-learn's
 * `normalized_mutual_info_score(labels, clusters, average_method="arithmetic")`:
 * `NMI = MI(U, V) / ((H(U) + H(V)) / 2)` in nats. Special cases as in scikit-learn: 1.0 when both
 * labelings have a single value or there are no documents; 0.0 when MI = 0 (in particular when
 * exactly one labeling has a single value).
 *
 * @param labels true class of every document (length n)
 * @param clusters predicted cluster (topic) of every document (length n)
 * @returns a value in [0, 1], symmetric in its arguments
 */
export function normalizedMutualInfo(labels: Int32Array, clusters: Int32Array): number {
  return nmiOfTable(buildContingency(labels, clusters, "normalizedMutualInfo"));
}

/** {@link normalizedMutualInfo} of a contingency table. */
function nmiOfTable(t: Contingency): number {
  if (t.nClasses === t.nClusters && (t.nClasses === 1 || t.nClasses === 0)) return 1;
  const mi = mutualInfo(t);
  if (mi === 0) return 0;
  const hTrue = entropyOfSizes(t.classSizes);
  const hPred = entropyOfSizes(t.clusterSizes);
  return mi / ((hTrue + hPred) / 2);
}

/**
 * Adjusted Rand index of two labelings, equal to scikit-learn's `adjusted_rand_score`. From the pair
 * confusion matrix (ordered pairs of distinct documents: tp together in both, fp together only in
 * `clusters`, fn together only in `labels`, tn apart in both):
 * `ARI = 2 (tp tn - fn fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))`, and 1.0 when fn = fp = 0
 * (identical partitions, a single document, or none). The products are computed exactly with BigInt
 * and rounded once, as Python's integers are. Counts must stay below 2^53 (n below ~94 million).
 *
 * @returns a value in [-1, 1]; 1 for identical partitions, about 0 for random ones
 */
export function adjustedRandIndex(labels: Int32Array, clusters: Int32Array): number {
  return ariOfTable(buildContingency(labels, clusters, "adjustedRandIndex"));
}

/** {@link adjustedRandIndex} of a contingency table. */
function ariOfTable(t: Contingency): number {
  let sumSquares = 0;
  for (let c = 0; c < t.cellCount.length; c++) sumSquares += t.cellCount[c] * t.cellCount[c];
  let sumClass2 = 0;
  for (let i = 0; i < t.nClasses; i++) sumClass2 += t.classSizes[i] * t.classSizes[i];
  let sumCluster2 = 0;
  for (let j = 0; j < t.nClusters; j++) sumCluster2 += t.clusterSizes[j] * t.clusterSizes[j];
  const n = BigInt(t.n);
  const sq = BigInt(sumSquares);
  const tp = sq - n;
  const fp = BigInt(sumCluster2) - sq;
  const fn = BigInt(sumClass2) - sq;
  const tn = n * n - fp - fn - sq;
  if (fn === 0n && fp === 0n) return 1;
  return (2 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/**
 * Purity of the clusters with respect to the labels: `(1/n) sum_k max_c |cluster k ∩ class c|`, the
 * share of documents whose cluster's most frequent label is their own. In (0, 1]; 1.0 when there are
 * no documents (as scikit-learn scores empty labelings).
 */
export function purity(labels: Int32Array, clusters: Int32Array): number {
  return purityOfTable(buildContingency(labels, clusters, "purity"));
}

/** {@link purity} of a contingency table. */
function purityOfTable(t: Contingency): number {
  if (t.n === 0) return 1;
  const best = new Float64Array(t.nClusters);
  for (let c = 0; c < t.cellCount.length; c++) {
    const k = t.cellCluster[c];
    if (t.cellCount[c] > best[k]) best[k] = t.cellCount[c];
  }
  let sum = 0;
  for (let k = 0; k < t.nClusters; k++) sum += best[k];
  return sum / t.n;
}

/**
 * {@link normalizedMutualInfo}, {@link adjustedRandIndex} and {@link purity} of the same two
 * labelings, the same numbers, from one contingency table instead of three.
 */
export function labelAgreement(labels: Int32Array, clusters: Int32Array): { nmi: number; ari: number; purity: number } {
  const t = buildContingency(labels, clusters, "labelAgreement");
  return { nmi: nmiOfTable(t), ari: ariOfTable(t), purity: purityOfTable(t) };
}

/**
 * Dominant topic of every document: `topic[d] = argmax_t W[d, t]`, the first (lowest) t on ties, so
 * an all-zero row goes to topic 0 (numpy `argmax` semantics).
 *
 * @param W documents x topics, row-major, length nDocs * k
 * @returns Int32Array of length nDocs with values in 0..k-1
 */
export function argmaxTopics(W: Float64Array, nDocs: number, k: number): Int32Array {
  if (W.length !== nDocs * k) throw new RangeError(`argmaxTopics: W has ${W.length} values, expected ${nDocs} x ${k}`);
  if (k < 1 && nDocs > 0) throw new RangeError("argmaxTopics: k must be at least 1");
  const out = new Int32Array(nDocs);
  for (let d = 0; d < nDocs; d++) {
    const row = d * k;
    let best = 0;
    let bestValue = W[row];
    for (let t = 1; t < k; t++) {
      if (W[row + t] > bestValue) {
        bestValue = W[row + t];
        best = t;
      }
    }
    out[d] = best;
  }
  return out;
}
