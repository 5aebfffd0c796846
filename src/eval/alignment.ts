/**
 * Comparing topics across runs: Jaccard overlap of top words, stability of a k over several seeds,
 * and the alignment of two topic-word matrices (what `nmf-topics diff` prints).
 */
import { InputError } from "../errors.js";
import { hungarian } from "./hungarian.js";

/**
 * Jaccard similarity of two lists taken as sets: `|A ∩ B| / |A ∪ B|`, in [0, 1]. Duplicates count
 * once; two empty lists are identical, so they give 1.
 */
export function jaccard(a: Int32Array, b: Int32Array): number;
export function jaccard(a: readonly string[], b: readonly string[]): number;
export function jaccard(a: Int32Array | readonly string[], b: Int32Array | readonly string[]): number {
  return jaccardOfSets(new Set<number | string>(a), new Set<number | string>(b));
}

function jaccardOfSets(a: ReadonlySet<number | string>, b: ReadonlySet<number | string>): number {
  let common = 0;
  for (const x of b) if (a.has(x)) common++;
  const union = a.size + b.size - common;
  return union === 0 ? 1 : common / union;
}

/**
 * Mean best-match Jaccard similarity of the topics of two runs: the Hungarian matching that
 * maximizes the total Jaccard of matched topics, its total divided by `max(k_a, k_b)` (a topic left
 * unmatched counts as 0; two runs without topics give 1).
 */
function matchRuns(a: readonly ReadonlySet<string>[], b: readonly ReadonlySet<string>[]): number {
  const ka = a.length;
  const kb = b.length;
  if (ka === 0 && kb === 0) return 1;
  const negSim = new Float64Array(ka * kb);
  for (let s = 0; s < ka; s++) for (let t = 0; t < kb; t++) negSim[s * kb + t] = -jaccardOfSets(a[s], b[t]);
  const assignment = hungarian(negSim, ka, kb);
  let total = 0;
  for (let s = 0; s < ka; s++) if (assignment[s] >= 0) total -= negSim[s * kb + assignment[s]];
  return total / Math.max(ka, kb);
}

/**
 * Stability of a number of topics across several runs (for example seeds seed..seed+runs-1 at the
 * same k): the mean, over the unordered pairs of runs (r < s), of the mean best-match Jaccard of
 * their top words, where topics are matched one to one by the Hungarian algorithm maximizing the
 * total Jaccard:
 *   `stability = mean_{r<s} (1/max(k_r, k_s)) * max_matching sum_{(t,u) matched} J(top_r[t], top_s[u])`.
 * 1 when every run finds the same top-word sets; NaN with fewer than two runs.
 *
 * @param runs per run, per topic, its top words
 */
export function topicStability(runs: readonly (readonly (readonly string[])[])[]): number {
  if (runs.length < 2) return NaN;
  const sets = runs.map((topics) => topics.map((words) => new Set(words)));
  let sum = 0;
  let pairs = 0;
  for (let r = 0; r < sets.length; r++) {
    for (let s = r + 1; s < sets.length; s++) {
      sum += matchRuns(sets[r], sets[s]);
      pairs++;
    }
  }
  return sum / pairs;
}

/** Topic-word weights of one run or model: `weights` is k x terms.length, row-major (like H). */
export interface TopicWeights {
  readonly terms: readonly string[];
  readonly weights: Float64Array;
  readonly k: number;
}

/** A matched pair of topics, `a` from the first set and `b` from the second. */
export interface TopicPair {
  a: number;
  b: number;
  /** cosine similarity of their weights over the shared vocabulary, in [0, 1] for non-negative weights */
  similarity: number;
}

export interface TopicAlignment {
  /** matched pairs, sorted by `a` */
  pairs: TopicPair[];
  /** topics of a (ascending) left without a partner: only when a has more topics than b */
  unmatchedA: number[];
  /** topics of b (ascending) left without a partner: only when b has more topics than a */
  unmatchedB: number[];
}

function checkTopicWeights(w: TopicWeights, name: string): Map<string, number> {
  if (!(Number.isInteger(w.k) && w.k >= 0) || w.weights.length !== w.k * w.terms.length) {
    throw new RangeError(`alignTopics: ${name}.weights has ${w.weights.length} values, expected ${w.k} x ${w.terms.length}`);
  }
  const index = new Map<string, number>();
  for (let j = 0; j < w.terms.length; j++) {
    if (index.has(w.terms[j])) {
      throw new InputError(`the vocabulary of ${name} lists the term "${w.terms[j]}" twice; each term must appear once`);
    }
    index.set(w.terms[j], j);
  }
  return index;
}

