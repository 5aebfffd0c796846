/**
 * Choosing the number of topics: one vectorization, then for each k in a list and each run
 * r = 0..runs-1 an NMF fit with seed `seed + r` on a seeded sample of the documents, and per k the
 * mean objective, NPMI coherence, topic diversity, iterations and the stability of the top words
 * across runs; then a recommended k and the rule that chose it.
 *
 * Why samples: with the default (deterministic) NNDSVD inits, a different seed gives the same
 * factorization, so runs on the full corpus would always agree and stability would say nothing.
 * Each run therefore fits its own seeded share of the documents (80 % by default), as in Greene,
 * O'Callaghan and Cunningham (2014), "How many topics? Stability analysis for topic models": a k
 * that matches structure in the corpus finds the same topics in different samples, a k that splits
 * or merges real topics finds them differently each time. The run r sample is the same for every k,
 * so the values of different k are compared on the same documents.
 *
 * Library code: returns data, never prints, reads no process state.
 */
import type { Document } from "./corpus/types.js";
import { NumericalError, UsageError } from "./errors.js";
import { npmiCoherence, topicDiversity, topicStability } from "./eval/index.js";
import { fingerprintDocuments } from "./fit.js";
import { createRng } from "./linalg/random.js";
import type { CsrMatrix } from "./linalg/types.js";
import { fitNmf, topTermIndices, type NmfIterationInfo, type NmfOptions } from "./nmf/index.js";
import { fitVectorizer, type TextOptions } from "./text/index.js";

/** Default share of the documents each run fits. */
export const DEFAULT_SAMPLE_FRACTION = 0.8;

/** Identifies one fit of a sweep, for progress reporting. */
export interface SweepFitInfo {
  k: number;
  /** 0-based run index; the fit's seed is `seed + run`. */
  run: number;
  /** 0-based index of this fit among all fits of the sweep. */
  index: number;
  /** Number of fits in the sweep: `ks.length * runs`. */
  total: number;
}

export interface SweepOptions {
  /** Numbers of topics to try, each >= 1; fitted in ascending order, duplicates removed. */
  ks: readonly number[];
  /** Runs per k, >= 1 (default 3); run r uses seed `nmf.seed + r` for its sample and its fit. */
  runs: number;
  /** NMF options of every fit; `nTopics` and `seed` are replaced per fit, `onIteration` is ignored. */
  nmf: NmfOptions;
  /** Top words per topic used for coherence, diversity and stability (default 10). */
  topWords: number;
  /**
   * Share of the documents each run fits, in (0, 1] (default 0.8): run r fits
   * `round(fraction * nDocs)` documents drawn without replacement with the seed `nmf.seed + r`
   * (kept in corpus order). 1 fits every document in every run, so runs differ only through the
   * seed (use a random init then).
   */
  sampleFraction: number;
  /** Called after each iteration of each fit (synchronously). */
  onIteration?: (fit: SweepFitInfo, info: NmfIterationInfo) => void;
}

/** One fit of a sweep. */
export interface SweepRun {
  run: number;
  seed: number;
  /** Documents in this run's sample. */
  documents: number;
  iterations: number;
  converged: boolean;
  /** The loss of the fit on its sample (the same objective as `fit` reports). */
  objective: number;
  /** Mean NPMI of the topics' top words, measured on the whole corpus; NaN with fewer than 2 top words. */
  npmi: number;
  /** Unique share of all top words. */
  diversity: number;
  /** Per topic (canonical order), the column indices of its top words. */
  topTerms: Int32Array[];
}

/** The summary of one k. */
export interface SweepRow {
  k: number;
  /** Mean over runs of the objective. */
  objective: number;
  /** Mean over runs of the mean NPMI (NaN when undefined, e.g. one top word). */
  npmi: number;
  /** Mean over runs of the topic diversity. */
  diversity: number;
  /**
   * {@link topicStability} of the runs' top-word lists: mean over pairs of runs of the mean
   * best-match Jaccard (Hungarian matching); NaN with one run.
   */
  stability: number;
  /** Mean over runs of the iterations. */
  iterations: number;
  /** Number of runs that reached the tolerance. */
  converged: number;
  runs: SweepRun[];
}

