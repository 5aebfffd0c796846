/** Spherical k-means++ (`--init kmeans`): against a naive dense implementation, planted clusters, errors. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NumericalError } from "../../../src/errors.js";
import { createRng, type Rng } from "../../../src/linalg/random.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { fitNmf } from "../../../src/nmf/factorize.js";
import { initializeFactors } from "../../../src/nmf/init.js";
import { KMEANS_MAX_ITER, sphericalKMeans } from "../../../src/nmf/kmeans.js";
import { transposeCsr } from "../../../src/linalg/sparse.js";
import { createWorkerPool, type WorkerPool } from "../../../src/parallel/index.js";
import { csrToDense, denseToCsr, expectAllClose, naiveMatMul, naiveTranspose, randomSparse, naiveSolve } from "../linalg/helpers.js";


/** Naive dense spherical k-means++ written from the documented rules, with arrays of arrays. */
function naiveKMeans(dense: Float64Array, n: number, m: number, k: number, rng: Rng): { assignment: number[]; centroids: number[][] } {
  const rowsAll: number[][] = [];
  for (let i = 0; i < n; i++) rowsAll.push(Array.from(dense.subarray(i * m, (i + 1) * m)));
  const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const unit = rowsAll.map((r) => { const q = norm(r); return q > 0 ? r.map((x) => x / q) : r; });
  const live = rowsAll.map((r, i) => (norm(r) > 0 ? i : -1)).filter((i) => i >= 0);
  const dot = (a: number[], b: number[]): number => a.reduce((s, x, j) => s + x * b[j], 0);
  const cents: number[][] = [];
  const taken = new Set<number>();
  let pick = live[rng.nextInt(live.length)];
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      const w = live.map((i) => Math.max(0, 1 - Math.max(...cents.map((ce) => dot(unit[i], ce)))));
      const total = w.reduce((s, x) => s + x, 0);
      pick = -1;
      if (total > 0) {
        const u = rng.nextFloat() * total;
        let acc = 0;
        for (let q = 0; q < live.length; q++) {
          if (w[q] === 0) continue;
          acc += w[q];
          pick = live[q];
          if (acc > u) break;
        }
      }
      if (pick < 0 || taken.has(pick)) pick = live.find((i) => !taken.has(i))!;
    }
    taken.add(pick);
    cents.push(unit[pick].slice());
  }
  const assignment = new Array<number>(n).fill(-1);
  for (let it = 1; it <= KMEANS_MAX_ITER; it++) {
    let changed = false;
    const sim = new Array<number>(n).fill(0);
    for (const i of live) {
      const sims = cents.map((ce) => dot(unit[i], ce));
      const best = sims.indexOf(Math.max(...sims));
      if (assignment[i] !== best) changed = true;
      assignment[i] = best;
      sim[i] = sims[best];
    }
    for (let c = 0; c < k; c++) {
      const size = (t: number): number => live.filter((i) => assignment[i] === t).length;
      if (size(c) > 0) continue;
      const cand = live.filter((i) => size(assignment[i]) > 1);
      let far = cand[0];
      for (const i of cand) if (sim[i] < sim[far]) far = i;
      assignment[far] = c;
      sim[far] = 1;
      changed = true;
    }
    if (!changed) break;
    for (let c = 0; c < k; c++) {
      const s = new Array<number>(m).fill(0);
      for (const i of live) if (assignment[i] === c) for (let j = 0; j < m; j++) s[j] += unit[i][j];
      const q = norm(s);
      cents[c] = q > 0 ? s.map((x) => x / q) : s;
    }
  }
  return { assignment, centroids: cents };
}

/** Three planted groups of documents over disjoint vocabularies (plus light shared noise). */
function plantedClusters(): { X: CsrMatrix; labels: number[] } {
  const n = 30, m = 24;
  const dense = new Float64Array(n * m);
  const labels: number[] = [];
  const noise = createRng(7);
  for (let i = 0; i < n; i++) {
    const g = i % 3;
    labels.push(g);
    for (let j = 0; j < 8; j++) dense[i * m + g * 8 + j] = 0.9 + 0.2 * noise.nextFloat();
    dense[i * m + ((g + 1) % 3) * 8 + (i % 8)] = 0.05;
  }
  return { X: denseToCsr(dense, n, m), labels };
}

