/** The sweep library: sampling, row selection, the recommendation rule, and sweeps of planted corpora. */
import { describe, expect, it } from "vitest";
import { NumericalError, UsageError } from "../../../src/errors.js";
import { npmiCoherence, topicDiversity, topicStability } from "../../../src/eval/index.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { defaultNmfOptions, type NmfOptions } from "../../../src/nmf/index.js";
import {
  recommendTopicCount,
  sampleIndices,
  selectRows,
  sweepMatrix,
  type SweepOptions,
} from "../../../src/sweep.js";
import { csrToDense, denseToCsr, makeTestRandom as makeRng } from "../../helpers/matrices.js";

function plantedCorpus(k: number, docsPerTopic: number, termsPerTopic: number, seed: number, emptyEvery = 0): { X: CsrMatrix; terms: string[] } {
  const rng = makeRng(seed);
  const nDocs = k * docsPerTopic;
  const nTerms = k * termsPerTopic;
  const dense = new Float64Array(nDocs * nTerms);
  for (let d = 0; d < nDocs; d++) {
    if (emptyEvery > 0 && d % emptyEvery === emptyEvery - 1) continue;
    const t = d % k;
    let norm = 0;
    for (let j = 0; j < termsPerTopic; j++) {
      // the first half of a topic's terms in every one of its documents, with a clear weight profile
      if (2 * j < termsPerTopic || rng() < 0.6) {
        const v = (termsPerTopic - j) * (0.8 + 0.4 * rng());
        dense[d * nTerms + t * termsPerTopic + j] = v;
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm);
    if (norm > 0) for (let j = 0; j < nTerms; j++) dense[d * nTerms + j] /= norm;
  }
  const terms = Array.from({ length: nTerms }, (_, j) => `t${Math.floor(j / termsPerTopic)}w${j % termsPerTopic}`);
  return { X: denseToCsr(dense, nDocs, nTerms), terms };
}

function options(overrides: Partial<SweepOptions> & { nmf?: Partial<NmfOptions> } = {}): SweepOptions {
  const { nmf, ...rest } = overrides;
  return {
    ks: [2, 3, 4],
    runs: 3,
    topWords: 5,
    sampleFraction: 0.8,
    ...rest,
    nmf: { ...defaultNmfOptions, nTopics: 1, ...nmf },
  };
}

describe("sampleIndices", () => {
  it("draws round(fraction * n) distinct indices, ascending, the same for the same stream", () => {
    for (const [n, fraction] of [[10, 0.8], [101, 0.5], [7, 0.01], [1000, 0.33]] as const) {
      const rng = makeRng(n);
      const s = sampleIndices(n, fraction, (m) => Math.floor(rng() * m));
      expect(s.length).toBe(Math.max(1, Math.round(fraction * n)));
      expect(new Set(s).size).toBe(s.length);
      for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThan(s[i - 1]);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...s)).toBeLessThan(n);
      const again = makeRng(n);
      expect(sampleIndices(n, fraction, (m) => Math.floor(again() * m))).toEqual(s);
    }
  });

  it("returns every index for fraction 1 and reaches every index over many draws", () => {
    expect(Array.from(sampleIndices(5, 1, () => 0))).toEqual([0, 1, 2, 3, 4]);
    const rng = makeRng(3);
    const hits = new Int32Array(20);
    for (let i = 0; i < 400; i++) for (const j of sampleIndices(20, 0.25, (m) => Math.floor(rng() * m))) hits[j]++;
    // each index is drawn with probability 1/4: about 100 times in 400 draws
    for (const h of hits) expect(h).toBeGreaterThan(60);
    for (const h of hits) expect(h).toBeLessThan(140);
  });
});

describe("selectRows", () => {
  it("equals the dense selection of the rows, empty rows and repeated rows included", () => {
    const { X } = plantedCorpus(3, 4, 5, 1, 4);
    const rows = Int32Array.of(0, 3, 3, 7, 11, 2);
    const S = selectRows(X, rows);
    expect(S.nRows).toBe(rows.length);
    expect(S.nCols).toBe(X.nCols);
    const dense = csrToDense(X);
    const expected = new Float64Array(rows.length * X.nCols);
    rows.forEach((r, i) => expected.set(dense.subarray(r * X.nCols, (r + 1) * X.nCols), i * X.nCols));
    expect(csrToDense(S)).toEqual(expected);
    expect(S.indptr[S.nRows]).toBe(S.indices.length);
  });
});

