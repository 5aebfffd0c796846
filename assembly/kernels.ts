// WebAssembly SIMD versions of the hot chunk kernels (AssemblyScript, compiled by `npm run build`
// into dist/wasm/kernels.wasm). Each function does the same floating-point operations in the same
// order as its JavaScript twin in src/ (named in its comment), so both give the same bits: the
// 128-bit lanes only ever hold two *different outputs* (two columns), never two terms of one sum,
// and there is no fused multiply-add. The JavaScript versions stay the reference and the fallback;
// test/unit/parallel/kernels.test.ts checks that both agree bit for bit.
//
// Memory is imported and shared between the threads; every pointer is a byte offset into it
// (`array.byteOffset` of a view the heap allocated). Matrices are row-major f64, CSR arrays i32.

// ---------------------------------------------------------------------------------------------
// Sparse row times dense: out[o + t] = sum_p data[p] * B[indices[p]*k + t] over the stored entries
// of one CSR row, p in order (src/linalg/sparse.ts csrRowTimesDenseInto). Outputs accumulate in
// registers, up to 20 columns (10 lanes) per pass over the row's entries, so k <= 20 takes one pass.

/**
 * One pass for columns [t, t + 2n) (n lanes; n is a constant at every call site, so the unused
 * lanes fold away), storing `width` = 2n or 2n - 1 outputs. With an odd width the last lane also
 * reads the value after the row's last column (the next row of B, or the heap's tail padding)
 * into an output that is never stored.
 */
// @ts-ignore: decorator
@inline function gatherLanes(n: i32, width: i32, p0: i32, p1: i32, indices: usize, data: usize, B: usize, k: i32, t: i32, o: usize): void {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0), a4 = f64x2.splat(0);
  let a5 = f64x2.splat(0), a6 = f64x2.splat(0), a7 = f64x2.splat(0), a8 = f64x2.splat(0), a9 = f64x2.splat(0);
  for (let p = p0; p < p1; p++) {
    const v = f64x2.splat(load<f64>(data + (<usize>p << 3)));
    const b = B + (<usize>(load<i32>(indices + (<usize>p << 2)) * k + t) << 3);
    a0 = f64x2.add(a0, f64x2.mul(v, v128.load(b)));
    if (n > 1) a1 = f64x2.add(a1, f64x2.mul(v, v128.load(b, 16)));
    if (n > 2) a2 = f64x2.add(a2, f64x2.mul(v, v128.load(b, 32)));
    if (n > 3) a3 = f64x2.add(a3, f64x2.mul(v, v128.load(b, 48)));
    if (n > 4) a4 = f64x2.add(a4, f64x2.mul(v, v128.load(b, 64)));
    if (n > 5) a5 = f64x2.add(a5, f64x2.mul(v, v128.load(b, 80)));
    if (n > 6) a6 = f64x2.add(a6, f64x2.mul(v, v128.load(b, 96)));
    if (n > 7) a7 = f64x2.add(a7, f64x2.mul(v, v128.load(b, 112)));
    if (n > 8) a8 = f64x2.add(a8, f64x2.mul(v, v128.load(b, 128)));
    if (n > 9) a9 = f64x2.add(a9, f64x2.mul(v, v128.load(b, 144)));
  }
  storeLane(a0, 0, width, o); storeLane(a1, 1, width, o); storeLane(a2, 2, width, o); storeLane(a3, 3, width, o);
  storeLane(a4, 4, width, o); storeLane(a5, 5, width, o); storeLane(a6, 6, width, o); storeLane(a7, 7, width, o);
  storeLane(a8, 8, width, o); storeLane(a9, 9, width, o);
}

/** Stores lane pair `i` (outputs 2i, 2i + 1) where they are below `width`. */
// @ts-ignore: decorator
@inline function storeLane(a: v128, i: i32, width: i32, o: usize): void {
  if (2 * i + 2 <= width) v128.store(o + (<usize>i << 4), a);
  else if (2 * i + 1 == width) store<f64>(o + (<usize>i << 4), f64x2.extract_lane(a, 0));
}