/**
 * Cosine similarity of every topic of `a` with every topic of `b` over their shared vocabulary
 * (terms present in both, matched by string; other terms are ignored, in the norms too):
 *   `S[s, t] = sum_j a[s, j] b[t, j] / sqrt(sum_j a[s, j]^2 * sum_j b[t, j]^2)`, j over shared terms,
 * and 0 when either restricted row is all zero. Clamped to at most 1.
 *
 * @returns k_a x k_b, row-major
 * @throws InputError when a vocabulary lists a term twice
 */
export function computeTopicSimilarity(a: TopicWeights, b: TopicWeights): Float64Array {
  checkTopicWeights(a, "a");
  const indexB = checkTopicWeights(b, "b");
  const sharedA: number[] = [];
  const sharedB: number[] = [];
  for (let j = 0; j < a.terms.length; j++) {
    const jb = indexB.get(a.terms[j]);
    if (jb !== undefined) {
      sharedA.push(j);
      sharedB.push(jb);
    }
  }
  const nShared = sharedA.length;
  // Gather the shared columns once, in the same order for both.
  const ga = gatherColumns(a, sharedA);
  const gb = gatherColumns(b, sharedB);
  const normA = rowSquaredNorms(ga, a.k, nShared);
  const normB = rowSquaredNorms(gb, b.k, nShared);
  const sim = new Float64Array(a.k * b.k);
  for (let s = 0; s < a.k; s++) {
    for (let t = 0; t < b.k; t++) {
      if (normA[s] === 0 || normB[t] === 0) continue;
      let dot = 0;
      for (let j = 0, ra = s * nShared, rb = t * nShared; j < nShared; j++) dot += ga[ra + j] * gb[rb + j];
      // sqrt(x * x) === x for doubles, so a row compared with itself gives exactly 1.
      let denom = Math.sqrt(normA[s] * normB[t]);
      if (!(denom > 0 && Number.isFinite(denom))) denom = Math.sqrt(normA[s]) * Math.sqrt(normB[t]);
      sim[s * b.k + t] = Math.min(1, dot / denom);
    }
  }
  return sim;
}

function gatherColumns(w: TopicWeights, cols: readonly number[]): Float64Array {
  const nTerms = w.terms.length;
  const out = new Float64Array(w.k * cols.length);
  for (let s = 0; s < w.k; s++) {
    for (let c = 0; c < cols.length; c++) out[s * cols.length + c] = w.weights[s * nTerms + cols[c]];
  }
  return out;
}

function rowSquaredNorms(m: Float64Array, nRows: number, nCols: number): Float64Array {
  const out = new Float64Array(nRows);
  for (let s = 0; s < nRows; s++) {
    let sum = 0;
    for (let j = s * nCols, end = j + nCols; j < end; j++) sum += m[j] * m[j];
    out[s] = sum;
  }
  return out;
}

/**
 * Aligns the topics of two runs or models: cosine similarity of their topic-word weight rows over
 * the shared vocabulary ({@link computeTopicSimilarity}), then the one-to-one matching that
 * maximizes the total similarity ({@link hungarian} on the negated similarities, with its tie rule).
 * `min(k_a, k_b)` pairs are always formed (a pair may have similarity 0); the extra topics of the
 * larger side are unmatched.
 *
 * @throws InputError when a vocabulary lists a term twice
 */
export function alignTopics(a: TopicWeights, b: TopicWeights): TopicAlignment {
  const sim = computeTopicSimilarity(a, b);
  const negSim = new Float64Array(sim.length);
  for (let p = 0; p < sim.length; p++) negSim[p] = -sim[p];
  const assignment = hungarian(negSim, a.k, b.k);
  const pairs: TopicPair[] = [];
  const unmatchedA: number[] = [];
  const matchedB = new Uint8Array(b.k);
  for (let s = 0; s < a.k; s++) {
    const t = assignment[s];
    if (t < 0) {
      unmatchedA.push(s);
      continue;
    }
    matchedB[t] = 1;
    pairs.push({ a: s, b: t, similarity: sim[s * b.k + t] });
  }
  const unmatchedB: number[] = [];
  for (let t = 0; t < b.k; t++) if (!matchedB[t]) unmatchedB.push(t);
  return { pairs, unmatchedA, unmatchedB };
}