describe("recommendTopicCount", () => {
  it("picks the highest NPMI x stability", () => {
    const rec = recommendTopicCount([
      { k: 3, npmi: 0.2, stability: 0.9 }, // 0.18
      { k: 4, npmi: 0.3, stability: 0.8 }, // 0.24
      { k: 5, npmi: 0.35, stability: 0.6 }, // 0.21
    ]);
    expect(rec.k).toBe(4);
    expect(rec.rule).toMatch(/NPMI x stability/);
  });

  it("does not depend on the order of the rows, and ties go to the smaller k", () => {
    const rows = [
      { k: 10, npmi: 0.5, stability: 0.5 },
      { k: 6, npmi: 0.25, stability: 1 },
      { k: 8, npmi: 0.2, stability: 0.9 },
    ];
    expect(recommendTopicCount(rows).k).toBe(6);
    expect(recommendTopicCount([...rows].reverse()).k).toBe(6);
    // 0.1 * 3 vs 0.3 * 1 differ only by rounding: still a tie
    expect(recommendTopicCount([{ k: 9, npmi: 0.1, stability: 3 }, { k: 7, npmi: 0.3, stability: 1 }]).k).toBe(7);
  });

  it("skips rows whose score is undefined", () => {
    const rec = recommendTopicCount([
      { k: 2, npmi: NaN, stability: 1 },
      { k: 3, npmi: 0.1, stability: 0.5 },
      { k: 4, npmi: 0.2, stability: NaN },
    ]);
    expect(rec.k).toBe(3);
  });

  it("with one run (no stability) picks the highest NPMI and says so", () => {
    const rec = recommendTopicCount([
      { k: 2, npmi: 0.1, stability: NaN },
      { k: 3, npmi: 0.4, stability: NaN },
      { k: 4, npmi: 0.3, stability: NaN },
    ]);
    expect(rec).toEqual({ k: 3, rule: expect.stringMatching(/highest NPMI \(one run/) });
  });

  it("falls back to the smallest k when nothing is defined", () => {
    expect(recommendTopicCount([{ k: 5, npmi: NaN, stability: NaN }, { k: 2, npmi: NaN, stability: NaN }]).k).toBe(2);
  });

  it("handles negative NPMI: a less incoherent, stable k still wins over an unstable one", () => {
    // products -0.05 and -0.1: -0.05 is the larger
    expect(recommendTopicCount([{ k: 2, npmi: -0.1, stability: 0.5 }, { k: 3, npmi: -0.1, stability: 1 }]).k).toBe(2);
  });
});

describe("sweepMatrix", () => {
  const planted = plantedCorpus(3, 30, 8, 42);

  it("recovers the planted number of topics, with perfectly stable top words at that k", () => {
    const result = sweepMatrix(planted.X, planted.terms, options({ ks: [4, 2, 3, 3] }));
    expect(result.rows.map((r) => r.k)).toEqual([2, 3, 4]);
    const row3 = result.rows[1];
    expect(row3.stability).toBe(1);
    expect(row3.diversity).toBe(1);
    expect(result.rows[2].stability).toBeLessThan(1);
    expect(result.recommended.k).toBe(3);
    // every planted topic is found: each topic's top words come from one block
    for (const run of row3.runs) {
      const blocks = run.topTerms.map((list) => new Set(Array.from(list, (j) => Math.floor(j / 8))));
      for (const b of blocks) expect(b.size).toBe(1);
      expect(new Set(blocks.map((b) => [...b][0]))).toEqual(new Set([0, 1, 2]));
    }
  });

  it("reports per k the means of its runs, with coherence measured on the whole corpus", () => {
    const result = sweepMatrix(planted.X, planted.terms, options({ ks: [2, 4], runs: 2 }));
    for (const row of result.rows) {
      expect(row.runs.map((r) => r.seed)).toEqual([0, 1]);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(row.objective).toBeCloseTo(mean(row.runs.map((r) => r.objective)), 12);
      expect(row.iterations).toBe(mean(row.runs.map((r) => r.iterations)));
      expect(row.converged).toBe(row.runs.filter((r) => r.converged).length);
      for (const run of row.runs) {
        expect(run.documents).toBe(Math.round(0.8 * planted.X.nRows));
        expect(run.topTerms).toHaveLength(row.k);
        const coherence = npmiCoherence(planted.X, run.topTerms);
        expect(run.npmi).toBeCloseTo(mean(coherence), 12);
        expect(run.diversity).toBe(topicDiversity(run.topTerms));
      }
      expect(row.npmi).toBeCloseTo(mean(row.runs.map((r) => r.npmi)), 12);
      const words = row.runs.map((r) => r.topTerms.map((l) => Array.from(l, (j) => planted.terms[j])));
      expect(row.stability).toBe(topicStability(words));
    }
    expect(result.nDocs).toBe(planted.X.nRows);
    expect(result.nonzeros).toBe(planted.X.indptr[planted.X.nRows]);
    expect(result.sampleSize).toBe(Math.round(0.8 * planted.X.nRows));
  });

  it("gives different runs different samples, the same for every k, and the same result twice", () => {
    const a = sweepMatrix(planted.X, planted.terms, options({ ks: [2, 3], runs: 3, nmf: { seed: 7 } }));
    const b = sweepMatrix(planted.X, planted.terms, options({ ks: [2, 3], runs: 3, nmf: { seed: 7 } }));
    expect(a.rows.map((r) => r.runs.map((x) => x.objective))).toEqual(b.rows.map((r) => r.runs.map((x) => x.objective)));
    expect(a.rows[0].runs.map((r) => r.seed)).toEqual([7, 8, 9]);
    // different samples: different objectives between runs
    const objectives = a.rows[0].runs.map((r) => r.objective);
    expect(new Set(objectives).size).toBe(3);
  });

  it("with one run has no stability (NaN) and recommends by NPMI", () => {
    const result = sweepMatrix(planted.X, planted.terms, options({ runs: 1 }));
    for (const row of result.rows) expect(row.stability).toBeNaN();
    expect(result.recommended.rule).toMatch(/one run/);
  });

  it("with one top word has no coherence (NaN)", () => {
    const result = sweepMatrix(planted.X, planted.terms, options({ ks: [3], topWords: 1 }));
    expect(result.rows[0].npmi).toBeNaN();
    expect(result.rows[0].diversity).toBe(1);
  });

  it("with fraction 1 and a deterministic init, every run finds the same topics", () => {
    const result = sweepMatrix(planted.X, planted.terms, options({ ks: [4], sampleFraction: 1 }));
    expect(result.rows[0].stability).toBe(1);
    expect(result.sampleSize).toBe(planted.X.nRows);
  });

  it("refuses bad arguments with a usage error, and a k the samples cannot hold with a numerical error", () => {
    expect(() => sweepMatrix(planted.X, planted.terms, options({ ks: [] }))).toThrow(UsageError);
    expect(() => sweepMatrix(planted.X, planted.terms, options({ ks: [0, 2] }))).toThrow(UsageError);
    expect(() => sweepMatrix(planted.X, planted.terms, options({ runs: 0 }))).toThrow(UsageError);
    expect(() => sweepMatrix(planted.X, planted.terms, options({ sampleFraction: 0 }))).toThrow(/--sample-fraction/);
    expect(() => sweepMatrix(planted.X, planted.terms, options({ sampleFraction: 1.5 }))).toThrow(UsageError);
    // 90 documents, 24 terms: k = 25 exceeds the terms
    expect(() => sweepMatrix(planted.X, planted.terms, options({ ks: [25] }))).toThrow(NumericalError);
    const small = plantedCorpus(2, 10, 20, 1); // 20 documents, 16 in each sample
    expect(() => sweepMatrix(small.X, small.terms, options({ ks: [17] }))).toThrow(/min\(documents in each sample, terms\) = 16/);
  });
});
