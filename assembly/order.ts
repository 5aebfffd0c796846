// WebAssembly version of the canonical topic order's loops (src/nmf/order.ts
// sortTopicsTransposed), compiled with assembly/kernels.ts (which re-exports them) and following
// its conventions: pointers are byte offsets into the shared memory, the same floating-point
// operations in the same order as the JavaScript twins (named in each comment), so both give the
// same bits. They run once per fit, where JavaScript is still cold.

/**
 * sums[t] = sum_d W[d, t] (d in order) and sums[k + t] = sum_j H[t, j] (j, the caller's term, in
 * order) with H given as Ht (nTerms x k, row c is the caller's term termOrder[c]); `rank`
 * (nTerms i32) receives the inverse of termOrder (sumTopicWeightsInto).
 */
export function topicSums(W: usize, nDocs: i32, Ht: usize, termOrder: usize, rank: usize, nTerms: i32, k: i32, sums: usize): void {
  for (let c = 0; c < nTerms; c++) store<i32>(rank + (<usize>load<i32>(termOrder + (<usize>c << 2)) << 2), c);
  const kb = <usize>k << 3;
  const wSum = sums;
  const hSum = sums + kb;
  memory.fill(sums, 0, 2 * kb);
  for (let d = 0; d < nDocs; d++) addRow(W + <usize>d * kb, k, wSum);
  for (let j = 0; j < nTerms; j++) addRow(Ht + <usize>load<i32>(rank + (<usize>j << 2)) * kb, k, hSum);
}

/** acc[t] += row[t] for t in [0, k). */
// @ts-ignore: decorator
@inline function addRow(row: usize, k: i32, acc: usize): void {
  for (let t = 0; t < k; t++) {
    const q = <usize>t << 3;
    store<f64>(acc + q, load<f64>(acc + q) + load<f64>(row + q));
  }
}

/**
 * outW[d, p] = W[d, order[p]] (nDocs x k) and outH[p, termOrder[c]] = Ht[c, order[p]] (k x
 * nTerms): the factors with their topics in `order` (k i32), H in the caller's term order
 * (permuteTopicsTransposedInto).
 */
export function permuteTopicFactors(
  W: usize, nDocs: i32, Ht: usize, termOrder: usize, nTerms: i32, k: i32, order: usize, outW: usize, outH: usize,
): void {
  const kb = <usize>k << 3;
  for (let d = 0; d < nDocs; d++) {
    const w = W + <usize>d * kb;
    const o = outW + <usize>d * kb;
    for (let p = 0; p < k; p++) store<f64>(o + (<usize>p << 3), load<f64>(w + (<usize>load<i32>(order + (<usize>p << 2)) << 3)));
  }
  const rowBytes = <usize>nTerms << 3;
  for (let c = 0; c < nTerms; c++) {
    const h = Ht + <usize>c * kb;
    const o = outH + (<usize>load<i32>(termOrder + (<usize>c << 2)) << 3);
    for (let p = 0; p < k; p++) store<f64>(o + <usize>p * rowBytes, load<f64>(h + (<usize>load<i32>(order + (<usize>p << 2)) << 3)));
  }
}