/** Columns [t, t + width) of one row, width in 1..20, in one pass. */
function gatherTail(width: i32, p0: i32, p1: i32, indices: usize, data: usize, B: usize, k: i32, t: i32, o: usize): void {
  switch (width) {
    case 1: gatherLanes(1, 1, p0, p1, indices, data, B, k, t, o); break;
    case 2: gatherLanes(1, 2, p0, p1, indices, data, B, k, t, o); break;
    case 3: gatherLanes(2, 3, p0, p1, indices, data, B, k, t, o); break;
    case 4: gatherLanes(2, 4, p0, p1, indices, data, B, k, t, o); break;
    case 5: gatherLanes(3, 5, p0, p1, indices, data, B, k, t, o); break;
    case 6: gatherLanes(3, 6, p0, p1, indices, data, B, k, t, o); break;
    case 7: gatherLanes(4, 7, p0, p1, indices, data, B, k, t, o); break;
    case 8: gatherLanes(4, 8, p0, p1, indices, data, B, k, t, o); break;
    case 9: gatherLanes(5, 9, p0, p1, indices, data, B, k, t, o); break;
    case 10: gatherLanes(5, 10, p0, p1, indices, data, B, k, t, o); break;
    case 11: gatherLanes(6, 11, p0, p1, indices, data, B, k, t, o); break;
    case 12: gatherLanes(6, 12, p0, p1, indices, data, B, k, t, o); break;
    case 13: gatherLanes(7, 13, p0, p1, indices, data, B, k, t, o); break;
    case 14: gatherLanes(7, 14, p0, p1, indices, data, B, k, t, o); break;
    case 15: gatherLanes(8, 15, p0, p1, indices, data, B, k, t, o); break;
    case 16: gatherLanes(8, 16, p0, p1, indices, data, B, k, t, o); break;
    case 17: gatherLanes(9, 17, p0, p1, indices, data, B, k, t, o); break;
    case 18: gatherLanes(9, 18, p0, p1, indices, data, B, k, t, o); break;
    case 19: gatherLanes(10, 19, p0, p1, indices, data, B, k, t, o); break;
    default: gatherLanes(10, 20, p0, p1, indices, data, B, k, t, o);
  }
}

function gatherRow(indptr: usize, indices: usize, data: usize, row: i32, B: usize, k: i32, o: usize): void {
  const p0 = load<i32>(indptr + (<usize>row << 2));
  const p1 = load<i32>(indptr + (<usize>row << 2), 4);
  let t = 0;
  for (; t + 20 < k; t += 20) gatherLanes(10, 20, p0, p1, indices, data, B, k, t, o + (<usize>t << 3));
  gatherTail(k - t, p0, p1, indices, data, B, k, t, o + (<usize>t << 3));
}

/** Rows [r0, r1) of out = A·B, A CSR, B dense (nCols(A) x k), out dense (nRows(A) x k). */
export function csrTimesDenseRows(indptr: usize, indices: usize, data: usize, B: usize, k: i32, out: usize, r0: i32, r1: i32): void {
  for (let i = r0; i < r1; i++) gatherRow(indptr, indices, data, i, B, k, out + (<usize>(i * k) << 3));
}

// ---------------------------------------------------------------------------------------------
// HALS (src/nmf/solvers/cd.ts updateRowInPlace, updateBlockInPlace and halsSweepKernel).

/** g[t] += a * G[gb + t] for t in [t0, k): two columns per step. */
// @ts-ignore: decorator
@inline function axpy(g: usize, a: f64, G: usize, t0: i32, k: i32): void {
  const av = f64x2.splat(a);
  let t = t0;
  for (; t + 2 <= k; t += 2) {
    const q = <usize>t << 3;
    v128.store(g + q, f64x2.add(v128.load(g + q), f64x2.mul(av, v128.load(G + q))));
  }
  if (t < k) {
    const q = <usize>t << 3;
    store<f64>(g + q, load<f64>(g + q) + a * load<f64>(G + q));
  }
}

/** g = G·a + l1 - b for the row at A: the gradient of its quadratic before any update. */
// @ts-ignore: decorator
@inline function startGradient(A: usize, G: usize, b: usize, k: i32, l1: f64, g: usize): void {
  for (let t = 0; t < k; t++) {
    const q = <usize>t << 3;
    store<f64>(g + q, l1 - load<f64>(b + q));
  }
  for (let r = 0; r < k; r++) {
    const a = load<f64>(A + (<usize>r << 3));
    if (a == 0) continue;
    axpy(g, a, G + (<usize>(r * k) << 3), 0, k);
  }
}

