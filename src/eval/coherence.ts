/**
 * Topic quality from the top words alone: NPMI coherence (document co-occurrence in the fitted
 * corpus) and topic diversity. Definitions are those of `../shared/bench/sklearn_ref.py`, so the
 * numbers can be compared with the scikit-learn reference runs.
 */
import type { CsrMatrix } from "../linalg/types.js";

/** Guard added to `-ln P(i,j)` so that a pair present in every document (P(i,j) = 1) gives 0, not 0/0. */
const NPMI_EPS = 1e-12;

/**
 * Document lists of a subset of terms: the columns of `B = (X > 0)` for the selected terms only,
 * built by one counting transpose of those columns. Documents are sorted ascending in every list.
 */
interface Postings {
  /** slot of term j, or -1 when j was not selected; length nTerms */
  readonly slotOfTerm: Int32Array;
  /** list of slot s is `docs[ptr[s] .. ptr[s+1])`; length nSlots + 1 */
  readonly ptr: Int32Array;
  readonly docs: Int32Array;
}

function buildPostings(X: CsrMatrix, topTerms: readonly Int32Array[]): Postings {
  const slotOfTerm = new Int32Array(X.nCols).fill(-1);
  let nSlots = 0;
  for (let t = 0; t < topTerms.length; t++) {
    const list = topTerms[t];
    for (let a = 0; a < list.length; a++) {
      const j = list[a];
      if (!(j >= 0 && j < X.nCols)) {
        throw new RangeError(`npmiCoherence: topic ${t} has term index ${j}, outside 0..${X.nCols - 1}`);
      }
      if (slotOfTerm[j] < 0) slotOfTerm[j] = nSlots++;
    }
  }
  const { indptr, indices, data } = X;
  const nnz = indptr[X.nRows];
  const ptr = new Int32Array(nSlots + 1);
  for (let p = 0; p < nnz; p++) {
    const s = slotOfTerm[indices[p]];
    if (s >= 0 && data[p] > 0) ptr[s + 1]++;
  }
  for (let s = 0; s < nSlots; s++) ptr[s + 1] += ptr[s];
  const next = ptr.slice(0, nSlots);
  const docs = new Int32Array(ptr[nSlots]);
  // Rows in increasing order, so every list comes out sorted.
  for (let r = 0; r < X.nRows; r++) {
    for (let p = indptr[r], end = indptr[r + 1]; p < end; p++) {
      const s = slotOfTerm[indices[p]];
      if (s >= 0 && data[p] > 0) docs[next[s]++] = r;
    }
  }
  return { slotOfTerm, ptr, docs };
}

/** First position in `docs[lo..hi)` holding a value >= v (sorted ascending). */
function lowerBound(docs: Int32Array, lo: number, hi: number, v: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Size of the intersection of the sorted lists `docs[a0..a1)` and `docs[b0..b1)`: a linear merge,
 * or binary searches of the shorter list's values in the longer one when that is cheaper.
 */
function countIntersection(docs: Int32Array, a0: number, a1: number, b0: number, b1: number): number {
  let na = a1 - a0;
  let nb = b1 - b0;
  if (na > nb) {
    [a0, a1, b0, b1] = [b0, b1, a0, a1];
    [na, nb] = [nb, na];
  }
  if (na === 0) return 0;
  let count = 0;
  if (na * Math.log2(nb + 1) < na + nb) {
    let lo = b0;
    for (let p = a0; p < a1 && lo < b1; p++) {
      lo = lowerBound(docs, lo, b1, docs[p]);
      if (lo < b1 && docs[lo] === docs[p]) count++;
    }
    return count;
  }
  let p = a0;
  let q = b0;
  while (p < a1 && q < b1) {
    const x = docs[p];
    const y = docs[q];
    if (x === y) {
      count++;
      p++;
      q++;
    } else if (x < y) p++;
    else q++;
  }
  return count;
}

/**
 * NPMI coherence of every topic, from document co-occurrence of its top terms in X.
 *
 * With `B = (X > 0)` (documents x terms), `N = X.nRows`, `df(i)` the number of documents containing
 * term i and `df(i,j)` the number containing both i and j:
 *   `P(i) = df(i)/N`, `P(i,j) = df(i,j)/N`,
 *   `NPMI(i,j) = ln(P(i,j) / (P(i) P(j))) / (-ln P(i,j) + 1e-12)`, and `NPMI(i,j) = -1` when `P(i,j) = 0`.
 * A topic's coherence is the mean of NPMI over the unordered pairs (a < b) of positions in its
 * list (45 pairs for 10 words), so it lies in [-1, 1]. A topic with fewer than two terms has no
 * pair: its coherence is NaN.
 *
 * Cost: one pass over the non-zeros of X to collect the document lists of the terms that appear in
 * some top list (a transpose restricted to those columns), then one sorted-list intersection per pair.
 *
 * @param X documents x terms, CSR (any non-negative weights; only `X > 0` matters)
 * @param topTerms per topic, the term indices (columns of X) of its top words
 * @returns per topic, its mean NPMI; same length and order as `topTerms`
 */
export function npmiCoherence(X: CsrMatrix, topTerms: readonly Int32Array[]): number[] {
  const { slotOfTerm, ptr, docs } = buildPostings(X, topTerms);
  const n = X.nRows;
  const out: number[] = [];
  for (const list of topTerms) {
    const m = list.length;
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < m; a++) {
      const sa = slotOfTerm[list[a]];
      const pi = (ptr[sa + 1] - ptr[sa]) / n;
      for (let b = a + 1; b < m; b++) {
        const sb = slotOfTerm[list[b]];
        const dfab = countIntersection(docs, ptr[sa], ptr[sa + 1], ptr[sb], ptr[sb + 1]);
        pairs++;
        if (dfab <= 0) {
          sum += -1;
          continue;
        }
        const pij = dfab / n;
        const pj = (ptr[sb + 1] - ptr[sb]) / n;
        sum += Math.log(pij / (pi * pj)) / (-Math.log(pij) + NPMI_EPS);
      }
    }
    out.push(pairs > 0 ? sum / pairs : NaN);
  }
  return out;
}

/**
 * Mean of the per-topic coherences returned by {@link npmiCoherence} ("npmi_mean" of the reference):
 * `(1/k) * sum_t coherence[t]`; NaN when there are no topics.
 */
export function meanNpmi(coherence: readonly number[]): number {
  if (coherence.length === 0) return NaN;
  let sum = 0;
  for (const c of coherence) sum += c;
  return sum / coherence.length;
}

/**
 * Topic diversity: the share of unique terms among all top-list entries,
 * `|union of the top lists| / sum_t |top list t|`, in (0, 1]; 1 when no term is shared by two
 * topics. NaN when there are no entries at all.
 *
 * @param topTerms per topic, its top terms (term indices or the words themselves)
 */
export function topicDiversity(topTerms: readonly (Int32Array | readonly string[])[]): number {
  const unique = new Set<number | string>();
  let total = 0;
  for (const list of topTerms) {
    for (let a = 0; a < list.length; a++) unique.add(list[a]);
    total += list.length;
  }
  return total > 0 ? unique.size / total : NaN;
}
