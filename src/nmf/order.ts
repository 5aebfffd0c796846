/**
 * Canonical topic order and top terms, with fixed tie-breaks so the same corpus and seed always
 * print the same topic first. W is nDocs x k, H is k x nTerms (row-major).
 */
import { serialExecutor, type ParallelExecutor, type ParallelKernel } from "../linalg/executor.js";
import { topK } from "../linalg/topk.js";

/**
 * Topic order by total weight `sum_d W[d, t] · sum_j H[t, j]` (the share of sum(W·H) the topic
 * carries), descending; equal weights by lower original index.
 *
 * @returns `order` with `order[p]` = original index of the topic placed at position p.
 */
export function canonicalTopicOrder(
  W: Float64Array,
  H: Float64Array,
  nDocs: number,
  nTerms: number,
  k: number,
): Int32Array {
  const weight = new Float64Array(k);
  for (let t = 0; t < k; t++) {
    let wSum = 0;
    for (let d = 0; d < nDocs; d++) wSum += W[d * k + t];
    let hSum = 0;
    const hb = t * nTerms;
    for (let j = 0; j < nTerms; j++) hSum += H[hb + j];
    weight[t] = wSum * hSum;
  }
  return topK(weight, k);
}

/**
 * Reorders the topics: topic p of the result is topic `order[p]` of the input (column of W,
 * row of H). Returns new arrays; the inputs are not modified.
 */
export function permuteTopics(
  W: Float64Array,
  H: Float64Array,
  order: Int32Array,
  nDocs: number,
  nTerms: number,
  k: number,
): { W: Float64Array; H: Float64Array } {
  if (order.length !== k) throw new RangeError(`order has ${order.length} entries, expected ${k}`);
  const outW = new Float64Array(nDocs * k);
  const outH = new Float64Array(k * nTerms);
  for (let p = 0; p < k; p++) {
    const t = order[p];
    for (let d = 0; d < nDocs; d++) outW[d * k + p] = W[d * k + t];
    outH.set(H.subarray(t * nTerms, (t + 1) * nTerms), p * nTerms);
  }
  return { W: outW, H: outH };
}

/**
 * {@link canonicalTopicOrder} then {@link permuteTopics} with H given as the solvers' Hᵀ
 * (nTerms x k, terms renumbered: row c is the caller's term `termOrder[c]`): the same W and H
 * (k x nTerms, the caller's term order) as restoring H first, without building it. H's row sums
 * still run over the caller's terms in order, so the weights, and the order, have the same bits.
 * The loops run as WebAssembly when the executor has it (W and Ht must then be visible to its
 * threads); the results are ordinary arrays.
 */
export function sortTopicsTransposed(
  W: Float64Array,
  Ht: Float64Array,
  termOrder: Int32Array,
  nDocs: number,
  k: number,
  executor: ParallelExecutor = serialExecutor,
): { W: Float64Array; H: Float64Array } {
  const nTerms = termOrder.length;
  const order = executor.share(termOrder);
  const sums: TopicSumsTask = {
    W,
    nDocs,
    Ht,
    termOrder: order,
    rank: executor.createInt32Array(nTerms),
    nTerms,
    k,
    sums: executor.createFloat64Array(2 * k),
  };
  executor.runChunks(topicSumsKernel, sums, 1, 0);
  const weight = new Float64Array(k);
  for (let t = 0; t < k; t++) weight[t] = sums.sums[t] * sums.sums[k + t];
  const permute: PermuteTopicsTask = {
    W,
    nDocs,
    Ht,
    termOrder: order,
    nTerms,
    k,
    order: executor.share(topK(weight, k)),
    outW: executor.createFloat64Array(nDocs * k),
    outH: executor.createFloat64Array(k * nTerms),
  };
  executor.runChunks(permuteTopicsKernel, permute, 1, 0);
  // Copies out of the executor's memory, which is reused once the fit returns.
  return { W: permute.outW.slice(), H: permute.outH.slice() };
}

