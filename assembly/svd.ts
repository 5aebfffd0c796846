// WebAssembly port of ml-matrix 6.12.1's SingularValueDecomposition (JAMA's one-sided
// Golub-Kahan-Reinsch SVD, both singular vector sets, no transposition), which the randomized
// SVD (src/linalg/svd.ts) applies once per fit to its sketch-sized square factor. Each statement
// is the library's, in its order, on row-major arrays instead of ml-matrix's Matrix: the same
// floating-point operations (+, -, *, /, sqrt, abs, max; no fused multiply-add), so the same
// bits; test/unit/parallel/kernels.test.ts compares the two. The library's JavaScript is cold
// when it runs (about 0.2 ms warm, 3 to 10 ms cold in a fresh process).

const MIN_VALUE: f64 = 5e-324; // Number.MIN_VALUE
const EPSILON: f64 = 2.220446049250313e-16; // Number.EPSILON

// @ts-ignore: decorator
@inline function at(A: usize, cols: i32, i: i32, j: i32): usize {
  return A + (<usize>(i * cols + j) << 3);
}

// @ts-ignore: decorator
@inline function get(A: usize, cols: i32, i: i32, j: i32): f64 {
  return load<f64>(at(A, cols, i, j));
}

// @ts-ignore: decorator
@inline function set(A: usize, cols: i32, i: i32, j: i32, v: f64): void {
  store<f64>(at(A, cols, i, j), v);
}