/**
 * Updates coordinate t of the row at A from its gradient g[t], then the gradients of the later
 * coordinates; returns what the coordinate adds to the violation. A zero with a non-negative
 * gradient stays zero and adds +0 (the general path computes max(0 - grad/hess, 0) = 0 = a and
 * max(-grad, 0) = +0): skipping it saves a division on most coordinates of the sparse rows of Hᵀ.
 */
// @ts-ignore: decorator
@inline function updateCoordinate(A: usize, G: usize, g: usize, k: i32, t: i32): f64 {
  const q = <usize>t << 3;
  const a = load<f64>(A + q);
  const grad = load<f64>(g + q);
  if (a == 0 && grad >= 0) return 0;
  const violation = a > 0 ? Math.abs(grad) : Math.max(-grad, 0);
  const hess = load<f64>(G + (<usize>(t * k + t) << 3));
  if (hess != 0) {
    const next = Math.max(a - grad / hess, 0);
    if (next != a) {
      store<f64>(A + q, next);
      axpy(g, next - a, G + (<usize>(t * k) << 3), t + 1, k);
    }
  }
  return violation;
}

/** Coordinate updates of the row at A (k values) with linear term b; returns the row's violation. */
function updateRow(A: usize, G: usize, b: usize, k: i32, l1: f64, g: usize): f64 {
  startGradient(A, G, b, k, l1, g);
  let violation: f64 = 0;
  for (let t = 0; t < k; t++) violation += updateCoordinate(A, G, g, k, t);
  return violation;
}

/**
 * Adds an updated row's terms to the chunk's sums: returns cross + sum_t b_t·a_t (t in order) and
 * adds the upper triangle of aᵀa to the Gram block, from the row's non-zeros (listed in idx/val).
 */
// @ts-ignore: decorator
@inline function accumulateRow(cross: f64, row: usize, linear: usize, k: i32, idx: usize, val: usize, gram: usize): f64 {
  let count = 0;
  for (let t = 0; t < k; t++) {
    const a = load<f64>(row + (<usize>t << 3));
    if (a != 0) {
      store<i32>(idx + (<usize>count << 2), t);
      store<f64>(val + (<usize>count << 3), a);
      count++;
      cross += load<f64>(linear + (<usize>t << 3)) * a;
    }
  }
  if (2 * count > k) {
    // Mostly dense row: whole contiguous rows of the Gram block, two columns per lane. The
    // zeros of the row add a·0 = +0 to sums of non-negative terms: no bit changes.
    for (let u = 0; u < count; u++) {
      const t = load<i32>(idx + (<usize>u << 2));
      axpy(gram + (<usize>(t * k) << 3), load<f64>(val + (<usize>u << 3)), row, t, k);
    }
  } else {
    for (let u = 0; u < count; u++) {
      const a = load<f64>(val + (<usize>u << 3));
      const gRow = gram + (<usize>(load<i32>(idx + (<usize>u << 2)) * k) << 3);
      for (let v = u; v < count; v++) {
        const q = gRow + (<usize>load<i32>(idx + (<usize>v << 2)) << 3);
        store<f64>(q, load<f64>(q) + a * load<f64>(val + (<usize>v << 3)));
      }
    }
  }
  return cross;
}

// Rows of up to 64 topics keep their non-zeros and the coordinates left to update as bit sets
// (found with vector compares), so the loops visit only those: the same coordinates in the same
// order as the loops above, without their hard-to-predict branch on every coordinate (most of a
// row of Hᵀ is zeros that stay zero).

/** Bits 0..k-1 set (k <= 64). */
// @ts-ignore: decorator
@inline function lowBits(k: i32): u64 {
  return k >= 64 ? <u64>-1 : (<u64>1 << <u64>k) - 1;
}

/** Bit t set where the row's value t is not 0 (k <= 64; an odd k reads one value past the row). */
// @ts-ignore: decorator
@inline function nonzeroBits(A: usize, k: i32): u64 {
  const zero = f64x2.splat(0);
  let bits: u64 = 0;
  for (let t = 0; t < k; t += 2) {
    bits |= <u64>i64x2.bitmask(f64x2.ne(v128.load(A + (<usize>t << 3)), zero)) << <u64>t;
  }
  return bits & lowBits(k);
}