/** The recommended k and the rule that picked it (one sentence, printed with it). */
export interface Recommendation {
  k: number;
  rule: string;
}

export interface SweepResult {
  rows: SweepRow[];
  recommended: Recommendation;
  /** Whole corpus: nDocs x nTerms, non-zeros. */
  nDocs: number;
  nTerms: number;
  nonzeros: number;
  /** Documents each run fits. */
  sampleSize: number;
}

/**
 * Picks `round(fraction * n)` (at least 1) distinct indices of 0..n-1 by a partial Fisher-Yates
 * shuffle driven by `nextInt`, returned ascending. With fraction 1 returns 0..n-1.
 */
export function sampleIndices(n: number, fraction: number, nextInt: (n: number) => number): Int32Array {
  const m = Math.min(n, Math.max(1, Math.round(fraction * n)));
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  if (m === n) return pool;
  for (let i = 0; i < m; i++) {
    const j = i + nextInt(n - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.slice(0, m).sort();
}

/** The rows `rows` (ascending or not) of X, in that order, as a new CSR matrix with all columns. */
export function selectRows(X: CsrMatrix, rows: Int32Array): CsrMatrix {
  let nnz = 0;
  for (let i = 0; i < rows.length; i++) nnz += X.indptr[rows[i] + 1] - X.indptr[rows[i]];
  const indptr = new Int32Array(rows.length + 1);
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < rows.length; i++) {
    const start = X.indptr[rows[i]];
    const end = X.indptr[rows[i] + 1];
    indices.set(X.indices.subarray(start, end), p);
    data.set(X.data.subarray(start, end), p);
    p += end - start;
    indptr[i + 1] = p;
  }
  return { nRows: rows.length, nCols: X.nCols, indptr, indices, data };
}

function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Relative margin within which two scores count as a tie (then the smaller k wins). */
export const SCORE_TIE_TOLERANCE = 1e-9;

/**
 * The recommendation rule: the k with the highest `NPMI x stability` (coherent topics that come
 * back in every sample); ties (within a relative 1e-9) go to the smaller k. Rows whose score is
 * undefined (NaN) are skipped; with one run (no stability) the k with the highest NPMI; when no
 * row has a defined score, the smallest k.
 */
export function recommendTopicCount(rows: readonly Pick<SweepRow, "k" | "npmi" | "stability">[]): Recommendation {
  if (rows.length === 0) throw new RangeError("recommendTopicCount: no rows");
  const sorted = [...rows].sort((a, b) => a.k - b.k);
  const withStability = sorted.some((r) => Number.isFinite(r.stability));
  const score = withStability
    ? (r: Pick<SweepRow, "npmi" | "stability">) => r.npmi * r.stability
    : (r: Pick<SweepRow, "npmi" | "stability">) => r.npmi;
  let best: (typeof sorted)[number] | null = null;
  let bestScore = -Infinity;
  for (const row of sorted) {
    const s = score(row);
    if (!Number.isFinite(s)) continue;
    if (best === null || s > bestScore + SCORE_TIE_TOLERANCE * Math.max(1, Math.abs(bestScore))) {
      best = row;
      bestScore = s;
    }
  }
  if (best === null) {
    return { k: sorted[0].k, rule: "no k has a defined NPMI or stability score; the smallest k" };
  }
  return withStability
    ? { k: best.k, rule: "highest NPMI x stability (ties: the smaller k)" }
    : { k: best.k, rule: "highest NPMI (one run per k, so no stability; ties: the smaller k)" };
}

/**
 * Runs the sweep on a vectorized corpus.
 *
 * @param X documents x terms (CSR), the whole corpus; coherence is measured on it
 * @param terms column j's term (unique strings; used to compare top words across runs)
 * @throws UsageError for bad ks/runs/sampleFraction; NumericalError when a k exceeds what the
 *   sample allows with an NNDSVD init; errors of {@link fitNmf}
 */
export function sweepMatrix(X: CsrMatrix, terms: readonly string[], options: SweepOptions): SweepResult {
  const ks = [...new Set(options.ks)].sort((a, b) => a - b);
  if (ks.length === 0 || ks.some((k) => !Number.isSafeInteger(k) || k < 1)) {
    throw new UsageError("-k must list whole numbers >= 1, e.g. -k 5,10,15 or -k 4..12");
  }
  const { runs, topWords, sampleFraction } = options;
  if (!Number.isSafeInteger(runs) || runs < 1) throw new UsageError(`--runs must be a whole number >= 1; got ${runs}`);
  if (!(sampleFraction > 0 && sampleFraction <= 1)) {
    throw new UsageError(`--sample-fraction must be a share of the documents in (0, 1]; got ${sampleFraction}`);
  }
  if (terms.length !== X.nCols) throw new RangeError(`sweepMatrix: ${terms.length} terms for ${X.nCols} columns`);
  const baseSeed = options.nmf.seed;
  const samples: { rows: Int32Array; X: CsrMatrix }[] = [];
  for (let r = 0; r < runs; r++) {
    const rng = createRng(baseSeed + r);
    const rows = sampleIndices(X.nRows, sampleFraction, (n) => rng.nextInt(n));
    samples.push({ rows, X: rows.length === X.nRows ? X : selectRows(X, rows) });
  }
  const sampleSize = samples[0].rows.length;
  const maxK = ks[ks.length - 1];
  const limit = Math.min(sampleSize, X.nCols);
  if (options.nmf.init !== "random" && maxK > limit) {
    throw new NumericalError(
      `-k ${maxK} is larger than min(documents in each sample, terms) = ${limit}; lower -k, raise --sample-fraction or use --init random`,
    );
  }

  const total = ks.length * runs;
  const rows: SweepRow[] = [];
  let index = 0;
  for (const k of ks) {
    const fits: SweepRun[] = [];
    for (let r = 0; r < runs; r++) {
      const info: SweepFitInfo = { k, run: r, index: index++, total };
      const onIteration = options.onIteration;
      const result = fitNmf(samples[r].X, {
        ...options.nmf,
        nTopics: k,
        seed: baseSeed + r,
        onIteration: onIteration ? (it) => onIteration(info, it) : undefined,
      });
      const n = Math.min(topWords, X.nCols);
      const topTerms: Int32Array[] = [];
      for (let t = 0; t < k; t++) topTerms.push(topTermIndices(result.H, t, result.nTerms, n));
      const coherence = npmiCoherence(X, topTerms);
      fits.push({
        run: r,
        seed: baseSeed + r,
        documents: samples[r].rows.length,
        iterations: result.iterations,
        converged: result.converged,
        objective: result.objective,
        npmi: mean(coherence),
        diversity: topicDiversity(topTerms),
        topTerms,
      });
    }
    rows.push({
      k,
      objective: mean(fits.map((f) => f.objective)),
      npmi: mean(fits.map((f) => f.npmi)),
      diversity: mean(fits.map((f) => f.diversity)),
      stability: topicStability(fits.map((f) => f.topTerms.map((list) => Array.from(list, (j) => terms[j])))),
      iterations: mean(fits.map((f) => f.iterations)),
      converged: fits.filter((f) => f.converged).length,
      runs: fits,
    });
  }
  return {
    rows,
    recommended: recommendTopicCount(rows),
    nDocs: X.nRows,
    nTerms: X.nCols,
    nonzeros: X.indptr[X.nRows],
    sampleSize,
  };
}

export interface SweepCorpusOptions extends SweepOptions {
  text: TextOptions;
}

export interface SweepCorpusResult extends SweepResult {
  /** Column j's display term (what tables and JSON show). */
  displayTerms: readonly string[];
  /** sha256 of the ordered (id, text) pairs, as in `fit`. */
  fingerprint: string;
  /** Rows left without any term after pruning. */
  emptyDocuments: number[];
}

/**
 * Vectorizes the documents once ({@link fitVectorizer}) and runs {@link sweepMatrix} on the result.
 * Stability compares vocabulary terms (unique), tables show display terms.
 */
export function sweepCorpus(documents: readonly Document[], options: SweepCorpusOptions): SweepCorpusResult {
  const vectorized = fitVectorizer(
    documents.map((d) => d.text),
    options.text,
  );
  const result = sweepMatrix(vectorized.X, vectorized.state.vocabulary, options);
  return {
    ...result,
    displayTerms: vectorized.state.displayTerms,
    fingerprint: fingerprintDocuments(documents),
    emptyDocuments: vectorized.emptyDocuments,
  };
}
