/**
 * NMF on the real corpora against scikit-learn 1.2.1 (../shared/bench/sklearn_ref.py, seed 0,
 * defaults): the objective of every fit must be no worse than scikit-learn's + 0.1 %. The
 * reference numbers (objective, iterations, fit time of scikit-learn's run) are in
 * reference/nmf-<corpus>.json; the matrix comes from our own vectorizer, which equals
 * scikit-learn's TfidfVectorizer (tfidf.test.ts). Every fit is repeated on a 2-thread worker
 * pool, which must give the same bits.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CsrMatrix } from "../../src/linalg/types.js";
import { defaultNmfOptions, fitNmf, frobeniusObjective, klObjective } from "../../src/nmf/index.js";
import { createWorkerPool, type WorkerPool } from "../../src/parallel/index.js";
import { defaultTextOptions, fitVectorizer } from "../../src/text/index.js";
import { ensureCorpora, haveSharedCorpora } from "../helpers/corpora.js";

interface NmfReference {
  corpus: string;
  k: number;
  runs: Array<{ loss: "frobenius" | "kl"; solver: string; objective: number; n_iter: number; fit_s: number }>;
}

const referenceDir = join(dirname(fileURLToPath(import.meta.url)), "reference");
const loadReference = (name: string): NmfReference =>
  JSON.parse(readFileSync(join(referenceDir, `nmf-${name}.json`), "utf8")) as NmfReference;

/** Texts of a labelled corpus folder: label folders sorted, files sorted, hidden names and top-level files skipped, UTF-8 else Latin-1. */
function readCorpusTexts(root: string): string[] {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const isDir = (p: string): boolean => statSync(p).isDirectory();
  const texts: string[] = [];
  for (const label of readdirSync(root).filter((n) => !n.startsWith(".") && isDir(join(root, n))).sort()) {
    for (const file of readdirSync(join(root, label)).sort()) {
      const path = join(root, label, file);
      if (file.startsWith(".") || !statSync(path).isFile()) continue;
      const bytes = readFileSync(path);
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        text = bytes.toString("latin1");
      }
      texts.push(text);
    }
  }
  return texts;
}

describe.skipIf(!haveSharedCorpora())("NMF objectives on the real corpora are no worse than scikit-learn's + 0.1 %", () => {
  let pool: WorkerPool;
  beforeAll(async () => {
    pool = createWorkerPool(2);
    await pool.whenReady();
  });
  afterAll(() => pool.close());

  const corpora = [
    { name: "20news-bydate-train", root: (): string => ensureCorpora().news20Train },
    { name: "bbc", root: (): string => ensureCorpora().bbc },
  ];
  describe.each(corpora)("$name", ({ name, root }) => {
    const reference = loadReference(name);
    let X: CsrMatrix;
    beforeAll(() => {
      X = fitVectorizer(readCorpusTexts(root()), { ...defaultTextOptions }).X;
    });

    it.each(reference.runs)(`k = ${reference.k}, $loss: objective <= scikit-learn's ($objective, $solver) · 1.001; 2 threads give the same bits`, (run) => {
      const k = reference.k;
      const options = { ...defaultNmfOptions, nTopics: k, loss: run.loss };
      const result = fitNmf(X, options);
      expect(result.converged).toBe(true);
      expect(result.objective).toBeLessThanOrEqual(run.objective * 1.001);
      const recomputed = run.loss === "frobenius" ? frobeniusObjective(X, result.W, result.H, k) : klObjective(X, result.W, result.H, k);
      expect(result.objective).toBeCloseTo(recomputed, 6);
      // The worker pool (needs the built dist/parallel/worker.js) changes no bit of the fit.
      const parallel = fitNmf(X, { ...options, executor: pool });
      expect(parallel.iterations).toBe(result.iterations);
      expect(Object.is(parallel.objective, result.objective)).toBe(true);
      expect(Buffer.from(parallel.W.buffer).equals(Buffer.from(result.W.buffer))).toBe(true);
      expect(Buffer.from(parallel.H.buffer).equals(Buffer.from(result.H.buffer))).toBe(true);
    });
  });
});
