import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { createRng, type Rng } from "../../../src/linalg/random.js";
import { transposeCsr } from "../../../src/linalg/sparse.js";
import { serialExecutor } from "../../../src/linalg/executor.js";
import { randomizedSvd } from "../../../src/linalg/svd.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { initializeFactors, computeMean, NNDSVD_EPS } from "../../../src/nmf/init.js";
import { buildTermLayout, orderTermsByFrequency } from "../../../src/nmf/layout.js";
import { denseToCsr, expectAllClose, randomSparse } from "../linalg/helpers.js";

interface ReferenceCase {
  shape: [number, number];
  k: number;
  X: number[];
  nndsvd: { W: number[]; H: number[] };
  nndsvda: { W: number[]; H: number[] };
}
const reference = JSON.parse(
  readFileSync(new URL("./reference/sklearn.json", import.meta.url), "utf8"),
) as { sklearn: string; cases: ReferenceCase[] };

describe("NNDSVD against scikit-learn 1.2.1's _initialize_nmf (reference/sklearn.json)", () => {
  it("was recorded with scikit-learn 1.2.1", () => {
    expect(reference.sklearn).toBe("1.2.1");
  });

  it.each(reference.cases)("matches for shape $shape, k = $k", (c) => {
    const [m, n] = c.shape;
    const X = denseToCsr(c.X, m, n);
    const Xt = transposeCsr(X);
    for (const init of ["nndsvd", "nndsvda"] as const) {
      const { W, H } = initializeFactors(X, Xt, c.k, init, createRng(0));
      // The exact SVD is reached by both sides: measured agreement ~1e-14 of the largest entry.
      expectAllClose(W, c[init].W, 1e-10, 1e-12);
      expectAllClose(H, c[init].H, 1e-10, 1e-12);
    }
  });
});

describe("initializeFactors", () => {
  const X = randomSparse(20, 30, 0.3, 5, [3], [7]);
  const Xt = transposeCsr(X);
  const mean = computeMean(X);

  it("nndsvd: non-negative, no entry in (0, 1e-6); nndsvda replaces exactly those zeros by mean(X)", () => {
    const a = initializeFactors(X, Xt, 4, "nndsvd", createRng(1));
    const b = initializeFactors(X, Xt, 4, "nndsvda", createRng(1));
    let zeros = 0;
    for (const [plain, filled] of [
      [a.W, b.W],
      [a.H, b.H],
    ] as const) {
      for (let i = 0; i < plain.length; i++) {
        expect(plain[i] === 0 || plain[i] >= NNDSVD_EPS).toBe(true);
        if (plain[i] === 0) {
          zeros++;
          expect(filled[i]).toBe(mean);
        } else {
          expect(filled[i]).toBe(plain[i]);
        }
      }
    }
    expect(zeros).toBeGreaterThan(0); // the test exercises the fill
  });

  it("nndsvdar replaces the zeros by small values |mean · N(0,1) / 100|", () => {
    const a = initializeFactors(X, Xt, 4, "nndsvd", createRng(1));
    const r = initializeFactors(X, Xt, 4, "nndsvdar", createRng(1));
    let filled = 0;
    for (let i = 0; i < a.H.length; i++) {
      if (a.H[i] === 0) {
        filled++;
        expect(r.H[i]).toBeGreaterThan(0);
        expect(r.H[i]).toBeLessThan((mean * 6) / 100);
      } else {
        expect(r.H[i]).toBe(a.H[i]);
      }
    }
    expect(filled).toBeGreaterThan(0);
  });

  it("random: |N(0,1)| · sqrt(mean/k), H drawn before W, deterministic for a seed", () => {
    const k = 3;
    const { W, H } = initializeFactors(X, Xt, k, "random", createRng(4));
    const rng = createRng(4);
    const scale = Math.sqrt(mean / k);
    for (let i = 0; i < H.length; i++) expect(H[i]).toBe(scale * Math.abs(rng.nextNormal()));
    for (let i = 0; i < W.length; i++) expect(W[i]).toBe(scale * Math.abs(rng.nextNormal()));
  });

  it("throws the user-facing NumericalError when k > min(shape) with an nndsvd init", () => {
    const small = randomSparse(4, 9, 0.6, 2);
    const run = (): unknown => initializeFactors(small, transposeCsr(small), 5, "nndsvda", createRng(0));
    expect(run).toThrow(NumericalError);
    expect(run).toThrow("-k 5 is larger than min(documents, terms) = 4; lower -k or use --init random");
    expect(() => initializeFactors(small, transposeCsr(small), 5, "random", createRng(0))).not.toThrow();
  });
});

/**
 * NNDSVD written out as scikit-learn's `_initialize_nmf` (column by column, thresholding and the
 * fills as separate passes, nndsvdar's draws over W then H row-major) from randomizedSvd's
 * triplets, H in the caller's column order: the oracle of the fused implementation.
 */
