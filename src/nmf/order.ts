/**
 * Canonical topic order and top terms, with fixed tie-breaks so the same corpus and seed always
 * print the same topic first. W is nDocs x k, H is k x nTerms (row-major).
 */
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
 * The `n` terms of largest weight `H[topic, j]` in topic `topic`, best first; equal weights by
 * lower term index j. `n` is clipped to nTerms.
 */
export function topTermIndices(H: Float64Array, topic: number, nTerms: number, n: number): Int32Array {
  return topK(H, n, topic * nTerms, nTerms);
}
