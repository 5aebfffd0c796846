/**
 * Top-k selection with a fixed tie-break (larger value first; equal values by lower index), so
 * that top words and any ranking built on it are reproducible.
 */

/** True when entry (va, ia) ranks below (vb, ib): smaller value, or equal value and higher index. */
function ranksBelow(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

/**
 * Indices of the `n` largest values of `values[offset .. offset + length)`, best first; equal
 * values are ordered by lower index. Indices are relative to `offset`. Uses a size-n min-heap:
 * O(length · log n). NaN values are never selected ahead of numbers.
 *
 * @param n number of indices wanted; clipped to `length`.
 * @param offset first position read (default 0).
 * @param length number of positions read (default `values.length - offset`).
 */
export function topK(values: Float64Array, n: number, offset = 0, length = values.length - offset): Int32Array {
  const size = Math.max(0, Math.min(n, length));
  const heapIdx = new Int32Array(size);
  const heapVal = new Float64Array(size);
  let count = 0;
  if (size === 0) return heapIdx;
  let j = 0;
  for (; j < length && count < size; j++) {
    let v = values[offset + j];
    if (v !== v) v = -Infinity; // NaN ranks last
    // sift up
    let i = count++;
    heapVal[i] = v;
    heapIdx[i] = j;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!ranksBelow(heapVal[i], heapIdx[i], heapVal[parent], heapIdx[parent])) break;
      const tv = heapVal[i]; heapVal[i] = heapVal[parent]; heapVal[parent] = tv;
      const ti = heapIdx[i]; heapIdx[i] = heapIdx[parent]; heapIdx[parent] = ti;
      i = parent;
    }
  }
  // The heap is full. A later index ranks above its minimum only with a larger value (equal
  // values keep the lower index; NaN is never larger): one comparison for most entries.
  let min = heapVal[0];
  for (; j < length; j++) {
    const v = values[offset + j];
    if (v > min) {
      heapVal[0] = v;
      heapIdx[0] = j;
      siftDown(heapVal, heapIdx, count, 0);
      min = heapVal[0];
    }
  }
  // Pop the heap from worst to best.
  const out = new Int32Array(size);
  for (let pos = size - 1; pos >= 0; pos--) {
    out[pos] = heapIdx[0];
    count--;
    heapVal[0] = heapVal[count];
    heapIdx[0] = heapIdx[count];
    siftDown(heapVal, heapIdx, count, 0);
  }
  return out;
}

/**
 * Restores the min-heap order (by {@link ranksBelow}) of the first `count` entries below `start`.
 * A module function, not a closure made by each call of {@link topK}: optimized code that inlined
 * one call's closure was thrown away (deoptimized) at the next call, once per topic.
 */
function siftDown(heapVal: Float64Array, heapIdx: Int32Array, count: number, start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= count) break;
    const r = l + 1;
    let m = l;
    if (r < count && ranksBelow(heapVal[r], heapIdx[r], heapVal[l], heapIdx[l])) m = r;
    if (!ranksBelow(heapVal[m], heapIdx[m], heapVal[i], heapIdx[i])) break;
    const tv = heapVal[i]; heapVal[i] = heapVal[m]; heapVal[m] = tv;
    const ti = heapIdx[i]; heapIdx[i] = heapIdx[m]; heapIdx[m] = ti;
    i = m;
  }
}