/**
 * Bit t set where coordinate t needs {@link updateCoordinate}'s work: a non-zero value, or a
 * gradient that is not >= 0 (negative or NaN).
 */
// @ts-ignore: decorator
@inline function pendingBits(A: usize, g: usize, k: i32): u64 {
  const zero = f64x2.splat(0);
  let bits: u64 = 0;
  for (let t = 0; t < k; t += 2) {
    const q = <usize>t << 3;
    const pending = v128.or(f64x2.ne(v128.load(A + q), zero), v128.not(f64x2.ge(v128.load(g + q), zero)));
    bits |= <u64>i64x2.bitmask(pending) << <u64>t;
  }
  return bits & lowBits(k);
}

/**
 * {@link axpy} from column t0 that also returns the pending bits (see {@link pendingBits}) of
 * columns t0..k-1 (bit s for column s) with the updated g: one pass instead of two.
 */
// @ts-ignore: decorator
@inline function axpyPending(g: usize, a: f64, G: usize, A: usize, t0: i32, k: i32): u64 {
  const av = f64x2.splat(a);
  const zero = f64x2.splat(0);
  let bits: u64 = 0;
  let t = t0;
  for (; t + 2 <= k; t += 2) {
    const q = <usize>t << 3;
    const next = f64x2.add(v128.load(g + q), f64x2.mul(av, v128.load(G + q)));
    v128.store(g + q, next);
    const pending = v128.or(f64x2.ne(v128.load(A + q), zero), v128.not(f64x2.ge(next, zero)));
    bits |= <u64>i64x2.bitmask(pending) << <u64>t;
  }
  if (t < k) {
    const q = <usize>t << 3;
    const next = load<f64>(g + q) + a * load<f64>(G + q);
    store<f64>(g + q, next);
    if (load<f64>(A + q) != 0 || !(next >= 0)) bits |= <u64>1 << <u64>t;
  }
  return bits;
}

/**
 * The row's non-zero bits after the last {@link updateRowBits} (globals are per thread): the
 * update knows which coordinates it moved to or from zero.
 */
let rowNonzero: u64 = 0;

/**
 * g = l1 - b + sum_r a_r·G[r,:] over the non-zeros r in order, for k <= 2n <= 20 held in n lanes
 * (n is a constant at each call site): the same sums as {@link startGradient}, without storing
 * and reloading g for every non-zero. An odd k computes one lane past the row (from the values
 * after b and after each row of G) and stores it into g's spare slot (the scratch after g).
 */
// @ts-ignore: decorator
@inline function gradientLanes(n: i32, A: usize, G: usize, b: usize, k: i32, l1: f64, g: usize, nonzero: u64): void {
  const l1v = f64x2.splat(l1);
  let a0 = f64x2.sub(l1v, v128.load(b)), a1 = l1v, a2 = l1v, a3 = l1v, a4 = l1v, a5 = l1v, a6 = l1v, a7 = l1v, a8 = l1v, a9 = l1v;
  if (n > 1) a1 = f64x2.sub(l1v, v128.load(b, 16));
  if (n > 2) a2 = f64x2.sub(l1v, v128.load(b, 32));
  if (n > 3) a3 = f64x2.sub(l1v, v128.load(b, 48));
  if (n > 4) a4 = f64x2.sub(l1v, v128.load(b, 64));
  if (n > 5) a5 = f64x2.sub(l1v, v128.load(b, 80));
  if (n > 6) a6 = f64x2.sub(l1v, v128.load(b, 96));
  if (n > 7) a7 = f64x2.sub(l1v, v128.load(b, 112));
  if (n > 8) a8 = f64x2.sub(l1v, v128.load(b, 128));
  if (n > 9) a9 = f64x2.sub(l1v, v128.load(b, 144));
  let bits = nonzero;
  while (bits != 0) {
    const r = <i32>ctz(bits);
    bits &= bits - 1;
    const v = f64x2.splat(load<f64>(A + (<usize>r << 3)));
    const Gr = G + (<usize>(r * k) << 3);
    a0 = f64x2.add(a0, f64x2.mul(v, v128.load(Gr)));
    if (n > 1) a1 = f64x2.add(a1, f64x2.mul(v, v128.load(Gr, 16)));
    if (n > 2) a2 = f64x2.add(a2, f64x2.mul(v, v128.load(Gr, 32)));
    if (n > 3) a3 = f64x2.add(a3, f64x2.mul(v, v128.load(Gr, 48)));
    if (n > 4) a4 = f64x2.add(a4, f64x2.mul(v, v128.load(Gr, 64)));
    if (n > 5) a5 = f64x2.add(a5, f64x2.mul(v, v128.load(Gr, 80)));
    if (n > 6) a6 = f64x2.add(a6, f64x2.mul(v, v128.load(Gr, 96)));
    if (n > 7) a7 = f64x2.add(a7, f64x2.mul(v, v128.load(Gr, 112)));
    if (n > 8) a8 = f64x2.add(a8, f64x2.mul(v, v128.load(Gr, 128)));
    if (n > 9) a9 = f64x2.add(a9, f64x2.mul(v, v128.load(Gr, 144)));
  }
  v128.store(g, a0);
  if (n > 1) v128.store(g, a1, 16);
  if (n > 2) v128.store(g, a2, 32);
  if (n > 3) v128.store(g, a3, 48);
  if (n > 4) v128.store(g, a4, 64);
  if (n > 5) v128.store(g, a5, 80);
  if (n > 6) v128.store(g, a6, 96);
  if (n > 7) v128.store(g, a7, 112);
  if (n > 8) v128.store(g, a8, 128);
  if (n > 9) v128.store(g, a9, 144);
}

