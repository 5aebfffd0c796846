// WebAssembly versions of the once-per-fit loops of the initialisation: the normal draws of the
// randomized SVD (src/linalg/random.ts), svd_flip (src/linalg/svd.ts) and the NNDSVD factors
// (src/nmf/init.ts). Compiled with assembly/kernels.ts (which re-exports them) and following its
// conventions: pointers are byte offsets into the shared memory, the same floating-point
// operations in the same order as the JavaScript twins (named in each comment), no fused
// multiply-add, so both give the same bits. They run once, where JavaScript is still cold
// (interpreted, then waiting for its optimising compiler); this module is compiled before the fit.

// ---------------------------------------------------------------------------------------------
// xoshiro256** and Marsaglia's polar method (Xoshiro256StarStar in src/linalg/random.ts), with
// the logarithm of assembly/log.ts (the twin of the JavaScript one).

import { naturalLog } from "./log";

const TWO_POW_MINUS_53: f64 = 1.0 / 9007199254740992.0;

/**
 * `count` accepted pairs (u, v) of the polar method into out (2·count f64, u then v): u, v =
 * 2·nextFloat() - 1 until 0 < s = u² + v² < 1, with nextFloat = (xoshiro256** output >> 11)·2^-53,
 * each scaled by sqrt(-2·ln(s) / s) (polarPairsInto, then scalePolarPairs). The generator's state
 * is four u64 at `state`, read and written back.
 */
