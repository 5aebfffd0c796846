// WebAssembly version of the KL Newton sweep (src/nmf/solvers/ccd.ts newtonSweepKernel), compiled
// with assembly/kernels.ts into dist/wasm/kernels.wasm and following its conventions: pointers are
// byte offsets into the shared memory (0 stands for an absent array), the same floating-point
// operations in the same order as the JavaScript kernel, no fused multiply-add, so both give the
// same bits. The logarithm of the KL sums is left to JavaScript: this module's Math.log need not
// round like V8's.

/** Floor of W·H in the Newton steps (KL_FLOOR of src/nmf/objective.ts). */
const KL_FLOOR: f64 = 1e-12;

/** w counts as the only contribution to Y_ij when Y_ij - w·H_tj <= KEEP_SHARE · Y_ij (as in ccd.ts). */
const KEEP_SHARE: f64 = 1e-10;

/**
 * One chunk of a Newton sweep (newtonSweepKernel.run without the KL sums): rows [r0, r1) of A
 * (n x k, in place), row i paired with row i of M (CSR: indptr, indices, data), the other factor
 * read through its lists (oStart, oEnd, oTopics, oValues) and its column sums (otherSum), `steps`
 * Newton steps per coordinate. When listStart is not 0 the rows' non-zeros are listed from
 * position listPos on; when yOut is not 0 it receives W·H at the rows' entries. partials (the
 * chunk's slot, 4 + k f64) accumulates `sum A` at 16, `sum A²` at 24 and the column sums at 32.
 *
 * A row's scratch is its topic offsets and cursors (2k + 1 i32), W·H at its m entries (m f64)
 * and its (value, entry) pairs grouped by topic (12 bytes each; x is read from M through the
 * entry); a row whose scratch exceeds scratchBytes is left to JavaScript: returns the first such
 * row (r1 when every row was swept).
 */
export function newtonSweepRows(
  indptr: usize, indices: usize, data: usize, A: usize,
  oStart: usize, oEnd: usize, oTopics: usize, oValues: usize, otherSum: usize,
  k: i32, l1: f64, l2: f64, steps: i32,
  listStart: usize, listEnd: usize, listTopics: usize, listValues: usize, yOut: usize,
  r0: i32, r1: i32, listPos: i32, partials: usize, scratch: usize, scratchBytes: i32,
): i32 {
  const offsets = scratch;
  const cursor = offsets + (<usize>(k + 1) << 2);
  const y = scratch + ((<usize>(2 * k + 1) * 4 + 7) & ~7);
  const columnSums = partials + 32;
  let aSum = load<f64>(partials, 16);
  let aSumSq = load<f64>(partials, 24);
  let pos = listPos;
  let i = r0;
  for (; i < r1; i++) {
    const start = load<i32>(indptr + (<usize>i << 2));
    const m = load<i32>(indptr + (<usize>i << 2), 4) - start;
    const rowIndices = indices + (<usize>start << 2);
    const rowData = data + (<usize>start << 3);
    let pairs: u64 = 0;
    for (let e = 0; e < m; e++) {
      const j = <usize>load<i32>(rowIndices + (<usize>e << 2)) << 2;
      pairs += <u64>(load<i32>(oEnd + j) - load<i32>(oStart + j));
    }
    if (<u64>(y - scratch) + (<u64>m << 3) + pairs * 12 > <u64>scratchBytes) break;
    const values = y + (<usize>m << 3);
    const entries = values + (<usize>pairs << 3);
    // Group the row's (entry, other value) pairs by topic: count, prefix sums, place.
    memory.fill(cursor, 0, <usize>k << 2);
    for (let e = 0; e < m; e++) {
      const j = <usize>load<i32>(rowIndices + (<usize>e << 2)) << 2;
      for (let q = load<i32>(oStart + j), end = load<i32>(oEnd + j); q < end; q++) {
        const c = cursor + (<usize>load<i32>(oTopics + (<usize>q << 2)) << 2);
        store<i32>(c, load<i32>(c) + 1);
      }
    }
    store<i32>(offsets, 0);
    for (let t = 0; t < k; t++) {
      const o = load<i32>(offsets + (<usize>t << 2));
      store<i32>(offsets + (<usize>(t + 1) << 2), o + load<i32>(cursor + (<usize>t << 2)));
      store<i32>(cursor + (<usize>t << 2), o);
    }
    for (let e = 0; e < m; e++) {
      const j = <usize>load<i32>(rowIndices + (<usize>e << 2)) << 2;
      for (let q = load<i32>(oStart + j), end = load<i32>(oEnd + j); q < end; q++) {
        const c = cursor + (<usize>load<i32>(oTopics + (<usize>q << 2)) << 2);
        const slot = load<i32>(c);
        store<i32>(c, slot + 1);
        store<i32>(entries + (<usize>slot << 2), e);
        store<f64>(values + (<usize>slot << 3), load<f64>(oValues + (<usize>q << 3)));
      }
    }
    // W·H at the row's entries, topics in order.
    const row = A + (<usize>i * <usize>k << 3);
    memory.fill(y, 0, <usize>m << 3);
    for (let t = 0; t < k; t++) {
      const a = load<f64>(row + (<usize>t << 3));
      if (a == 0) continue;
      for (let q = load<i32>(offsets + (<usize>t << 2)), end = load<i32>(offsets + (<usize>t << 2), 4); q < end; q++) {
        const ye = y + (<usize>load<i32>(entries + (<usize>q << 2)) << 3);
        store<f64>(ye, load<f64>(ye) + a * load<f64>(values + (<usize>q << 3)));
      }
    }
    for (let t = 0; t < k; t++) {
      store<f64>(row + (<usize>t << 3), newtonCoordinate(
        load<f64>(row + (<usize>t << 3)), load<f64>(otherSum + (<usize>t << 3)) + l1, l2, steps,
        load<i32>(offsets + (<usize>t << 2)), load<i32>(offsets + (<usize>t << 2), 4), values, entries, rowData, y,
      ));
    }
    // The row's contributions to the sums, its list, and W·H at its entries.
    for (let t = 0; t < k; t++) {
      const a = load<f64>(row + (<usize>t << 3));
      const s = columnSums + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + a);
      aSum += a;
      aSumSq += a * a;
    }
    if (listStart != 0) {
      store<i32>(listStart + (<usize>i << 2), pos);
      for (let t = 0; t < k; t++) {
        const a = load<f64>(row + (<usize>t << 3));
        if (a != 0) {
          store<i32>(listTopics + (<usize>pos << 2), t);
          store<f64>(listValues + (<usize>pos << 3), a);
          pos++;
        }
      }
      store<i32>(listEnd + (<usize>i << 2), pos);
    }
    if (yOut != 0) memory.copy(yOut + (<usize>start << 3), y, <usize>m << 3);
  }
  store<f64>(partials, aSum, 16);
  store<f64>(partials, aSumSq, 24);
  return i;
}