/** The starting gradient of {@link updateRowBits}: in registers for k <= 20, else through memory. */
function startGradientBits(A: usize, G: usize, b: usize, k: i32, l1: f64, g: usize, nonzero: u64): void {
  switch ((k + 1) >> 1) {
    case 1: gradientLanes(1, A, G, b, k, l1, g, nonzero); return;
    case 2: gradientLanes(2, A, G, b, k, l1, g, nonzero); return;
    case 3: gradientLanes(3, A, G, b, k, l1, g, nonzero); return;
    case 4: gradientLanes(4, A, G, b, k, l1, g, nonzero); return;
    case 5: gradientLanes(5, A, G, b, k, l1, g, nonzero); return;
    case 6: gradientLanes(6, A, G, b, k, l1, g, nonzero); return;
    case 7: gradientLanes(7, A, G, b, k, l1, g, nonzero); return;
    case 8: gradientLanes(8, A, G, b, k, l1, g, nonzero); return;
    case 9: gradientLanes(9, A, G, b, k, l1, g, nonzero); return;
    case 10: gradientLanes(10, A, G, b, k, l1, g, nonzero); return;
  }
  for (let t = 0; t < k; t++) {
    const q = <usize>t << 3;
    store<f64>(g + q, l1 - load<f64>(b + q));
  }
  let bits = nonzero;
  while (bits != 0) {
    const r = <i32>ctz(bits);
    bits &= bits - 1;
    axpy(g, load<f64>(A + (<usize>r << 3)), G + (<usize>(r * k) << 3), 0, k);
  }
}

/** {@link updateRow} for k <= 64, visiting only the non-zeros and the pending coordinates. */
function updateRowBits(A: usize, G: usize, b: usize, k: i32, l1: f64, g: usize): f64 {
  let nonzero = nonzeroBits(A, k);
  startGradientBits(A, G, b, k, l1, g, nonzero);
  let violation: f64 = 0;
  let pending = pendingBits(A, g, k);
  while (pending != 0) {
    const t = <i32>ctz(pending);
    pending &= pending - 1;
    const q = <usize>t << 3;
    const a = load<f64>(A + q);
    const grad = load<f64>(g + q);
    violation += a > 0 ? Math.abs(grad) : Math.max(-grad, 0);
    const hess = load<f64>(G + (<usize>(t * k + t) << 3));
    if (hess == 0) continue;
    const next = Math.max(a - grad / hess, 0);
    if (next == a) continue;
    store<f64>(A + q, next);
    const bit = <u64>1 << <u64>t;
    nonzero = next != 0 ? nonzero | bit : nonzero & ~bit;
    // The later gradients moved, and with them which later coordinates are pending.
    pending = axpyPending(g, next - a, G + (<usize>(t * k) << 3), A, t + 1, k);
  }
  rowNonzero = nonzero;
  return violation;
}

