// WebAssembly version of the KL Newton sweep (src/nmf/solvers/ccd.ts newtonSweepKernel), compiled
// with assembly/kernels.ts into dist/wasm/kernels.wasm and following its conventions: pointers are
// byte offsets into the shared memory (0 stands for an absent array), the same floating-point
// operations in the same order as the JavaScript kernel, no fused multiply-add, so both give the
// same bits. The KL sums of a sweep are assembly/log.ts klSums.

import { KL_FLOOR } from "./log";

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
    pos = finishRow(row, k, partials, i, pos, listStart, listEnd, listTopics, listValues, yOut, start, y, m);
  }
  return i;
}

/**
 * The end of row i of a sweep, for both kernels: its values added to the sums of `partials`
 * (`sum A` at 16, `sum A²` at 24, column sums from 32), its list written from position `pos`
 * (returns where the next row's starts), and W·H at its m entries copied to yOut from `start`.
 */
// @ts-ignore: decorator
@inline function finishRow(
  row: usize, k: i32, partials: usize, i: i32, pos: i32, listStart: usize, listEnd: usize, listTopics: usize,
  listValues: usize, yOut: usize, start: i32, y: usize, m: i32,
): i32 {
  let aSum = load<f64>(partials, 16);
  let aSumSq = load<f64>(partials, 24);
  for (let t = 0; t < k; t++) {
    const a = load<f64>(row + (<usize>t << 3));
    const s = partials + 32 + (<usize>t << 3);
    store<f64>(s, load<f64>(s) + a);
    aSum += a;
    aSumSq += a * a;
  }
  store<f64>(partials, aSum, 16);
  store<f64>(partials, aSumSq, 24);
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
  return pos;
}

/** The Newton step from w (g, h: the derivatives there): -g/h, or -w (to 0) / 0 without curvature. */
// @ts-ignore: decorator
@inline function projectedStep(w: f64, g: f64, h: f64): f64 {
  return h > 0 ? -g / h : g > 0 ? -w : 0;
}

/**
 * The new w when the step crosses 0: half of w when w alone keeps some W·H positive where X is
 * (`barrier`), 0 when the derivative at 0 (g0) is not negative, else the Newton step from 0.
 */
