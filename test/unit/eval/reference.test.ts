/**
 * Our metrics against the values scikit-learn / scipy computed for the same inputs
 * (test/unit/eval/reference.json, produced by bench/sklearn_metrics_ref.py). Tolerance 1e-9.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  adjustedRandIndex,
  alignTopics,
  computeTopicSimilarity,
  hungarian,
  meanNpmi,
  normalizedMutualInfo,
  npmiCoherence,
  purity,
  topicStability,
} from "../../../src/eval/index.js";
import { csrFromJson, expectClose } from "./support.js";

interface Reference {
  env: { sklearn: string };
  labels: { name: string; labels: number[]; clusters: number[]; nmi: number; ari: number; purity: number | null }[];
  npmi: {
    name: string;
    X: { nRows: number; nCols: number; indptr: number[]; indices: number[]; data: number[] };
    topTerms: number[][];
    vocabulary?: string[];
    topWords?: string[][];
    npmi: number[];
    npmiMean: number;
  }[];
  assignment: { name: string; nRows: number; nCols: number; cost: number[]; total: number }[];
  stability: { name: string; runs: string[][][]; stability: number }[];
  alignment: {
    name: string;
    a: { terms: string[]; k: number; weights: number[] };
    b: { terms: string[]; k: number; weights: number[] };
    similarity: number[];
    pairs: { a: number; b: number; similarity: number }[];
    unmatchedA: number[];
    unmatchedB: number[];
  }[];
}

const ref = JSON.parse(readFileSync(new URL("./reference.json", import.meta.url), "utf8")) as Reference;

describe("reference values (scikit-learn 1.2.1)", () => {
  it("was produced by the pinned scikit-learn and covers every section", () => {
    expect(ref.env.sklearn).toBe("1.2.1");
    expect(ref.labels.length).toBeGreaterThan(20);
    expect(ref.npmi.length).toBe(3);
    expect(ref.assignment.length).toBeGreaterThan(10);
  });

  describe("labels: NMI, ARI, purity", () => {
    for (const c of ref.labels) {
      it(c.name, () => {
        const y = Int32Array.from(c.labels);
        const z = Int32Array.from(c.clusters);
        expectClose(normalizedMutualInfo(y, z), c.nmi, 1e-9, 0, "nmi");
        expectClose(adjustedRandIndex(y, z), c.ari, 1e-9, 0, "ari");
        if (c.purity === null) expect(purity(y, z)).toBe(1);
        else expectClose(purity(y, z), c.purity, 1e-9, 0, "purity");
      });
    }
  });

  describe("NPMI coherence", () => {
    for (const c of ref.npmi) {
      it(c.name, () => {
        const X = csrFromJson(c.X);
        const top = c.topTerms.map((t) => Int32Array.from(t));
        const got = npmiCoherence(X, top);
        expect(got.length).toBe(c.npmi.length);
        got.forEach((v, t) => expectClose(v, c.npmi[t], 1e-9, 0, `topic ${t}`));
        expectClose(meanNpmi(got), c.npmiMean, 1e-9, 0, "mean");
        if (c.vocabulary && c.topWords) {
          // The word lists and the index lists name the same terms.
          c.topWords.forEach((ws, t) => expect(ws.map((w) => c.vocabulary!.indexOf(w))).toEqual(c.topTerms[t]));
        }
      });
    }
  });

  describe("assignment totals (scipy linear_sum_assignment)", () => {
    for (const c of ref.assignment) {
      it(c.name, () => {
        const cost = Float64Array.from(c.cost);
        const assignment = hungarian(cost, c.nRows, c.nCols);
        const cols = [...assignment].filter((j) => j >= 0);
        expect(cols.length).toBe(Math.min(c.nRows, c.nCols));
        expect(new Set(cols).size).toBe(cols.length);
        let total = 0;
        assignment.forEach((j, i) => {
          if (j >= 0) total += cost[i * c.nCols + j];
        });
        expectClose(total, c.total, 1e-9, 1e-12, "total");
      });
    }
  });

  describe("topic stability", () => {
    for (const c of ref.stability) {
      it(c.name, () => expectClose(topicStability(c.runs), c.stability, 1e-9, 0, "stability"));
    }
  });

  describe("topic alignment", () => {
    for (const c of ref.alignment) {
      it(c.name, () => {
        const a = { terms: c.a.terms, k: c.a.k, weights: Float64Array.from(c.a.weights) };
        const b = { terms: c.b.terms, k: c.b.k, weights: Float64Array.from(c.b.weights) };
        const sim = computeTopicSimilarity(a, b);
        sim.forEach((v, p) => expectClose(v, c.similarity[p], 1e-12, 0, `similarity[${p}]`));
        const al = alignTopics(a, b);
        expect(al.pairs.map((p) => [p.a, p.b])).toEqual(c.pairs.map((p) => [p.a, p.b]));
        al.pairs.forEach((p, i) => expectClose(p.similarity, c.pairs[i].similarity, 1e-12, 0, "pair"));
        expect(al.unmatchedA).toEqual(c.unmatchedA);
        expect(al.unmatchedB).toEqual(c.unmatchedB);
      });
    }
  });
});
