/**
 * The online solver: one step against a naive dense oracle of scikit-learn's MiniBatchNMF formulas
 * (Frobenius and KL, with penalties), the stopping rule on crafted cost sequences, recovery of planted
 * topics from a stream, determinism, and the pure-module boundary.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sliceRows } from "../../helpers/matrices.js";
import { defaultNmfOptions } from "../../../src/nmf/index.js";
import { describe, expect, it } from "vitest";
import { computeTopicSimilarity, hungarian } from "../../../src/eval/index.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { frobeniusObjective, klObjective } from "../../../src/nmf/index.js";
import {
  computeRho,
  defaultOnlineSettings,
  resumeOnlineNmf,
  solveBatchW,
  startOnlineNmf,
  stepOnlineNmf,
  type OnlineNmfOptions,
  type OnlineNmfState,
} from "../../../src/online/index.js";
import { updateConvergence } from "../../../src/online/minibatch.js";
import { projectRoot } from "../../helpers/corpora.js";
import { csrToDense, denseToCsr, expectAllClose, makeTestRandom, naiveMatMul, naiveTranspose, randomSparse } from "../linalg/helpers.js";

const EPS32 = 1.1920928955078125e-7;

function onlineOptions(overrides: Partial<OnlineNmfOptions> = {}): OnlineNmfOptions {
  return {
    nTopics: 3,
    ...defaultNmfOptions,
    ...defaultOnlineSettings,
    ...overrides,
  };
}


function cloneState(s: OnlineNmfState): OnlineNmfState {
  return { ...s, H: s.H.slice(), numerator: s.numerator.slice(), denominator: s.denominator.slice() };
}

/** The naive dense step: scikit-learn's `_multiplicative_update_h` with A, B, rho and the batch cost. */
function naiveStep(state: OnlineNmfState, X: CsrMatrix, W: Float64Array, o: OnlineNmfOptions) {
  const k = state.nTopics;
  const m = state.nTerms;
  const n = X.nRows;
  const H = state.H;
  const alphaH = o.alphaH === "same" ? o.alphaW : o.alphaH;
  const l1H = n * alphaH * o.l1Ratio;
  const l2H = n * alphaH * (1 - o.l1Ratio);
  const l1W = m * o.alphaW * o.l1Ratio;
  const l2W = m * o.alphaW * (1 - o.l1Ratio);
  const Xd = csrToDense(X);
  const Wt = naiveTranspose(W, n, k);
  let num: Float64Array;
  let den: Float64Array;
  if (o.loss === "frobenius") {
    num = naiveMatMul(Wt, Xd, k, n, m);
    den = naiveMatMul(naiveMatMul(Wt, W, k, n, k), H, k, k, m);
  } else {
    const WH = naiveMatMul(W, H, n, k, m);
    const R = new Float64Array(n * m);
    for (let i = 0; i < n * m; i++) if (Xd[i] !== 0) R[i] = Xd[i] / (WH[i] === 0 ? EPS32 : WH[i]);
    num = naiveMatMul(Wt, R, k, n, m);
    den = new Float64Array(k * m);
    for (let t = 0; t < k; t++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += W[i * k + t];
      for (let j = 0; j < m; j++) den[t * m + j] = s === 0 ? 1 : s;
    }
  }
  // The state keeps A and B term-major (terms x topics).
  const A = naiveTranspose(state.numerator, m, k);
  const B = naiveTranspose(state.denominator, m, k);
  const newH = new Float64Array(k * m);
  for (let i = 0; i < k * m; i++) {
    let d = den[i] + l1H + l2H * H[i];
    if (d === 0) d = EPS32;
    A[i] = state.rho * A[i] + num[i] * H[i];
    B[i] = state.rho * B[i] + d;
    newH[i] = A[i] / B[i];
    if (o.loss === "kl" && newH[i] < 2.220446049250313e-16) newH[i] = 0;
  }
  const loss = o.loss === "frobenius" ? frobeniusObjective(X, W, H, k) : klObjective(X, W, H, k);
  let wSum = 0;
  let wSq = 0;
  for (const w of W) {
    wSum += w;
    wSq += w * w;
  }
  let hSum = 0;
  let hSq = 0;
  for (const h of H) {
    hSum += h;
    hSq += h * h;
  }
  const cost = (loss + l1W * wSum + l1H * hSum + l2W * wSq + l2H * hSq) / n;
  return { A, B, H: newH, cost };
}