function referenceNndsvd(
  X: CsrMatrix,
  Xt: CsrMatrix,
  k: number,
  init: "nndsvd" | "nndsvda" | "nndsvdar",
  rng: Rng,
  columnOrder?: Int32Array,
): { W: Float64Array; H: Float64Array } {
  const nDocs = X.nRows;
  const nTerms = X.nCols;
  const mean = computeMean(X);
  const svd = randomizedSvd(X, Xt, k, rng, columnOrder ? { columnOrder } : {});
  const { U, s } = svd;
  const Vt = new Float64Array(k * nTerms);
  for (let t = 0; t < k; t++) for (let c = 0; c < nTerms; c++) Vt[t * nTerms + (columnOrder ? columnOrder[c] : c)] = svd.Vt[t * nTerms + c];
  const W = new Float64Array(nDocs * k);
  const H = new Float64Array(k * nTerms);
  for (let i = 0; i < nDocs; i++) W[i * k] = Math.sqrt(s[0]) * Math.abs(U[i * k]);
  for (let j = 0; j < nTerms; j++) H[j] = Math.sqrt(s[0]) * Math.abs(Vt[j]);
  for (let c = 1; c < k; c++) {
    let xp = 0, xn = 0, yp = 0, yn = 0;
    for (let i = 0; i < nDocs; i++) {
      const v = U[i * k + c];
      if (v > 0) xp += v * v;
      else xn += v * v;
    }
    for (let j = 0; j < nTerms; j++) {
      const v = Vt[c * nTerms + j];
      if (v > 0) yp += v * v;
      else yn += v * v;
    }
    [xp, xn, yp, yn] = [Math.sqrt(xp), Math.sqrt(xn), Math.sqrt(yp), Math.sqrt(yn)];
    const positive = xp * yp > xn * yn;
    const [xNorm, yNorm, sign] = positive ? [xp, yp, 1] : [xn, yn, -1];
    const lbd = Math.sqrt(s[c] * (positive ? xp * yp : xn * yn));
    for (let i = 0; i < nDocs; i++) {
      const v = sign * U[i * k + c];
      W[i * k + c] = v > 0 && xNorm > 0 ? lbd * (v / xNorm) : 0;
    }
    for (let j = 0; j < nTerms; j++) {
      const v = sign * Vt[c * nTerms + j];
      H[c * nTerms + j] = v > 0 && yNorm > 0 ? lbd * (v / yNorm) : 0;
    }
  }
  for (const A of [W, H]) for (let i = 0; i < A.length; i++) if (A[i] < NNDSVD_EPS) A[i] = 0;
  for (const A of [W, H]) {
    for (let i = 0; i < A.length; i++) {
      if (A[i] !== 0) continue;
      if (init === "nndsvda") A[i] = mean;
      if (init === "nndsvdar") A[i] = Math.abs((mean * rng.nextNormal()) / 100);
    }
  }
  return { W, H };
}

describe("initializeFactors against NNDSVD written out from randomizedSvd's triplets", () => {
  it.each([
    [18, 35],
    [35, 18],
  ])("on %i x %i, with and without renumbered terms: the same bits", (m, n) => {
    const X = randomSparse(m, n, 0.3, 8, [3], [4]);
    const order = orderTermsByFrequency(X);
    const layout = buildTermLayout(X, order, serialExecutor);
    for (const init of ["nndsvd", "nndsvda", "nndsvdar"] as const) {
      const plain = initializeFactors(X, transposeCsr(X), 5, init, createRng(6));
      const plainRef = referenceNndsvd(X, transposeCsr(X), 5, init, createRng(6));
      expect(Array.from(plain.W)).toEqual(Array.from(plainRef.W));
      expect(Array.from(plain.H)).toEqual(Array.from(plainRef.H));
      const renumbered = initializeFactors(layout.X, layout.Xt, 5, init, createRng(6), { columnOrder: order });
      const renumberedRef = referenceNndsvd(layout.X, layout.Xt, 5, init, createRng(6), order);
      expect(Array.from(renumbered.W)).toEqual(Array.from(renumberedRef.W));
      expect(Array.from(renumbered.H)).toEqual(Array.from(renumberedRef.H));
    }
  });
});

describe("initializeFactors on renumbered terms (columnOrder)", () => {
  // More terms than documents and the reverse: the SVD's random sketch lives on either side.
  it.each([
    [15, 40],
    [40, 15],
  ])("on %i x %i gives the caller's H: random draws land on the same entries, the SVD agrees", (m, n) => {
    const X = randomSparse(m, n, 0.3, 21, [2], [5]);
    const order = orderTermsByFrequency(X);
    const layout = buildTermLayout(X, order, serialExecutor);
    const Xt = transposeCsr(X);
    for (const init of ["random", "nndsvd", "nndsvda", "nndsvdar"] as const) {
      const plain = initializeFactors(X, Xt, 4, init, createRng(3));
      const renumbered = initializeFactors(layout.X, layout.Xt, 4, init, createRng(3), { columnOrder: order });
      if (init === "random") {
        expect(Array.from(renumbered.W)).toEqual(Array.from(plain.W));
        expect(Array.from(renumbered.H)).toEqual(Array.from(plain.H));
      } else {
        // Only the order of some sums differs.
        expectAllClose(renumbered.W, plain.W, 1e-9, 1e-12);
        expectAllClose(renumbered.H, plain.H, 1e-9, 1e-12);
      }
    }
  });
});
