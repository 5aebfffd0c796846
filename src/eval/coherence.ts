/**
 * Topic quality from the top words alone: NPMI coherence (document co-occurrence in the fitted
 * corpus) and topic diversity. Definitions are those of `../shared/bench/sklearn_ref.py`, so the
 * numbers can be compared with the scikit-learn reference runs.
 */
import type { ColumnRows, CsrMatrix } from "../linalg/types.js";

/** Guard added to `-ln P(i,j)` so that a pair present in every document (P(i,j) = 1) gives 0, not 0/0. */
const NPMI_EPS = 1e-12;

/** Most pair counts {@link countTopPairs} holds at once (16 MB); more topics take more passes over X. */
const MAX_PAIR_COUNTS = 1 << 22;

/**
 * Document counts of the top lists, from `B = (X > 0)`: for topic t with list length m, an m x m
 * table whose `[a * m + a]` is df of the term at position a and `[a * m + b]` (a < b) the number
 * of documents holding the terms at positions a and b (one term at two positions counts as both).
 *
 * One pass over the non-zeros of X (per group of topics whose tables fit in {@link MAX_PAIR_COUNTS}):
 * for each document, the positions of its top terms are gathered per topic and every pair of them
 * counted. The work beyond the pass is the pairs actually present, and no per-term document lists
 * are built (building them, then intersecting them, took a second pass and most of the time).
 *
 * @throws RangeError for a term index outside 0..X.nCols-1 (the first one, in topic order)
 */
function countTopPairs(X: CsrMatrix, topTerms: readonly Int32Array[], columns: ColumnRows | null): Int32Array[] {
  for (let t = 0; t < topTerms.length; t++) {
    const list = topTerms[t];
    for (let a = 0; a < list.length; a++) {
      const j = list[a];
      if (!(j >= 0 && j < X.nCols)) {
        throw new RangeError(`npmiCoherence: topic ${t} has term index ${j}, outside 0..${X.nCols - 1}`);
      }
    }
  }
  const fromColumns = columns === null ? null : countPairsFromColumns(columns, X.nRows, topTerms);
  if (fromColumns !== null) return fromColumns;
  const tables: Int32Array[] = [];
  let first = 0;
  while (first < topTerms.length) {
    let end = first + 1;
    let size = topTerms[first].length ** 2;
    while (end < topTerms.length && size + topTerms[end].length ** 2 <= MAX_PAIR_COUNTS) size += topTerms[end++].length ** 2;
    const group = topTerms.slice(first, end);
    for (const table of countPairsOfGroup(X, group)) tables.push(table);
    first = end;
  }
  return tables;
}

/**
 * {@link countTopPairs} from the documents of each top term, for lists of at most 31 terms: per
 * topic, each document holding some of its terms gets the bit of each one's position, then the
 * pairs of bits of each such document are counted. The work is the documents of the top terms and
 * the pairs present, instead of a pass over X (BBC: 0.4 ms against 8 ms); null for longer lists.
 */
function countPairsFromColumns(columns: ColumnRows, nRows: number, topTerms: readonly Int32Array[]): Int32Array[] | null {
  for (const list of topTerms) if (list.length > 31) return null;
  const { start, rows } = columns;
  const positions = new Int32Array(nRows); // bit a: the document holds the term at position a
  const touched = new Int32Array(nRows);
  const tables: Int32Array[] = [];
  for (const list of topTerms) {
    const m = list.length;
    const table = new Int32Array(m * m);
    let nTouched = 0;
    for (let a = 0; a < m; a++) {
      const j = list[a];
      table[a * m + a] = start[j + 1] - start[j];
      for (let p = start[j]; p < start[j + 1]; p++) {
        const d = rows[p];
        if (positions[d] === 0) touched[nTouched++] = d;
        positions[d] |= 1 << a;
      }
    }
    for (let i = 0; i < nTouched; i++) {
      const d = touched[i];
      let bits = positions[d];
      positions[d] = 0;
      while (bits !== 0) {
        const a = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        for (let rest = bits; rest !== 0; rest &= rest - 1) table[a * m + (31 - Math.clz32(rest & -rest))]++;
      }
    }
    tables.push(table);
  }
  return tables;
}