/**
 * The Newton steps of one coordinate w (pairs [first, last) of its topic, linear = otherSum_t + l1),
 * keeping y = W·H at the row's entries current; returns the new w. See newtonSweepKernel for the
 * branches: the projected step, and the derivative at 0 (or halving) when the step crosses 0.
 */
// @ts-ignore: decorator
@inline function newtonCoordinate(
  w: f64, linear: f64, l2: f64, steps: i32, first: i32, last: i32, values: usize, entries: usize, rowData: usize, y: usize,
): f64 {
  for (let step = 0; step < steps; step++) {
    let g = linear + l2 * w;
    let h = l2;
    for (let q = first; q < last; q++) {
      const b = load<f64>(values + (<usize>q << 3));
      const e = <usize>load<i32>(entries + (<usize>q << 2)) << 3;
      let yp = load<f64>(y + e);
      if (yp < KL_FLOOR) yp = KL_FLOOR;
      const iy = 1 / yp;
      const z = load<f64>(rowData + e) * iy;
      g -= z * b;
      h += z * iy * b * b;
    }
    const s: f64 = h > 0 ? -g / h : g > 0 ? -w : 0;
    let next: f64;
    if (w + s <= 0) {
      if (w == 0) break;
      let g0 = linear;
      let h0 = l2;
      let barrier = false;
      for (let q = first; q < last; q++) {
        const e = <usize>load<i32>(entries + (<usize>q << 2)) << 3;
        const x = load<f64>(rowData + e);
        if (x == 0) continue;
        const b = load<f64>(values + (<usize>q << 3));
        const yp = load<f64>(y + e);
        const rest = yp - w * b;
        if (rest <= KEEP_SHARE * yp) {
          barrier = true;
          break;
        }
        const iy = 1 / rest;
        const z = x * iy;
        g0 -= z * b;
        h0 += z * iy * b * b;
      }
      if (barrier) next = 0.5 * w;
      else if (g0 >= 0 || !(h0 > 0)) next = 0;
      else next = Math.min(-g0 / h0, w);
    } else {
      next = w + s;
    }
    const delta = next - w;
    if (delta == 0) break;
    w = next;
    for (let q = first; q < last; q++) {
      const ye = y + (<usize>load<i32>(entries + (<usize>q << 2)) << 3);
      store<f64>(ye, load<f64>(ye) + delta * load<f64>(values + (<usize>q << 3)));
    }
  }
  return w;
}