export function polarPairs(state: usize, out: usize, count: i32): void {
  let s0 = load<u64>(state), s1 = load<u64>(state, 8), s2 = load<u64>(state, 16), s3 = load<u64>(state, 24);
  for (let p = 0; p < count; p++) {
    let u: f64, v: f64, s: f64;
    do {
      let r = rotl<u64>(s1 * 5, 7) * 9;
      let t = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
      u = 2 * (<f64>(r >> 11) * TWO_POW_MINUS_53) - 1;
      r = rotl<u64>(s1 * 5, 7) * 9;
      t = s1 << 17;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u64>(s3, 45);
      v = 2 * (<f64>(r >> 11) * TWO_POW_MINUS_53) - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const m = Math.sqrt((-2 * naturalLog(s)) / s);
    const o = out + (<usize>p << 4);
    store<f64>(o, u * m);
    store<f64>(o, v * m, 8);
  }
  store<u64>(state, s0); store<u64>(state, s1, 8); store<u64>(state, s2, 16); store<u64>(state, s3, 24);
}

// ---------------------------------------------------------------------------------------------
// svd_flip (flipSigns in src/linalg/svd.ts).

/**
 * For each column j of U (nRows x k): when its entry of largest magnitude (the first on ties) is
 * negative, column j of U and of V (nCols x k) is negated. `scratch` holds k i32 then k f64.
 */
export function flipSigns(U: usize, V: usize, nRows: i32, nCols: i32, k: i32, scratch: usize): void {
  const best = scratch;
  const bestAbs = scratch + (<usize>k << 2);
  for (let j = 0; j < k; j++) {
    store<i32>(best + (<usize>j << 2), -1);
    store<f64>(bestAbs + (<usize>j << 3), -1);
  }
  for (let i = 0; i < nRows; i++) {
    const row = U + (<usize>(i * k) << 3);
    for (let j = 0; j < k; j++) {
      const a = Math.abs(load<f64>(row + (<usize>j << 3)));
      if (a > load<f64>(bestAbs + (<usize>j << 3))) {
        store<f64>(bestAbs + (<usize>j << 3), a);
        store<i32>(best + (<usize>j << 2), i);
      }
    }
  }
  // Column j is negated when best[j] >= 0 and U[best[j], j] < 0; marked by best[j] = -2.
  let flips = false;
  for (let j = 0; j < k; j++) {
    const b = load<i32>(best + (<usize>j << 2));
    const negative = b >= 0 && load<f64>(U + (<usize>(b * k + j) << 3)) < 0;
    store<i32>(best + (<usize>j << 2), negative ? -2 : 0);
    flips = flips || negative;
  }
  if (!flips) return;
  negateColumns(U, nRows, k, best);
  negateColumns(V, nCols, k, best);
}

/** A[i, j] = -A[i, j] for the columns j marked -2 in `mark` (A n x k). */
function negateColumns(A: usize, n: i32, k: i32, mark: usize): void {
  for (let i = 0; i < n; i++) {
    const row = A + (<usize>(i * k) << 3);
    for (let j = 0; j < k; j++) {
      if (load<i32>(mark + (<usize>j << 2)) == -2) {
        const a = row + (<usize>j << 3);
        store<f64>(a, -load<f64>(a));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// NNDSVD (nndsvdInto, nndsvdColumns, nndsvdEntry and thresholded in src/nmf/init.ts).

/** Entries of the NNDSVD factors below this are set to zero (NNDSVD_EPS). */
const NNDSVD_EPS: f64 = 1e-6;

// @ts-ignore: decorator
@inline function thresholded(value: f64, fill: f64): f64 {
  const v = value < NNDSVD_EPS ? 0 : value;
  return v == 0 ? fill : v;
}

// @ts-ignore: decorator
@inline function entry(u: f64, sign: f64, norm: f64, lbd: f64): f64 {
  const v = sign * u;
  return v > 0 && norm > 0 ? lbd * (v / norm) : 0;
}

/**
 * The NNDSVD factors from the SVD's U (nDocs x k), s (k) and V (nTerms x k, rows renumbered:
 * row rank[j] is the caller's column j) into W (nDocs x k) and Ht (nTerms x k), each entry
 * thresholded at 1e-6 and its zeros set to `fill`. The squares of the positive and negative
 * parts of column c >= 1 are summed over U's rows in order and over V's rows in the caller's
 * column order. `cols` is scratch of 8k f64.
 */
export function nndsvdFactors(
  U: usize, s: usize, V: usize, rank: usize, nDocs: i32, nTerms: i32, k: i32, fill: f64, cols: usize, W: usize, Ht: usize,
): void {
  const kb = <usize>k << 3;
  const xp = cols, xn = cols + kb, yp = cols + 2 * kb, yn = cols + 3 * kb;
  const sign = cols + 4 * kb, xNorm = cols + 5 * kb, yNorm = cols + 6 * kb, lbd = cols + 7 * kb;
  memory.fill(cols, 0, 8 * kb);
  for (let i = 0; i < nDocs; i++) addSquaredParts(U + (<usize>(i * k) << 3), k, xp, xn);
  for (let j = 0; j < nTerms; j++) addSquaredParts(V + (<usize>(load<i32>(rank + (<usize>j << 2)) * k) << 3), k, yp, yn);
  for (let c = 1; c < k; c++) {
    const q = <usize>c << 3;
    const xpn = Math.sqrt(load<f64>(xp + q)), xnn = Math.sqrt(load<f64>(xn + q));
    const ypn = Math.sqrt(load<f64>(yp + q)), ynn = Math.sqrt(load<f64>(yn + q));
    const mp = xpn * ypn;
    const mn = xnn * ynn;
    const positive = mp > mn;
    store<f64>(sign + q, positive ? 1 : -1);
    store<f64>(xNorm + q, positive ? xpn : xnn);
    store<f64>(yNorm + q, positive ? ypn : ynn);
    store<f64>(lbd + q, Math.sqrt(load<f64>(s + q) * (positive ? mp : mn)));
  }
  const sq0 = Math.sqrt(load<f64>(s));
  factorRows(U, nDocs, k, sq0, sign, xNorm, lbd, fill, W);
  factorRows(V, nTerms, k, sq0, sign, yNorm, lbd, fill, Ht);
}

/** xp[c] += v² where v = row[c] > 0, else xn[c] += v², for c in [1, k). */
// @ts-ignore: decorator
@inline function addSquaredParts(row: usize, k: i32, xp: usize, xn: usize): void {
  for (let c = 1; c < k; c++) {
    const q = <usize>c << 3;
    const v = load<f64>(row + q);
    if (v > 0) store<f64>(xp + q, load<f64>(xp + q) + v * v);
    else store<f64>(xn + q, load<f64>(xn + q) + v * v);
  }
}

/** out[i, 0] = sq0·|A[i, 0]|, out[i, c] = entry(A[i, c]) for c >= 1, thresholded (A, out n x k). */
function factorRows(A: usize, n: i32, k: i32, sq0: f64, sign: usize, norm: usize, lbd: usize, fill: f64, out: usize): void {
  for (let i = 0; i < n; i++) {
    const a = A + (<usize>(i * k) << 3);
    const o = out + (<usize>(i * k) << 3);
    store<f64>(o, thresholded(sq0 * Math.abs(load<f64>(a)), fill));
    for (let c = 1; c < k; c++) {
      const q = <usize>c << 3;
      store<f64>(o + q, thresholded(entry(load<f64>(a + q), load<f64>(sign + q), load<f64>(norm + q), load<f64>(lbd + q)), fill));
    }
  }
}
