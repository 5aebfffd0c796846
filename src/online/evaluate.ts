/**
 * The evaluation of a fixed H on a stream of batches (X_b, W_b): everything `fit` reports about a
 * factorization, accumulated batch by batch in memory bounded by the topics, never by the number of
 * documents: the objective (the definitions of nmf/objective.ts), the relative error, the column sums
 * of W (topic shares and the canonical order), NPMI coherence of the top words (document
 * co-occurrence counts of the union of the top words), the agreement of argmax topics with labels (a
 * labels x topics contingency table), the heaviest document of each topic and the empty documents.
 */
import { adjustedRandIndex, normalizedMutualInfo, purity, topicDiversity } from "../eval/index.js";
import type { CsrMatrix } from "../linalg/types.js";
import { canonicalTopicOrder, frobeniusObjectiveFromParts, klObjectiveFromValues } from "../nmf/index.js";

/** Guard added to `-ln P(i,j)`, as in eval/coherence.ts. */
const NPMI_EPS = 1e-12;

/** Label agreement of the argmax topics (when every document has a label). */
export interface StreamLabelAgreement {
  nmi: number;
  ari: number;
  purity: number;
}

/** What {@link StreamingEvaluation.finish} returns; per-topic arrays in H's topic order. */
export interface StreamEvaluationResult {
  nDocs: number;
  nonzeros: number;
  /** The loss's objective: 0.5·||X - WH||_F² or the generalized KL divergence. */
  objective: number;
  /** 0.5·||X - WH||_F² (also for KL, for the relative error). */
  frobenius: number;
  /** ||X - WH||_F / ||X||_F. */
  relativeError: number;
  /** sum_d W[d, t]. */
  columnSums: Float64Array;
  /** Canonical order: `order[p]` = the topic (row of H) placed at position p. */
  order: Int32Array;
  /** Shares in H's topic order: `colsum(W)_t · rowsum(H)_t / sum over topics`. */
  shares: Float64Array;
  /** Mean NPMI of each topic's top words (NaN with fewer than two words). */
  npmi: Float64Array;
  /** Mean of npmi over topics (0 without topics), and the diversity of the top words. */
  meanNpmi: number;
  diversity: number;
  /** NMI, ARI and purity of the argmax topics in canonical order (null unless every document has a label). */
  labels: StreamLabelAgreement | null;
  /** Empty documents (no term after preprocessing): how many, and the first three ids. */
  emptyDocuments: number;
  emptyExamples: string[];
  /** Per topic: the largest W[d, t] and the id of that document (first on ties; "" when all zero). */
  topicMax: Float64Array;
  topicMaxId: string[];
}

/**
 * Accumulates the evaluation of fixed topics H (k x nTerms) over batches. Sums run in document order,
 * so the same stream gives the same bits.
 */
export class StreamingEvaluation {
  private readonly k: number;
  private readonly nTerms: number;
  private readonly kl: boolean;
  private readonly Ht: Float64Array;
  private readonly hht: Float64Array;
  private readonly hRowSums: Float64Array;
  private readonly topTerms: readonly Int32Array[];
  private readonly slotOfTerm: Int32Array;
  private readonly nSlots: number;
  private readonly slotDf: Float64Array;
  private readonly pairDf: Float64Array;
  private readonly present: Int32Array;
  private nDocs = 0;
  private nonzeros = 0;
  private xNormSq = 0;
  private cross = 0;
  private klPart = 0;
  private readonly wtw: Float64Array;
  private readonly columnSums: Float64Array;
  private readonly topicMax: Float64Array;
  private readonly topicMaxId: string[];
  private emptyDocuments = 0;
  private readonly emptyExamples: string[] = [];
  /** label code * (k + 1) + topic -> documents (unique argmax); ties under a string key. */
  private readonly cells = new Map<number, number>();
  private readonly tiedCells = new Map<string, number>();
  private allLabelled = true;
  private nLabels = 0;