/** Task of {@link topicSumsKernel}: see {@link sumTopicWeightsInto}. */
export interface TopicSumsTask {
  W: Float64Array;
  nDocs: number;
  Ht: Float64Array;
  termOrder: Int32Array;
  rank: Int32Array;
  nTerms: number;
  k: number;
  sums: Float64Array;
}

/** Chunk 0 (the only one): {@link sumTopicWeightsInto}, as WebAssembly (assembly/order.ts topicSums) when the executor has it. */
export const topicSumsKernel: ParallelKernel<TopicSumsTask> = {
  name: "nmf.topicSums",
  run(task, _chunk, native) {
    const { W, Ht, termOrder, rank, sums } = task;
    if (native !== null) {
      native.topicSums(W.byteOffset, task.nDocs, Ht.byteOffset, termOrder.byteOffset, rank.byteOffset, task.nTerms, task.k, sums.byteOffset);
    } else {
      sumTopicWeightsInto(task);
    }
  },
};

/**
 * `sums[t] = sum_d W[d, t]` (d in order) and `sums[k + t] = sum_j H[t, j]` (the caller's terms j
 * in order, read from Ht through `rank`, the inverse of termOrder, filled here): the two factors
 * of {@link canonicalTopicOrder}'s weights, with its sums' order.
 */
export function sumTopicWeightsInto(task: TopicSumsTask): void {
  const { W, nDocs, Ht, termOrder, rank, nTerms, k, sums } = task;
  for (let c = 0; c < nTerms; c++) rank[termOrder[c]] = c;
  sums.fill(0, 0, 2 * k);
  for (let d = 0; d < nDocs; d++) {
    const base = d * k;
    for (let t = 0; t < k; t++) sums[t] += W[base + t];
  }
  for (let j = 0; j < nTerms; j++) {
    const base = rank[j] * k;
    for (let t = 0; t < k; t++) sums[k + t] += Ht[base + t];
  }
}

/** Task of {@link permuteTopicsKernel}: see {@link permuteTopicsTransposedInto}. */
export interface PermuteTopicsTask {
  W: Float64Array;
  nDocs: number;
  Ht: Float64Array;
  termOrder: Int32Array;
  nTerms: number;
  k: number;
  order: Int32Array;
  outW: Float64Array;
  outH: Float64Array;
}

/** Chunk 0 (the only one): {@link permuteTopicsTransposedInto}, as WebAssembly (assembly/order.ts permuteTopicFactors) when the executor has it. */
export const permuteTopicsKernel: ParallelKernel<PermuteTopicsTask> = {
  name: "nmf.permuteTopics",
  run(task, _chunk, native) {
    const { W, Ht, termOrder, order, outW, outH } = task;
    if (native !== null) {
      native.permuteTopicFactors(W.byteOffset, task.nDocs, Ht.byteOffset, termOrder.byteOffset, task.nTerms, task.k, order.byteOffset, outW.byteOffset, outH.byteOffset);
    } else {
      permuteTopicsTransposedInto(task);
    }
  },
};

/** `outW[d, p] = W[d, order[p]]` and `outH[p, termOrder[c]] = Ht[c, order[p]]`. */
export function permuteTopicsTransposedInto(task: PermuteTopicsTask): void {
  const { W, nDocs, Ht, termOrder, nTerms, k, order, outW, outH } = task;
  for (let d = 0; d < nDocs; d++) {
    const base = d * k;
    for (let p = 0; p < k; p++) outW[base + p] = W[base + order[p]];
  }
  for (let c = 0; c < nTerms; c++) {
    const j = termOrder[c];
    const base = c * k;
    for (let p = 0; p < k; p++) outH[p * nTerms + j] = Ht[base + order[p]];
  }
}

/**
 * The `n` terms of largest weight `H[topic, j]` in topic `topic`, best first; equal weights by
 * lower term index j. `n` is clipped to nTerms.
 */
export function topTermIndices(H: Float64Array, topic: number, nTerms: number, n: number): Int32Array {
  return topK(H, n, topic * nTerms, nTerms);
}