// @ts-ignore: decorator
@inline function stepFromZero(w: f64, barrier: bool, g0: f64, h0: f64): f64 {
  if (barrier) return 0.5 * w;
  if (g0 >= 0 || !(h0 > 0)) return 0;
  return Math.min(-g0 / h0, w);
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
    let next = w + projectedStep(w, g, h);
    if (next <= 0) {
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
      next = stepFromZero(w, barrier, g0, h0);
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

/**
 * The same chunk of a Newton sweep as {@link newtonSweepRows}, for an other factor that is mostly
 * non-zeros: instead of grouping the row's (entry, value) pairs by topic, each row gathers the
 * other factor's values at its m entries into a dense block, topic-major (k rows of `stride` =
 * m rounded up to even f64), and every topic's step runs over all m entries. The zeros of the
 * block change nothing, so the bits are those of the grouped sweep: a product with b = 0 adds
 * +0 to W·H, to the gradient and to the curvature (all finite, W·H never -0), the update adds
 * delta·0 = ±0 to a non-negative W·H, and the derivative at 0 skips b = 0 as the lists do.
 *
 * The step's per-entry factors z = x / ŷ and z / ŷ (ŷ = max(W·H, 1e-12)) are kept with W·H and
 * computed again only after a coordinate moved: a coordinate that stays (most zeros of a
 * factor stay zero) costs no division, and the gradient and the curvature add the same products
 * as before, entries in order. W·H, the updates and the factors run two entries per 128-bit lane
 * (two different outputs).
 *
 * `other` is the other factor dense (one row of k values per column of M). Scratch per row:
 * (k + 3)·stride f64 (the block, W·H, z, z / ŷ); a row that does not fit is left to the caller:
 * returns the first such row (r1 when every row was swept).
 */
export function newtonSweepRowsDense(
  indptr: usize, indices: usize, data: usize, A: usize, other: usize, otherSum: usize,
  k: i32, l1: f64, l2: f64, steps: i32,
  listStart: usize, listEnd: usize, listTopics: usize, listValues: usize, yOut: usize,
  r0: i32, r1: i32, listPos: i32, partials: usize, scratch: usize, scratchBytes: i32,
): i32 {
  const block = scratch;
  const rowBytes = <usize>k << 3;
  let pos = listPos;
  let i = r0;
  for (; i < r1; i++) {
    const start = load<i32>(indptr + (<usize>i << 2));
    const m = load<i32>(indptr + (<usize>i << 2), 4) - start;
    const stride = <usize>((m + 1) & ~1);
    if (<u64>(k + 3) * <u64>stride * 8 > <u64>scratchBytes) break;
    const strideBytes = stride << 3;
    const y = block + <usize>k * strideBytes;
    const z = y + strideBytes;
    const zi = z + strideBytes;
    const rowIndices = indices + (<usize>start << 2);
    const rowData = data + (<usize>start << 3);
    // The block: value t of entry e at block[t·stride + e]. The padding entry of an odd m holds
    // whatever the scratch held (and x the next value of data, or the heap's tail padding): the
    // lanes compute there too, but nothing reads the results.
    for (let e = 0; e < m; e++) {
      const src = other + <usize>load<i32>(rowIndices + (<usize>e << 2)) * rowBytes;
      let dst = block + (<usize>e << 3);
      for (let t = 0; t < k; t++) {
        store<f64>(dst, load<f64>(src + (<usize>t << 3)));
        dst += strideBytes;
      }
    }
    // W·H at the row's entries, topics in order (a topic with w = 0 adds nothing).
    const row = A + <usize>i * rowBytes;
    memory.fill(y, 0, strideBytes);
    for (let t = 0; t < k; t++) {
      const a = load<f64>(row + (<usize>t << 3));
      if (a == 0) continue;
      const av = f64x2.splat(a);
      const values = block + <usize>t * strideBytes;
      for (let e: usize = 0; e < stride; e += 2) {
        const ye = y + (e << 3);
        v128.store(ye, f64x2.add(v128.load(ye), f64x2.mul(av, v128.load(values + (e << 3)))));
      }
    }
    stepFactors(y, z, zi, rowData, stride, f64x2.splat(0), 0);
    for (let t = 0; t < k; t++) {
      store<f64>(row + (<usize>t << 3), newtonCoordinateDense(
        load<f64>(row + (<usize>t << 3)), load<f64>(otherSum + (<usize>t << 3)) + l1, l2, steps,
        m, stride, block + <usize>t * strideBytes, rowData, y, z, zi,
      ));
    }
    pos = finishRow(row, k, partials, i, pos, listStart, listEnd, listTopics, listValues, yOut, start, y, m);
  }
  return i;
}

/**
 * When `values` is not 0, first y += delta·values; then z = x / ŷ and zi = z / ŷ with
 * ŷ = max(y, 1e-12) (pmax: y < 1e-12 ? 1e-12 : y, as the scalar code takes it), computed as
 * iy = 1 / ŷ, z = x·iy, zi = z·iy, the operations of the scalar step.
 */
// @ts-ignore: decorator
@inline function stepFactors(y: usize, z: usize, zi: usize, rowData: usize, stride: usize, delta: v128, values: usize): void {
  const floor = f64x2.splat(KL_FLOOR);
  const one = f64x2.splat(1);
  for (let e: usize = 0; e < stride; e += 2) {
    const o = e << 3;
    let ye = v128.load(y + o);
    if (values != 0) {
      ye = f64x2.add(ye, f64x2.mul(delta, v128.load(values + o)));
      v128.store(y + o, ye);
    }
    const iy = f64x2.div(one, f64x2.pmax(ye, floor));
    const ze = f64x2.mul(v128.load(rowData + o), iy);
    v128.store(z + o, ze);
    v128.store(zi + o, f64x2.mul(ze, iy));
  }
}

/**
 * {@link newtonCoordinate} over all m entries of a dense block row `values` (b = 0 where the
 * other factor is 0: see {@link newtonSweepRowsDense} for why the bits are the same), with the
 * per-entry factors z and zi of the current y.
 */
// @ts-ignore: decorator
@inline function newtonCoordinateDense(
  w: f64, linear: f64, l2: f64, steps: i32, m: i32, stride: usize, values: usize, rowData: usize, y: usize, z: usize, zi: usize,
): f64 {
  for (let step = 0; step < steps; step++) {
    let g = linear + l2 * w;
    let h = l2;
    for (let e = 0; e < m; e++) {
      const o = <usize>e << 3;
      const b = load<f64>(values + o);
      g -= load<f64>(z + o) * b;
      h += load<f64>(zi + o) * b * b;
    }
    let next = w + projectedStep(w, g, h);
    if (next <= 0) {
      if (w == 0) break;
      let g0 = linear;
      let h0 = l2;
      let barrier = false;
      for (let e = 0; e < m; e++) {
        const o = <usize>e << 3;
        const x = load<f64>(rowData + o);
        const b = load<f64>(values + o);
        if (x == 0 || b == 0) continue;
        const yp = load<f64>(y + o);
        const rest = yp - w * b;
        if (rest <= KEEP_SHARE * yp) {
          barrier = true;
          break;
        }
        const iy = 1 / rest;
        const zr = x * iy;
        g0 -= zr * b;
        h0 += zr * iy * b * b;
      }
      next = stepFromZero(w, barrier, g0, h0);
    }
    const delta = next - w;
    if (delta == 0) break;
    w = next;
    stepFactors(y, z, zi, rowData, stride, f64x2.splat(delta), values);
  }
  return w;
}