// @ts-ignore: decorator
@inline function ld(v: usize, i: i32): f64 {
  return load<f64>(v + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline function st(v: usize, i: i32, x: f64): void {
  store<f64>(v + (<usize>i << 3), x);
}

/** ml-matrix's `hypotenuse(a, b)`: sqrt(a² + b²) without overflow. */
function hypotenuse(a: f64, b: f64): f64 {
  let r: f64 = 0;
  if (Math.abs(a) > Math.abs(b)) {
    r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b != 0) {
    r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/**
 * `new SingularValueDecomposition(A)` of ml-matrix for A m x n with m >= n (row-major at `a`,
 * overwritten): s (min(m + 1, n) f64, the singular values, non-increasing), U (m x min(m, n))
 * and V (n x n), row-major. `e` (n f64) and `work` (m f64) are scratch.
 */
export function svdTall(a: usize, m: i32, n: i32, s: usize, U: usize, V: usize, e: usize, work: usize): void {
  const nu = min(m, n);
  const ni = min(m + 1, n);
  memory.fill(s, 0, <usize>ni << 3);
  memory.fill(U, 0, <usize>(m * nu) << 3);
  memory.fill(V, 0, <usize>(n * n) << 3);
  memory.fill(e, 0, <usize>n << 3);
  memory.fill(work, 0, <usize>m << 3);

  const nct = min(m - 1, n);
  const nrt = max(0, min(n - 2, m));
  const mrc = max(nct, nrt);

  for (let k = 0; k < mrc; k++) {
    if (k < nct) {
      st(s, k, 0);
      for (let i = k; i < m; i++) {
        st(s, k, hypotenuse(ld(s, k), get(a, n, i, k)));
      }
      if (ld(s, k) != 0) {
        if (get(a, n, k, k) < 0) {
          st(s, k, -ld(s, k));
        }
        for (let i = k; i < m; i++) {
          set(a, n, i, k, get(a, n, i, k) / ld(s, k));
        }
        set(a, n, k, k, get(a, n, k, k) + 1);
      }
      st(s, k, -ld(s, k));
    }

    for (let j = k + 1; j < n; j++) {
      if (k < nct && ld(s, k) != 0) {
        let t: f64 = 0;
        for (let i = k; i < m; i++) {
          t += get(a, n, i, k) * get(a, n, i, j);
        }
        t = -t / get(a, n, k, k);
        for (let i = k; i < m; i++) {
          set(a, n, i, j, get(a, n, i, j) + t * get(a, n, i, k));
        }
      }
      st(e, j, get(a, n, k, j));
    }

    if (k < nct) {
      for (let i = k; i < m; i++) {
        set(U, nu, i, k, get(a, n, i, k));
      }
    }

    if (k < nrt) {
      st(e, k, 0);
      for (let i = k + 1; i < n; i++) {
        st(e, k, hypotenuse(ld(e, k), ld(e, i)));
      }
      if (ld(e, k) != 0) {
        if (ld(e, k + 1) < 0) {
          st(e, k, 0 - ld(e, k));
        }
        for (let i = k + 1; i < n; i++) {
          st(e, i, ld(e, i) / ld(e, k));
        }
        st(e, k + 1, ld(e, k + 1) + 1);
      }
      st(e, k, -ld(e, k));
      if (k + 1 < m && ld(e, k) != 0) {
        for (let i = k + 1; i < m; i++) {
          st(work, i, 0);
        }
        for (let i = k + 1; i < m; i++) {
          for (let j = k + 1; j < n; j++) {
            st(work, i, ld(work, i) + ld(e, j) * get(a, n, i, j));
          }
        }
        for (let j = k + 1; j < n; j++) {
          const t = -ld(e, j) / ld(e, k + 1);
          for (let i = k + 1; i < m; i++) {
            set(a, n, i, j, get(a, n, i, j) + t * ld(work, i));
          }
        }
      }
      for (let i = k + 1; i < n; i++) {
        set(V, n, i, k, ld(e, i));
      }
    }
  }

  let p = min(n, m + 1);
  if (nct < n) {
    st(s, nct, get(a, n, nct, nct));
  }
  if (m < p) {
    st(s, p - 1, 0);
  }
  if (nrt + 1 < p) {
    st(e, nrt, get(a, n, nrt, p - 1));
  }
  st(e, p - 1, 0);

  for (let j = nct; j < nu; j++) {
    for (let i = 0; i < m; i++) {
      set(U, nu, i, j, 0);
    }
    set(U, nu, j, j, 1);
  }
  for (let k = nct - 1; k >= 0; k--) {
    if (ld(s, k) != 0) {
      for (let j = k + 1; j < nu; j++) {
        let t: f64 = 0;
        for (let i = k; i < m; i++) {
          t += get(U, nu, i, k) * get(U, nu, i, j);
        }
        t = -t / get(U, nu, k, k);
        for (let i = k; i < m; i++) {
          set(U, nu, i, j, get(U, nu, i, j) + t * get(U, nu, i, k));
        }
      }
      for (let i = k; i < m; i++) {
        set(U, nu, i, k, -get(U, nu, i, k));
      }
      set(U, nu, k, k, 1 + get(U, nu, k, k));
      for (let i = 0; i < k - 1; i++) {
        set(U, nu, i, k, 0);
      }
    } else {
      for (let i = 0; i < m; i++) {
        set(U, nu, i, k, 0);
      }
      set(U, nu, k, k, 1);
    }
  }

  for (let k = n - 1; k >= 0; k--) {
    if (k < nrt && ld(e, k) != 0) {
      for (let j = k + 1; j < n; j++) {
        let t: f64 = 0;
        for (let i = k + 1; i < n; i++) {
          t += get(V, n, i, k) * get(V, n, i, j);
        }
        t = -t / get(V, n, k + 1, k);
        for (let i = k + 1; i < n; i++) {
          set(V, n, i, j, get(V, n, i, j) + t * get(V, n, i, k));
        }
      }
    }
    for (let i = 0; i < n; i++) {
      set(V, n, i, k, 0);
    }
    set(V, n, k, k, 1);
  }

  const pp = p - 1;
  const eps = EPSILON;
  while (p > 0) {
    let k: i32;
    let kase: i32;
    for (k = p - 2; k >= -1; k--) {
      if (k == -1) {
        break;
      }
      const alpha = MIN_VALUE + eps * Math.abs(ld(s, k) + Math.abs(ld(s, k + 1)));
      if (Math.abs(ld(e, k)) <= alpha || isNaN(ld(e, k))) {
        st(e, k, 0);
        break;
      }
    }
    if (k == p - 2) {
      kase = 4;
    } else {
      let ks: i32;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks == k) {
          break;
        }
        const t = (ks != p ? Math.abs(ld(e, ks)) : 0) + (ks != k + 1 ? Math.abs(ld(e, ks - 1)) : 0);
        if (Math.abs(ld(s, ks)) <= eps * t) {
          st(s, ks, 0);
          break;
        }
      }
      if (ks == k) {
        kase = 3;
      } else if (ks == p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }

    k++;

    if (kase == 1) {
      let f = ld(e, p - 2);
      st(e, p - 2, 0);
      for (let j = p - 2; j >= k; j--) {
        let t = hypotenuse(ld(s, j), f);
        const cs = ld(s, j) / t;
        const sn = f / t;
        st(s, j, t);
        if (j != k) {
          f = -sn * ld(e, j - 1);
          st(e, j - 1, cs * ld(e, j - 1));
        }
        for (let i = 0; i < n; i++) {
          t = cs * get(V, n, i, j) + sn * get(V, n, i, p - 1);
          set(V, n, i, p - 1, -sn * get(V, n, i, j) + cs * get(V, n, i, p - 1));
          set(V, n, i, j, t);
        }
      }
    } else if (kase == 2) {
      let f = ld(e, k - 1);
      st(e, k - 1, 0);
      for (let j = k; j < p; j++) {
        let t = hypotenuse(ld(s, j), f);
        const cs = ld(s, j) / t;
        const sn = f / t;
        st(s, j, t);
        f = -sn * ld(e, j);
        st(e, j, cs * ld(e, j));
        for (let i = 0; i < m; i++) {
          t = cs * get(U, nu, i, j) + sn * get(U, nu, i, k - 1);
          set(U, nu, i, k - 1, -sn * get(U, nu, i, j) + cs * get(U, nu, i, k - 1));
          set(U, nu, i, j, t);
        }
      }
    } else if (kase == 3) {
      const scale = max(
        max(max(max(Math.abs(ld(s, p - 1)), Math.abs(ld(s, p - 2))), Math.abs(ld(e, p - 2))), Math.abs(ld(s, k))),
        Math.abs(ld(e, k)),
      );
      const sp = ld(s, p - 1) / scale;
      const spm1 = ld(s, p - 2) / scale;
      const epm1 = ld(e, p - 2) / scale;
      const sk = ld(s, k) / scale;
      const ek = ld(e, k) / scale;
      const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
      const c = sp * epm1 * (sp * epm1);
      let shift: f64 = 0;
      if (b != 0 || c != 0) {
        if (b < 0) {
          shift = 0 - Math.sqrt(b * b + c);
        } else {
          shift = Math.sqrt(b * b + c);
        }
        shift = c / (b + shift);
      }
      let f = (sk + sp) * (sk - sp) + shift;
      let g = sk * ek;
      for (let j = k; j < p - 1; j++) {
        let t = hypotenuse(f, g);
        if (t == 0) t = MIN_VALUE;
        let cs = f / t;
        let sn = g / t;
        if (j != k) {
          st(e, j - 1, t);
        }
        f = cs * ld(s, j) + sn * ld(e, j);
        st(e, j, cs * ld(e, j) - sn * ld(s, j));
        g = sn * ld(s, j + 1);
        st(s, j + 1, cs * ld(s, j + 1));
        for (let i = 0; i < n; i++) {
          t = cs * get(V, n, i, j) + sn * get(V, n, i, j + 1);
          set(V, n, i, j + 1, -sn * get(V, n, i, j) + cs * get(V, n, i, j + 1));
          set(V, n, i, j, t);
        }
        t = hypotenuse(f, g);
        if (t == 0) t = MIN_VALUE;
        cs = f / t;
        sn = g / t;
        st(s, j, t);
        f = cs * ld(e, j) + sn * ld(s, j + 1);
        st(s, j + 1, -sn * ld(e, j) + cs * ld(s, j + 1));
        g = sn * ld(e, j + 1);
        st(e, j + 1, cs * ld(e, j + 1));
        if (j < m - 1) {
          for (let i = 0; i < m; i++) {
            t = cs * get(U, nu, i, j) + sn * get(U, nu, i, j + 1);
            set(U, nu, i, j + 1, -sn * get(U, nu, i, j) + cs * get(U, nu, i, j + 1));
            set(U, nu, i, j, t);
          }
        }
      }
      st(e, p - 2, f);
    } else {
      if (ld(s, k) <= 0) {
        st(s, k, ld(s, k) < 0 ? -ld(s, k) : 0);
        for (let i = 0; i <= pp; i++) {
          set(V, n, i, k, -get(V, n, i, k));
        }
      }
      while (k < pp) {
        if (ld(s, k) >= ld(s, k + 1)) {
          break;
        }
        let t = ld(s, k);
        st(s, k, ld(s, k + 1));
        st(s, k + 1, t);
        if (k < n - 1) {
          for (let i = 0; i < n; i++) {
            t = get(V, n, i, k + 1);
            set(V, n, i, k + 1, get(V, n, i, k));
            set(V, n, i, k, t);
          }
        }
        if (k < m - 1) {
          for (let i = 0; i < m; i++) {
            t = get(U, nu, i, k + 1);
            set(U, nu, i, k + 1, get(U, nu, i, k));
            set(U, nu, i, k, t);
          }
        }
        k++;
      }
      p--;
    }
  }
}