/** {@link accumulateRow} for k <= 64, from the bit set of the row's non-zeros. */
// @ts-ignore: decorator
@inline function accumulateRowBits(cross: f64, row: usize, linear: usize, k: i32, gram: usize, nonzero: u64): f64 {
  let bits = nonzero;
  while (bits != 0) {
    const q = <usize>ctz(bits) << 3;
    bits &= bits - 1;
    cross += load<f64>(linear + q) * load<f64>(row + q);
  }
  if (2 * <i32>popcnt(nonzero) > k) {
    bits = nonzero;
    while (bits != 0) {
      const t = <i32>ctz(bits);
      bits &= bits - 1;
      axpy(gram + (<usize>(t * k) << 3), load<f64>(row + (<usize>t << 3)), row, t, k);
    }
  } else {
    bits = nonzero;
    while (bits != 0) {
      const u = <i32>ctz(bits);
      const a = load<f64>(row + (<usize>u << 3));
      const gRow = gram + (<usize>(u * k) << 3);
      let later = bits;
      bits &= bits - 1;
      while (later != 0) {
        const q = <usize>ctz(later) << 3;
        later &= later - 1;
        store<f64>(gRow + q, load<f64>(gRow + q) + a * load<f64>(row + q));
      }
    }
  }
  return cross;
}

/** Up to this many topics a sweep goes by blocks of BLOCK_ROWS rows, topic by topic (src/nmf/solvers/cd.ts BLOCK_TOPICS, BLOCK_ROWS). */
const BLOCK_TOPICS = 20;
const BLOCK_ROWS = 64;

/**
 * updateBlockInPlace of src/nmf/solvers/cd.ts for the n rows at A (k <= BLOCK_TOPICS, linear
 * terms at `linear`, k per row): topics outer, rows inner, each gradient computed afresh,
 * (l1 - b_t) + sum_r G[t, r]·a_r with r in order. Two rows per 128-bit lane (two different
 * outputs); the zeros that JavaScript skips add +0 here, which changes no bit (every term is
 * >= 0 and the sum never is -0). Returns the block's violation, rows added in order.
 */
function updateBlock(A: usize, G: usize, linear: usize, k: i32, l1: f64, n: i32): f64 {
  const rowBytes = <usize>k << 3;
  const l1v = f64x2.splat(l1);
  const zero = f64x2.splat(0);
  let violation: f64 = 0;
  for (let t = 0; t < k; t++) {
    const Gt = G + <usize>(t * k) * 8;
    const tq = <usize>t << 3;
    const hess = load<f64>(Gt + tq);
    const hessv = f64x2.splat(hess);
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      const row0 = A + <usize>i * rowBytes;
      const row1 = row0 + rowBytes;
      const lin = linear + <usize>i * rowBytes + tq;
      let grad = f64x2.sub(l1v, f64x2.replace_lane(f64x2.splat(load<f64>(lin)), 1, load<f64>(lin + rowBytes)));
      for (let r = 0; r < k; r++) {
        const rq = <usize>r << 3;
        const a = f64x2.replace_lane(f64x2.splat(load<f64>(row0 + rq)), 1, load<f64>(row1 + rq));
        grad = f64x2.add(grad, f64x2.mul(f64x2.splat(load<f64>(Gt + rq)), a));
      }
      const a = f64x2.replace_lane(f64x2.splat(load<f64>(row0 + tq)), 1, load<f64>(row1 + tq));
      const part = v128.bitselect(f64x2.abs(grad), f64x2.max(f64x2.neg(grad), zero), f64x2.gt(a, zero));
      violation += f64x2.extract_lane(part, 0);
      violation += f64x2.extract_lane(part, 1);
      if (hess != 0) {
        const next = f64x2.max(f64x2.sub(a, f64x2.div(grad, hessv)), zero);
        store<f64>(row0 + tq, f64x2.extract_lane(next, 0));
        store<f64>(row1 + tq, f64x2.extract_lane(next, 1));
      }
    }
    if (i < n) {
      const row = A + <usize>i * rowBytes;
      let grad = l1 - load<f64>(linear + <usize>i * rowBytes + tq);
      for (let r = 0; r < k; r++) {
        const rq = <usize>r << 3;
        grad += load<f64>(Gt + rq) * load<f64>(row + rq);
      }
      const a = load<f64>(row + tq);
      violation += a > 0 ? Math.abs(grad) : Math.max(-grad, 0);
      if (hess != 0) store<f64>(row + tq, Math.max(a - grad / hess, 0));
    }
  }
  return violation;
}