describe("sphericalKMeans", () => {
  it("matches a naive dense implementation (same seed: same assignment and centroids)", () => {
    for (const [n, m, k, seed] of [[20, 12, 3, 1], [40, 25, 5, 2], [15, 30, 6, 3], [12, 8, 12, 4]] as const) {
      const X = randomSparse(n, m, 0.3, seed);
      // an empty row must be skipped
      const dense = csrToDense(X);
      dense.fill(0, 0, m);
      const Xe = denseToCsr(dense, n, m);
      const nonEmpty = Array.from({ length: n }, (_, i) => i).filter((i) => dense.subarray(i * m, (i + 1) * m).some((v) => v > 0)).length;
      if (k > nonEmpty) continue;
      const got = sphericalKMeans(Xe, k, createRng(seed));
      const want = naiveKMeans(dense, n, m, k, createRng(seed));
      expect(Array.from(got.assignment)).toEqual(want.assignment);
      expect(got.assignment[0]).toBe(-1);
      expectAllClose(got.centroids, Float64Array.from(want.centroids.flat()), 1e-12, 1e-12);
      expect(new Set(Array.from(got.assignment).filter((a) => a >= 0)).size).toBe(k); // no empty cluster
    }
  });

  it("recovers planted clusters and is deterministic", () => {
    const { X, labels } = plantedClusters();
    for (const seed of [0, 1, 2, 3]) {
      const a = sphericalKMeans(X, 3, createRng(seed));
      const b = sphericalKMeans(X, 3, createRng(seed));
      expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
      expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
      // same partition as the labels, up to renaming
      for (let i = 0; i < labels.length; i++) {
        for (let j = 0; j < labels.length; j++) {
          expect(a.assignment[i] === a.assignment[j]).toBe(labels[i] === labels[j]);
        }
      }
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = 0; j < X.nCols; j++) s += a.centroids[c * X.nCols + j] ** 2;
        expect(s).toBeCloseTo(1, 12);
      }
    }
  });

  it("rejects k above the number of non-empty rows with a NumericalError", () => {
    const X = denseToCsr(Float64Array.from([1, 0, 0, 0, 0, 2]), 3, 2);
    expect(() => sphericalKMeans(X, 3, createRng(0))).toThrow(NumericalError);
    expect(() => sphericalKMeans(X, 3, createRng(0))).toThrow(/non-empty documents \(2\)/);
    expect(() => fitNmf(X, { nTopics: 3, loss: "frobenius", solver: "cd", init: "kmeans", maxIter: 5, tol: 0, seed: 0, alphaW: 0, alphaH: "same", l1Ratio: 0 })).toThrow(NumericalError);
  });
});

describe("initializeFactors kmeans", () => {
  it("H rows are scaled centroids, W the projected least-squares step, H in the caller's column order", () => {
    const { X } = plantedClusters();
    const k = 3;
    const { W, H } = initializeFactors(X, transposeCsr(X), k, "kmeans", createRng(0));
    const km = sphericalKMeans(X, k, createRng(0));
    const m = X.nCols;
    for (let t = 0; t < k; t++) {
      const ratios: number[] = [];
      for (let j = 0; j < m; j++) if (km.centroids[t * m + j] > 0) ratios.push(H[t * m + j] / km.centroids[t * m + j]);
      for (const r of ratios) expect(r).toBeCloseTo(ratios[0], 12);
    }
    // W = max(0, solve(HHᵀ + ridge·I, H·xᵢ)) row by row, by naive Gaussian elimination
    const dense = csrToDense(X);
    const G = naiveMatMul(H, naiveTranspose(H, k, m), k, m, k);
    let trace = 0;
    for (let t = 0; t < k; t++) trace += G[t * k + t];
    for (let t = 0; t < k; t++) G[t * k + t] += (1e-10 * trace) / k;
    const XHt = naiveMatMul(dense, naiveTranspose(H, k, m), X.nRows, m, k);
    for (let i = 0; i < X.nRows; i++) {
      const w = naiveSolve(G, Array.from(XHt.subarray(i * k, (i + 1) * k)), k).map((v) => Math.max(0, v));
      expectAllClose(W.subarray(i * k, (i + 1) * k), Float64Array.from(w), 1e-9, 1e-12);
    }
    // with a column renumbering, H comes back in the caller's order
    const order = Int32Array.from({ length: m }, (_, c) => m - 1 - c);
    const rev = csrToDense(X);
    const perm = new Float64Array(rev.length);
    for (let i = 0; i < X.nRows; i++) for (let c = 0; c < m; c++) perm[i * m + c] = rev[i * m + order[c]];
    const Xp = denseToCsr(perm, X.nRows, m);
    const p = initializeFactors(Xp, transposeCsr(Xp), k, "kmeans", createRng(0), { columnOrder: order });
    expectAllClose(p.H, H, 1e-12, 1e-14);
    expectAllClose(p.W, W, 1e-12, 1e-14);
  });
});

describe("fitNmf --init kmeans", () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = createWorkerPool(2, { minWork: 0, callerWorks: false });
    await pool.whenReady();
  });
  afterAll(() => pool.close());

  it("is deterministic and bit-identical for 1 and 2 threads, with cd and als", () => {
    const X = randomSparse(60, 40, 0.2, 11);
    for (const solver of ["cd", "als"] as const) {
      const options = { nTopics: 4, loss: "frobenius", solver, init: "kmeans", maxIter: 30, tol: 1e-6, seed: 5, alphaW: 0, alphaH: "same", l1Ratio: 0 } as const;
      const a = fitNmf(X, options);
      const b = fitNmf(X, { ...options, executor: pool });
      expect(Array.from(b.W)).toEqual(Array.from(a.W));
      expect(Array.from(b.H)).toEqual(Array.from(a.H));
      expect(b.objective).toBe(a.objective);
      expect(a.relativeError).toBeLessThan(1);
    }
  });
});