/** {@link countTopPairs} for a group of topics, in one pass over X. */
function countPairsOfGroup(X: CsrMatrix, topTerms: readonly Int32Array[]): Int32Array[] {
  const k = topTerms.length;
  // Occurrences (topic, position) of each selected term, grouped by slot (CSR by slot).
  const slotOfTerm = new Int32Array(X.nCols).fill(-1);
  let nSlots = 0;
  let nOccurrences = 0;
  for (let t = 0; t < k; t++) {
    const list = topTerms[t];
    for (let a = 0; a < list.length; a++) if (slotOfTerm[list[a]] < 0) slotOfTerm[list[a]] = nSlots++;
    nOccurrences += list.length;
  }
  const occurrencePtr = new Int32Array(nSlots + 1);
  for (let t = 0; t < k; t++) for (const j of topTerms[t]) occurrencePtr[slotOfTerm[j] + 1]++;
  for (let s = 0; s < nSlots; s++) occurrencePtr[s + 1] += occurrencePtr[s];
  const occurrenceTopic = new Int32Array(nOccurrences);
  const occurrencePosition = new Int32Array(nOccurrences);
  const nextOccurrence = occurrencePtr.slice(0, nSlots);
  // Per topic: where its positions present in the current document are gathered, and its table.
  const gatherStart = new Int32Array(k + 1);
  const tables: Int32Array[] = [];
  for (let t = 0; t < k; t++) {
    const list = topTerms[t];
    for (let a = 0; a < list.length; a++) {
      const o = nextOccurrence[slotOfTerm[list[a]]]++;
      occurrenceTopic[o] = t;
      occurrencePosition[o] = a;
    }
    gatherStart[t + 1] = gatherStart[t] + list.length;
    tables.push(new Int32Array(list.length * list.length));
  }
  const gathered = new Int32Array(gatherStart[k]);
  const gatheredCount = new Int32Array(k);
  const touched = new Int32Array(k);

  const { indptr, indices, data } = X;
  for (let r = 0; r < X.nRows; r++) {
    let nTouched = 0;
    for (let p = indptr[r], end = indptr[r + 1]; p < end; p++) {
      const s = slotOfTerm[indices[p]];
      if (s < 0 || !(data[p] > 0)) continue;
      for (let o = occurrencePtr[s], oEnd = occurrencePtr[s + 1]; o < oEnd; o++) {
        const t = occurrenceTopic[o];
        if (gatheredCount[t] === 0) touched[nTouched++] = t;
        gathered[gatherStart[t] + gatheredCount[t]++] = occurrencePosition[o];
      }
    }
    for (let i = 0; i < nTouched; i++) {
      const t = touched[i];
      countPairsOfDocument(tables[t], topTerms[t].length, gathered, gatherStart[t], gatherStart[t] + gatheredCount[t]);
      gatheredCount[t] = 0;
    }
  }
  return tables;
}

/** Adds one document to an m x m table: its positions `gathered[from..to)`, each once, and every pair of them. */
function countPairsOfDocument(table: Int32Array, m: number, gathered: Int32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const a = gathered[i];
    table[a * m + a]++;
    for (let q = i + 1; q < to; q++) {
      const b = gathered[q];
      if (a < b) table[a * m + b]++;
      else table[b * m + a]++;
    }
  }
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
 * Cost: one pass over the non-zeros of X, counting in each document the pairs of top terms of each
 * topic it holds (see {@link countTopPairs}); with `columns`, only the documents of the top terms.
 *
 * @param X documents x terms, CSR (any non-negative weights; only `X > 0` matters)
 * @param topTerms per topic, the term indices (columns of X) of its top words
 * @param columns X's pattern by column when known (the vectorizer builds it on its way to X); its
 *   stored values must all be positive
 * @returns per topic, its mean NPMI; same length and order as `topTerms`
 */
export function npmiCoherence(X: CsrMatrix, topTerms: readonly Int32Array[], columns: ColumnRows | null = null): number[] {
  const tables = countTopPairs(X, topTerms, columns);
  const n = X.nRows;
  const out: number[] = [];
  for (let t = 0; t < topTerms.length; t++) {
    const table = tables[t];
    const m = topTerms[t].length;
    let sum = 0;
    let pairs = 0;
    for (let a = 0; a < m; a++) {
      const pi = table[a * m + a] / n;
      for (let b = a + 1; b < m; b++) {
        const dfab = table[a * m + b];
        pairs++;
        if (dfab <= 0) {
          sum += -1;
          continue;
        }
        const pij = dfab / n;
        const pj = table[b * m + b] / n;
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