/**
 * One chunk of a HALS sweep: rows [r0, r1) of A (n x k) updated in place. The linear term of row i
 * is row i of B when `precomputed`, else gathered from M (CSR) and `other`. partials (2 + k*k f64):
 * violation, cross = sum_i b_i·A[i,:] (updated rows), upper triangle of the rows' AᵀA, each summed
 * over the rows in order. scratch: 3k f64 then k i32 (4k·8 bytes).
 */
export function halsSweepRows(
  indptr: usize, indices: usize, data: usize, other: usize, B: usize, precomputed: i32,
  A: usize, G: usize, k: i32, l1: f64, r0: i32, r1: i32, partials: usize, scratch: usize,
): void {
  const rowBytes = <usize>k << 3;
  const b = scratch;
  const g = b + rowBytes;
  const val = g + rowBytes;
  const idx = val + rowBytes;
  const gram = partials + 16;
  memory.fill(partials, 0, (2 + <usize>k * <usize>k) << 3);
  let violation: f64 = 0;
  let cross: f64 = 0;
  if (k <= BLOCK_TOPICS) {
    // Blocks of rows, topic by topic (updateBlockInPlace); the block's linear terms at scratch.
    for (let i0 = r0; i0 < r1; i0 += BLOCK_ROWS) {
      const i1 = min(i0 + BLOCK_ROWS, r1);
      let linear = scratch;
      if (precomputed) linear = B + <usize>i0 * rowBytes;
      else for (let i = i0; i < i1; i++) gatherRow(indptr, indices, data, i, other, k, scratch + <usize>(i - i0) * rowBytes);
      violation += updateBlock(A + <usize>i0 * rowBytes, G, linear, k, l1, i1 - i0);
      for (let i = i0; i < i1; i++) {
        const row = A + <usize>i * rowBytes;
        cross = accumulateRowBits(cross, row, linear + <usize>(i - i0) * rowBytes, k, gram, nonzeroBits(row, k));
      }
    }
    store<f64>(partials, violation);
    store<f64>(partials, cross, 8);
    return;
  }
  for (let i = r0; i < r1; i++) {
    const row = A + <usize>i * rowBytes;
    let linear = b;
    if (precomputed) linear = B + <usize>i * rowBytes;
    else gatherRow(indptr, indices, data, i, other, k, b);
    if (k <= 64) {
      violation += updateRowBits(row, G, linear, k, l1, g);
      cross = accumulateRowBits(cross, row, linear, k, gram, rowNonzero);
    } else {
      violation += updateRow(row, G, linear, k, l1, g);
      cross = accumulateRow(cross, row, linear, k, idx, val, gram);
    }
  }
  store<f64>(partials, violation);
  store<f64>(partials, cross, 8);
}

// ---------------------------------------------------------------------------------------------
// Dense kernels (src/linalg/dense.ts).

/**
 * out[t*k + s] = sum_i A[i,t]·A[i,s] for s >= t over rows [r0, r1), rows in order (gramUpperInto):
 * each output accumulates over the rows; 8, 2 then 1 output(s) per pass.
 */