describe("one online step = the naive dense formulas", () => {
  const X = randomSparse(40, 25, 0.3, 7, [5], [3]);
  const cases: [string, Partial<OnlineNmfOptions>][] = [
    ["frobenius", {}],
    ["frobenius with L1 and L2 penalties", { alphaW: 0.01, alphaH: 0.02, l1Ratio: 0.4 }],
    ["kl (ccd W solver)", { loss: "kl" }],
    ["kl (mu W solver) with penalties", { loss: "kl", solver: "mu", alphaW: 0.001, l1Ratio: 0.5 }],
    ["frobenius, mu W solver", { solver: "mu" }],
  ];
  for (const [name, overrides] of cases) {
    it(name, () => {
      const o = onlineOptions({ batchSize: 20, ...overrides });
      const state = startOnlineNmf(sliceRows(X, 0, 20), 40, o);
      expect(state.rho).toBe(0.7 ** 0.5);
      // Two steps, so that A and B differ from their starting values.
      for (const [start, end] of [[0, 20], [20, 40]] as const) {
        const batch = sliceRows(X, start, end);
        const before = cloneState(state);
        const W = solveBatchW(batch, before.H, o, o.batchMaxIter).W;
        const expected = naiveStep(before, batch, W, o);
        const result = stepOnlineNmf(state, batch, o);
        expectAllClose(result.W, W, 0, 0);
        expectAllClose(naiveTranspose(state.numerator, 25, 3), expected.A, 1e-12, 1e-300);
        expectAllClose(naiveTranspose(state.denominator, 25, 3), expected.B, 1e-12, 1e-300);
        expectAllClose(state.H, expected.H, 1e-12, 1e-300);
        expect(result.batchCost).toBeCloseTo(expected.cost, 10);
        let diff = 0;
        let norm = 0;
        for (let i = 0; i < state.H.length; i++) {
          diff += (state.H[i] - before.H[i]) ** 2;
          norm += state.H[i] ** 2;
        }
        expect(result.hChange).toBeCloseTo(Math.sqrt(diff / norm), 12);
      }
      expect(state.steps).toBe(2);
    });
  }

  it("resume starts A = H, B = 1 and leaves the given H alone", () => {
    const H = Float64Array.from({ length: 3 * 25 }, (_, i) => 0.1 + (i % 7) / 10);
    const o = onlineOptions({ batchSize: 10 });
    const state = resumeOnlineNmf(H, 25, 40, o);
    expect(Array.from(naiveTranspose(state.numerator, 25, 3))).toEqual(Array.from(H));
    expect(state.denominator.every((b) => b === 1)).toBe(true);
    stepOnlineNmf(state, sliceRows(X, 0, 10), o);
    expect(H[0]).toBe(0.1);
    expect(state.H[0]).not.toBe(0.1);
    expect(computeRho(0.7, 10, 40)).toBe(0.7 ** 0.25);
    expect(computeRho(0.7, 100, 40)).toBe(0.7);
  });
});

describe("the stopping rule (scikit-learn's _minibatch_convergence)", () => {
  function run(costs: number[], changes: number[], o: OnlineNmfOptions, nSamples = 99, batch = 10): number {
    const state = resumeOnlineNmf(new Float64Array(3), 1, nSamples, o);
    for (let s = 0; s < costs.length; s++) {
      state.steps++;
      if (updateConvergence(state, costs[s], changes[s], batch, o)) return state.steps;
    }
    return -1;
  }

  it("ignores the first step, then stops on a small change of H", () => {
    const o = onlineOptions({ tol: 0.01 });
    expect(run([1, 1, 1], [0, 0.5, 0.001], o)).toBe(3);
    expect(run([1, 1], [0.001, 0.5], o)).toBe(-1);
    expect(run([1, 1, 1], [0, 0.5, 0.001], onlineOptions({ tol: 0 }))).toBe(-1);
  });

  it("stops after maxNoImprovement steps without a new minimum of the smoothed cost", () => {
    const o = onlineOptions({ maxNoImprovement: 3 });
    const big = [1, 1, 1, 1, 1, 1, 1];
    // Decreasing costs never stop; a flat cost stops 3 steps after the minimum was set.
    expect(run([5, 4, 3, 2, 1, 0.5, 0.25], big, o)).toBe(-1);
    expect(run([5, 4, 4, 4, 4, 4, 4], big, o)).toBe(5);
    // ewa = ewa·(1 - a) + c·a with a = 10 / 100: one low cost is a new minimum and restarts the count.
    expect(run([5, 4, 4, 4, 0, 4, 4, 4, 4], [1, 1, 1, 1, 1, 1, 1, 1, 1], o)).toBe(8);
  });
});