  /**
   * @param H k x nTerms, row-major (not copied: keep it unchanged while evaluating)
   * @param topTerms per topic (H's order), the term indices of its top words
   */
  constructor(H: Float64Array, nTerms: number, k: number, loss: "frobenius" | "kl", topTerms: readonly Int32Array[]) {
    if (H.length !== k * nTerms) throw new RangeError(`H has ${H.length} values, expected ${k} x ${nTerms}`);
    if (topTerms.length !== k) throw new RangeError(`${topTerms.length} top-word lists for ${k} topics`);
    this.k = k;
    this.nTerms = nTerms;
    this.kl = loss === "kl";
    this.Ht = new Float64Array(nTerms * k);
    this.hRowSums = new Float64Array(k);
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let j = 0; j < nTerms; j++) {
        const h = H[t * nTerms + j];
        this.Ht[j * k + t] = h;
        s += h;
      }
      this.hRowSums[t] = s;
    }
    this.hht = new Float64Array(k * k);
    for (let j = 0; j < nTerms; j++) {
      const hb = j * k;
      for (let s = 0; s < k; s++) {
        const hs = this.Ht[hb + s];
        if (hs === 0) continue;
        for (let t = 0; t < k; t++) this.hht[s * k + t] += hs * this.Ht[hb + t];
      }
    }
    this.wtw = new Float64Array(k * k);
    this.columnSums = new Float64Array(k);
    this.topicMax = new Float64Array(k);
    this.topicMaxId = new Array<string>(k).fill("");
    this.topTerms = topTerms;
    this.slotOfTerm = new Int32Array(nTerms).fill(-1);
    let nSlots = 0;
    for (const list of topTerms) {
      for (let a = 0; a < list.length; a++) {
        const j = list[a];
        if (!(j >= 0 && j < nTerms)) throw new RangeError(`top term index ${j} outside 0..${nTerms - 1}`);
        if (this.slotOfTerm[j] < 0) this.slotOfTerm[j] = nSlots++;
      }
    }
    this.nSlots = nSlots;
    this.slotDf = new Float64Array(nSlots);
    this.pairDf = new Float64Array(nSlots * nSlots);
    this.present = new Int32Array(nSlots);
  }

  /**
   * Adds a batch: X_b (n_b x nTerms), its W_b (n_b x k, H's topic order), the documents' ids, and
   * their label codes (>= 0; -1 for a document without a label), or null when none has one.
   */
  addBatch(X: CsrMatrix, W: Float64Array, ids: readonly string[], labels: Int32Array | null): void {
    const { k, Ht, kl } = this;
    const n = X.nRows;
    if (X.nCols !== this.nTerms || W.length !== n * k || ids.length !== n) {
      throw new RangeError("addBatch: X, W and ids do not describe the same documents");
    }
    const { indptr, indices, data } = X;
    const y = kl ? new Float64Array(indptr[n]) : null;
    for (let i = 0; i < n; i++) {
      const wb = i * k;
      const start = indptr[i];
      const end = indptr[i + 1];
      if (start === end) {
        this.emptyDocuments++;
        if (this.emptyExamples.length < 3) this.emptyExamples.push(ids[i]);
      }
      // Objective parts.
      for (let p = start; p < end; p++) {
        const hb = indices[p] * k;
        let v = 0;
        for (let t = 0; t < k; t++) v += W[wb + t] * Ht[hb + t];
        const x = data[p];
        this.cross += x * v;
        this.xNormSq += x * x;
        if (y !== null) y[p] = v;
      }
      // WᵀW, column sums, maxima, argmax.
      let best = 0;
      let bestValue = W[wb];
      let ties: number[] | null = null;
      for (let s = 0; s < k; s++) {
        const ws = W[wb + s];
        this.columnSums[s] += ws;
        if (ws > this.topicMax[s]) {
          this.topicMax[s] = ws;
          this.topicMaxId[s] = ids[i];
        }
        if (s > 0) {
          if (ws > bestValue) {
            bestValue = ws;
            best = s;
            ties = null;
          } else if (ws === bestValue) {
            ties ??= [best];
            ties.push(s);
          }
        }
        if (ws === 0) continue;
        const gb = s * k;
        for (let t = 0; t < k; t++) this.wtw[gb + t] += ws * W[wb + t];
      }
      // Label contingency (argmax in canonical order is resolved at the end for ties).
      if (labels === null || labels[i] < 0) {
        this.allLabelled = false;
      } else if (this.allLabelled) {
        const label = labels[i];
        if (label + 1 > this.nLabels) this.nLabels = label + 1;
        if (ties === null) {
          const key = label * (k + 1) + best;
          this.cells.set(key, (this.cells.get(key) ?? 0) + 1);
        } else {
          const key = `${label}|${ties.join(",")}`;
          this.tiedCells.set(key, (this.tiedCells.get(key) ?? 0) + 1);
        }
      }
      // NPMI: document frequencies of the top words and of their pairs.
      let count = 0;
      for (let p = start; p < end; p++) {
        const s = this.slotOfTerm[indices[p]];
        if (s >= 0 && data[p] > 0) this.present[count++] = s;
      }
      for (let a = 0; a < count; a++) {
        const sa = this.present[a];
        this.slotDf[sa]++;
        for (let b = a + 1; b < count; b++) {
          const sb = this.present[b];
          const lo = sa < sb ? sa : sb;
          const hi = sa < sb ? sb : sa;
          this.pairDf[lo * this.nSlots + hi]++;
        }
      }
    }
    if (y !== null) this.klPart += klObjectiveFromValues(data, y, indptr[n], 0);
    this.nDocs += n;
    this.nonzeros += indptr[n];
  }

  /** The evaluation of everything added (see {@link StreamEvaluationResult}). */
  finish(): StreamEvaluationResult {
    const { k, nDocs } = this;
    let gramDot = 0;
    for (let i = 0; i < k * k; i++) gramDot += this.wtw[i] * this.hht[i];
    const frobenius = frobeniusObjectiveFromParts(this.xNormSq, this.cross, gramDot);
    let sumY = 0;
    for (let t = 0; t < k; t++) sumY += this.columnSums[t] * this.hRowSums[t];
    const objective = this.kl ? this.klPart + sumY : frobenius;
    const relativeError = this.xNormSq > 0 ? Math.sqrt(Math.max(2 * frobenius, 0) / this.xNormSq) : 0;
    // The canonical order from the column sums alone: canonicalTopicOrder on a 1 x k "W".
    const order = canonicalTopicOrder(this.columnSums, this.hRowSums, 1, 1, k);
    const shares = new Float64Array(k);
    let total = 0;
    for (let p = 0; p < k; p++) total += this.columnSums[order[p]] * this.hRowSums[order[p]];
    for (let t = 0; t < k; t++) {
      const v = this.columnSums[t] * this.hRowSums[t];
      shares[t] = total > 0 ? v / total : v;
    }
    const npmi = this.computeNpmi();
    let meanNpmi = 0;
    for (let t = 0; t < k; t++) meanNpmi += npmi[t];
    meanNpmi = k > 0 ? meanNpmi / k : 0;
    return {
      nDocs,
      nonzeros: this.nonzeros,
      objective,
      frobenius,
      relativeError,
      columnSums: this.columnSums.slice(),
      order,
      shares,
      npmi,
      meanNpmi,
      diversity: topicDiversity(this.topTerms),
      labels: this.labelAgreement(order),
      emptyDocuments: this.emptyDocuments,
      emptyExamples: this.emptyExamples.slice(),
      topicMax: this.topicMax.slice(),
      topicMaxId: this.topicMaxId.slice(),
    };
  }

  /** NPMI of each topic from the counts, the formula of eval/coherence.ts's npmiCoherence. */
  private computeNpmi(): Float64Array {
    const n = this.nDocs;
    const out = new Float64Array(this.k);
    this.topTerms.forEach((list, t) => {
      const m = list.length;
      let sum = 0;
      let pairs = 0;
      for (let a = 0; a < m; a++) {
        const sa = this.slotOfTerm[list[a]];
        const pi = this.slotDf[sa] / n;
        for (let b = a + 1; b < m; b++) {
          const sb = this.slotOfTerm[list[b]];
          const dfab = sa === sb ? this.slotDf[sa] : this.pairDf[Math.min(sa, sb) * this.nSlots + Math.max(sa, sb)];
          pairs++;
          if (dfab <= 0) {
            sum += -1;
            continue;
          }
          const pij = dfab / n;
          const pj = this.slotDf[sb] / n;
          sum += Math.log(pij / (pi * pj)) / (-Math.log(pij) + NPMI_EPS);
        }
      }
      out[t] = pairs > 0 ? sum / pairs : NaN;
    });
    return out;
  }

  /**
   * NMI, ARI and purity from the contingency table, the argmax of each document taken in canonical
   * topic order (ties: the tied topic placed first). The metrics of eval/labels.ts depend only on the
   * table, so the table is expanded to one (label, topic) pair per document for them (8 bytes per
   * document, for the time of this call).
   */
  private labelAgreement(order: Int32Array): StreamLabelAgreement | null {
    if (!this.allLabelled || this.nDocs === 0) return null;
    const k = this.k;
    const position = new Int32Array(k);
    for (let p = 0; p < k; p++) position[order[p]] = p;
    const labels = new Int32Array(this.nDocs);
    const topics = new Int32Array(this.nDocs);
    let d = 0;
    const fill = (label: number, topic: number, count: number): void => {
      labels.fill(label, d, d + count);
      topics.fill(topic, d, d + count);
      d += count;
    };
    for (const [key, count] of [...this.cells].sort((a, b) => a[0] - b[0])) {
      fill(Math.floor(key / (k + 1)), position[key % (k + 1)], count);
    }
    for (const [key, count] of [...this.tiedCells].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const [label, list] = key.split("|");
      let best = k;
      for (const t of list.split(",")) best = Math.min(best, position[Number(t)]);
      fill(Number(label), best, count);
    }
    return { nmi: normalizedMutualInfo(labels, topics), ari: adjustedRandIndex(labels, topics), purity: purity(labels, topics) };
  }
}