export function gramUpperRows(A: usize, k: i32, r0: i32, r1: i32, out: usize): void {
  const rowBytes = <usize>k << 3;
  for (let t = 0; t < k; t++) {
    const orow = out + <usize>t * rowBytes;
    const colT = A + (<usize>t << 3);
    let s = t;
    for (; s + 8 <= k; s += 8) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      for (let i = r0; i < r1; i++) {
        const base = <usize>i * rowBytes;
        const a = f64x2.splat(load<f64>(colT + base));
        const q = A + base + (<usize>s << 3);
        a0 = f64x2.add(a0, f64x2.mul(a, v128.load(q)));
        a1 = f64x2.add(a1, f64x2.mul(a, v128.load(q, 16)));
        a2 = f64x2.add(a2, f64x2.mul(a, v128.load(q, 32)));
        a3 = f64x2.add(a3, f64x2.mul(a, v128.load(q, 48)));
      }
      const o = orow + (<usize>s << 3);
      v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
    }
    for (; s + 2 <= k; s += 2) {
      let a0 = f64x2.splat(0);
      for (let i = r0; i < r1; i++) {
        const base = <usize>i * rowBytes;
        a0 = f64x2.add(a0, f64x2.mul(f64x2.splat(load<f64>(colT + base)), v128.load(A + base + (<usize>s << 3))));
      }
      v128.store(orow + (<usize>s << 3), a0);
    }
    if (s < k) {
      let a0: f64 = 0;
      for (let i = r0; i < r1; i++) {
        const base = <usize>i * rowBytes;
        a0 += load<f64>(colT + base) * load<f64>(A + base + (<usize>s << 3));
      }
      store<f64>(orow + (<usize>s << 3), a0);
    }
  }
}

/**
 * Rows [r0, r1) of out = A·B[:, 0:outCols] (multiplyBySmallRowsInto), A n x aCols, B aCols x bCols;
 * out (n x outCols) may be A itself: each row is built in `row` (outCols f64) first. With `upperB`,
 * the sums of a block of columns [j, j + w) stop at p < min(aCols, j + w), as in JavaScript.
 */
export function multiplyBySmallRows(
  A: usize, aCols: i32, B: usize, bCols: i32, upperB: i32, out: usize, outCols: i32, r0: i32, r1: i32, row: usize,
): void {
  const bRowBytes = <usize>bCols << 3;
  for (let i = r0; i < r1; i++) {
    const a = A + (<usize>(i * aCols) << 3);
    let j = 0;
    for (; j + 8 <= outCols; j += 8) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      const pEnd = upperB ? min(aCols, j + 8) : aCols;
      for (let p = 0; p < pEnd; p++) {
        const v = f64x2.splat(load<f64>(a + (<usize>p << 3)));
        const q = B + <usize>p * bRowBytes + (<usize>j << 3);
        a0 = f64x2.add(a0, f64x2.mul(v, v128.load(q)));
        a1 = f64x2.add(a1, f64x2.mul(v, v128.load(q, 16)));
        a2 = f64x2.add(a2, f64x2.mul(v, v128.load(q, 32)));
        a3 = f64x2.add(a3, f64x2.mul(v, v128.load(q, 48)));
      }
      const o = row + (<usize>j << 3);
      v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
    }
    for (; j + 4 <= outCols; j += 4) {
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0);
      const pEnd = upperB ? min(aCols, j + 4) : aCols;
      for (let p = 0; p < pEnd; p++) {
        const v = f64x2.splat(load<f64>(a + (<usize>p << 3)));
        const q = B + <usize>p * bRowBytes + (<usize>j << 3);
        a0 = f64x2.add(a0, f64x2.mul(v, v128.load(q)));
        a1 = f64x2.add(a1, f64x2.mul(v, v128.load(q, 16)));
      }
      const o = row + (<usize>j << 3);
      v128.store(o, a0); v128.store(o, a1, 16);
    }
    for (; j < outCols; j++) {
      let a0: f64 = 0;
      const pEnd = upperB ? min(aCols, j + 1) : aCols;
      for (let p = 0; p < pEnd; p++) a0 += load<f64>(a + (<usize>p << 3)) * load<f64>(B + <usize>p * bRowBytes + (<usize>j << 3));
      store<f64>(row + (<usize>j << 3), a0);
    }
    memory.copy(out + (<usize>(i * outCols) << 3), row, <usize>outCols << 3);
  }
}

// ---------------------------------------------------------------------------------------------
// Once-per-fit work, in their own files: the term layout (src/nmf/layout.ts), the normal draws,
// svd_flip and NNDSVD (src/linalg/random.ts, src/linalg/svd.ts, src/nmf/init.ts), the canonical
// topic order (src/nmf/order.ts) and the small SVD of the randomized SVD (src/linalg/svd.ts).
export { termLayout } from "./layout";
export { flipSigns, nndsvdFactors, polarPairs } from "./init";
export { permuteTopicFactors, topicSums } from "./order";
export { svdTall } from "./svd";