/** k planted topics with 12 anchor words each plus shared words; documents mostly about one topic. */
function plantedStream(nDocs: number, seed: number): { X: CsrMatrix; H: Float64Array; k: number; m: number } {
  const k = 4;
  const m = 60;
  const rand = makeTestRandom(seed);
  const H = new Float64Array(k * m);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < m; j++) {
      const anchor = j >= t * 12 && j < (t + 1) * 12;
      const shared = j >= 48 && (j + t) % 3 === 0;
      H[t * m + j] = anchor ? 0.5 + rand() : shared ? 0.3 * rand() : 0;
    }
  }
  const W = new Float64Array(nDocs * k);
  for (let d = 0; d < nDocs; d++) {
    const main = Math.floor(rand() * k);
    for (let t = 0; t < k; t++) W[d * k + t] = t === main ? 1 + rand() : rand() < 0.3 ? 0.3 * rand() : 0;
  }
  return { X: denseToCsr(naiveMatMul(W, H, nDocs, k, m), nDocs, m), H, k, m };
}

/** Runs passes over X in batches until the stopping rule fires (at most maxPasses). */
function fitStream(X: CsrMatrix, o: OnlineNmfOptions, maxPasses: number): OnlineNmfState {
  const n = X.nRows;
  const state = startOnlineNmf(sliceRows(X, 0, Math.min(o.batchSize, n)), n, o);
  for (let pass = 0; pass < maxPasses && !state.converged; pass++) {
    for (let start = 0; start < n && !state.converged; start += o.batchSize) {
      stepOnlineNmf(state, sliceRows(X, start, Math.min(n, start + o.batchSize)), o);
    }
  }
  return state;
}

/** Cosine similarity of each planted topic with its matched learned topic (Hungarian on cosine). */
function matchedSimilarities(learned: Float64Array, planted: Float64Array, k: number, m: number): number[] {
  const terms = Array.from({ length: m }, (_, j) => `w${j}`);
  const S = computeTopicSimilarity({ terms, weights: planted, k }, { terms, weights: learned, k });
  const assignment = hungarian(S.map((s) => -s), k, k);
  return Array.from(assignment, (b, a) => S[a * k + b]);
}

describe("recovers planted topics from a stream", () => {
  const { X, H, k, m } = plantedStream(3000, 11);
  for (const loss of ["frobenius", "kl"] as const) {
    it(`${loss}: every planted topic found with cosine > 0.99`, () => {
      const o = onlineOptions({ nTopics: k, loss, batchSize: 250, tol: 1e-5 });
      const state = fitStream(X, o, 30);
      const similarities = matchedSimilarities(state.H, H, k, m);
      expect(Math.min(...similarities)).toBeGreaterThan(0.99);
    });
  }

  it("the same seed gives the same bits; the first batch decides the start", () => {
    const o = onlineOptions({ nTopics: k, batchSize: 500, init: "random", seed: 3 });
    const a = fitStream(X, o, 2);
    const b = fitStream(X, o, 2);
    expect(Array.from(a.H)).toEqual(Array.from(b.H));
    const c = fitStream(X, { ...o, seed: 4 }, 2);
    expect(Array.from(c.H)).not.toEqual(Array.from(a.H));
  });
});

describe("src/online is numerical code", () => {
  it("imports no node:* module, no cli/report/corpus/text, never prints, no Math.random", () => {
    const dir = join(projectRoot, "src", "online");
    for (const name of readdirSync(dir)) {
      const code = readFileSync(join(dir, name), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
      const imports = [...code.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec, `${name} imports ${spec}`).not.toMatch(/^node:|^(chalk|commander|csv-parse|natural|stopword)|\/(cli|report|corpus|text)\//);
      }
      expect(code, name).not.toMatch(/\bconsole\.|\bprocess\.|Math\.random/);
    }
  });
});
