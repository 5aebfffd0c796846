// The objective parts of a chunk of X's rows (src/nmf/objective.ts objectivePartsKernel): W·H at
// each stored entry, summed over topics in order, then the cross term and, for the KL loss, its
// sums (the logarithm of assembly/log.ts), entries in order. The same bits as JavaScript.

import { KL_FLOOR, naturalLog } from "./log";

/** The logarithm itself, exported for test/unit/linalg/log.test.ts (bits against JavaScript's twin). */
export { naturalLog };

/**
 * Rows [r0, r1) of X (CSR): out receives `[sum x·y, sum x·ln(x / max(y, 1e-12)), sum x]` with
 * y = W[i,:]·Ht[j,:] (the last two only when kl, stored zeros skipped); when yOut is not 0 it
 * receives y at the rows' entries.
 */
export function objectivePartsRows(
  indptr: usize, indices: usize, data: usize, W: usize, Ht: usize, k: i32, kl: bool, yOut: usize,
  r0: i32, r1: i32, out: usize,
): void {
  const rowBytes = <usize>k << 3;
  let cross: f64 = 0;
  let klSum: f64 = 0;
  let xSum: f64 = 0;
  for (let i = r0; i < r1; i++) {
    const w = W + <usize>i * rowBytes;
    for (let p = load<i32>(indptr + (<usize>i << 2)), end = load<i32>(indptr + (<usize>i << 2), 4); p < end; p++) {
      const h = Ht + <usize>load<i32>(indices + (<usize>p << 2)) * rowBytes;
      let y: f64 = 0;
      for (let t = 0; t < k; t++) y += load<f64>(w + (<usize>t << 3)) * load<f64>(h + (<usize>t << 3));
      if (yOut != 0) store<f64>(yOut + (<usize>p << 3), y);
      const x = load<f64>(data + (<usize>p << 3));
      cross += x * y;
      if (kl && x != 0) {
        klSum += x * naturalLog(x / (y > KL_FLOOR ? y : KL_FLOOR));
        xSum += x;
      }
    }
  }
  store<f64>(out, cross);
  store<f64>(out, klSum, 8);
  store<f64>(out, xSum, 16);
}

/**
 * `[sum x·ln(x / max(y, 1e-12)), sum x]` over positions [p0, p1) of data and y, zeros of x
 * skipped, in order (src/nmf/objective.ts klSumsInto), stored at out and out + 8.
 */
export function klSums(data: usize, y: usize, p0: i32, p1: i32, out: usize): void {
  let klSum: f64 = 0;
  let xSum: f64 = 0;
  for (let p = p0; p < p1; p++) {
    const x = load<f64>(data + (<usize>p << 3));
    if (x == 0) continue;
    const v = load<f64>(y + (<usize>p << 3));
    klSum += x * naturalLog(x / (v > KL_FLOOR ? v : KL_FLOOR));
    xSum += x;
  }
  store<f64>(out, klSum);
  store<f64>(out, xSum, 8);
}
