/**
 * The streaming evaluation against the batch functions it replaces: objectives of nmf/objective.ts,
 * canonical order and shares, npmiCoherence, NMI/ARI/purity of argmaxTopics, on batches of a random
 * matrix with empty rows and tied weights.
 */
import { sliceRows } from "../../helpers/matrices.js";
import { describe, expect, it } from "vitest";
import { adjustedRandIndex, argmaxTopics, normalizedMutualInfo, npmiCoherence, purity, topicDiversity } from "../../../src/eval/index.js";
import { topicShares } from "../../../src/fit.js";
import type { CsrMatrix } from "../../../src/linalg/types.js";
import { canonicalTopicOrder, frobeniusObjective, klObjective, permuteTopics, relativeError, topTermIndices } from "../../../src/nmf/index.js";
import { StreamingEvaluation } from "../../../src/online/index.js";
import { expectAllClose, makeTestRandom, randomDense, randomSparse } from "../linalg/helpers.js";


describe("StreamingEvaluation = the batch evaluation", () => {
  const nDocs = 120;
  const nTerms = 40;
  const k = 5;
  const X = randomSparse(nDocs, nTerms, 0.2, 5, [3, 50, 51]);
  const H = randomDense(k * nTerms, 9, 0.4);
  const W = randomDense(nDocs * k, 10, 0.5);
  // Exact ties between topics, and all-zero rows (argmax: the topic placed first).
  W.fill(0, 3 * k, 4 * k);
  W.fill(0, 50 * k, 51 * k);
  W[20 * k + 1] = W[20 * k + 3] = 2;
  W[21 * k + 0] = W[21 * k + 4] = 3;
  const rand = makeTestRandom(2);
  const labels = Int32Array.from({ length: nDocs }, () => Math.floor(rand() * 4));
  const ids = Array.from({ length: nDocs }, (_, d) => `doc${d}`);
  const top = Array.from({ length: k }, (_, t) => topTermIndices(H, t, nTerms, 6));

  for (const loss of ["frobenius", "kl"] as const) {
    it(`${loss}, batches of 17`, () => {
      const evaluation = new StreamingEvaluation(H, nTerms, k, loss, top);
      for (let start = 0; start < nDocs; start += 17) {
        const end = Math.min(nDocs, start + 17);
        evaluation.addBatch(sliceRows(X, start, end), W.slice(start * k, end * k), ids.slice(start, end), labels.slice(start, end));
      }
      const r = evaluation.finish();
      expect(r.nDocs).toBe(nDocs);
      expect(r.nonzeros).toBe(X.indptr[nDocs]);
      const expected = loss === "frobenius" ? frobeniusObjective(X, W, H, k) : klObjective(X, W, H, k);
      expect(r.objective).toBeCloseTo(expected, 9);
      expect(r.relativeError).toBeCloseTo(relativeError(X, W, H, k), 12);
      expect(Array.from(r.order)).toEqual(Array.from(canonicalTopicOrder(W, H, nDocs, nTerms, k)));
      const sorted = permuteTopics(W, H, r.order, nDocs, nTerms, k);
      const shares = topicShares(sorted.W, sorted.H, nDocs, nTerms, k);
      expectAllClose(Array.from(r.order, (t) => r.shares[t]), shares, 1e-14);
      expect(Array.from(r.npmi)).toEqual(npmiCoherence(X, top));
      expect(r.diversity).toBe(topicDiversity(top));
      const topics = argmaxTopics(sorted.W, nDocs, k);
      expect(r.labels).toEqual({
        nmi: normalizedMutualInfo(labels, topics),
        ari: adjustedRandIndex(labels, topics),
        purity: purity(labels, topics),
      });
      expect(r.emptyDocuments).toBe(3);
      expect(r.emptyExamples).toEqual(["doc3", "doc50", "doc51"]);
      for (let t = 0; t < k; t++) {
        let best = 0;
        let bestDoc = -1;
        for (let d = 0; d < nDocs; d++) if (W[d * k + t] > best) [best, bestDoc] = [W[d * k + t], d];
        expect(r.topicMax[t]).toBe(best);
        expect(r.topicMaxId[t]).toBe(ids[bestDoc]);
      }
    });
  }

  it("no label agreement unless every document has a label", () => {
    const evaluation = new StreamingEvaluation(H, nTerms, k, "frobenius", top);
    const partial = labels.slice(0, 10);
    partial[4] = -1;
    evaluation.addBatch(sliceRows(X, 0, 10), W.slice(0, 10 * k), ids.slice(0, 10), partial);
    expect(evaluation.finish().labels).toBeNull();
    const none = new StreamingEvaluation(H, nTerms, k, "frobenius", top);
    none.addBatch(sliceRows(X, 0, 10), W.slice(0, 10 * k), ids.slice(0, 10), null);
    expect(none.finish().labels).toBeNull();
  });
});
