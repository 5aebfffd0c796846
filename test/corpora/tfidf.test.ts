/**
 * The TF-IDF matrix of the real corpora against scikit-learn 1.2.1's TfidfVectorizer(stop_words=
 * "english", min_df=2, max_df=0.95). The reference files in reference/ were written by
 * `python3 bench/sklearn_tfidf_dump.py CORPUS --reference test/corpora/reference/tfidf-NAME.json`:
 * shape, nnz, sha256 of the vocabulary and of the CSR structure, 50 whole rows and 100 idf values.
 * (`node bench/compare_tfidf.mjs CORPUS` compares every value.)
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultReadOptions, readCorpus } from "../../src/corpus/index.js";
import type { CsrMatrix } from "../../src/linalg/types.js";
import { defaultTextOptions, fitVectorizer, transformTexts } from "../../src/text/index.js";
import { ensureCorpora, haveSharedCorpora } from "../helpers/corpora.js";

interface Reference {
  corpus: string;
  nDocs: number;
  nTerms: number;
  nnz: number;
  vocabularySha256: string;
  indptrSha256: string;
  indicesSha256: string;
  rows: Array<{ row: number; id: string; columns: number[]; values: number[] }>;
  idf: Array<{ column: number; term: string; idf: number }>;
}

const referenceDir = join(dirname(fileURLToPath(import.meta.url)), "reference");

function loadReference(name: string): Reference {
  return JSON.parse(readFileSync(join(referenceDir, `tfidf-${name}.json`), "utf8")) as Reference;
}

/**
 * The corpus through the project's own reader: label folders and files in sorted order, UTF-8 else
 * Latin-1, ids `label/file`: the semantics of ../shared/bench/sklearn_ref.py, so the whole path from
 * bytes to matrix is compared with scikit-learn's.
 */
async function readLabelledFolder(root: string): Promise<{ ids: string[]; texts: string[] }> {
  const documents = await readCorpus([root], defaultReadOptions, () => {});
  return { ids: documents.map((d) => d.id), texts: documents.map((d) => d.text) };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Little-endian bytes of an Int32Array (the machine is little-endian; checked). */
function int32Bytes(a: Int32Array): Uint8Array {
  expect(new Uint8Array(new Int32Array([1]).buffer)[0]).toBe(1);
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function checkAgainstReference(X: CsrMatrix, vocabulary: string[], idf: number[], ids: string[], ref: Reference): void {
  expect([X.nRows, X.nCols, X.indptr[X.nRows]]).toEqual([ref.nDocs, ref.nTerms, ref.nnz]);
  expect(sha256(new TextEncoder().encode(vocabulary.join("\n")))).toBe(ref.vocabularySha256);
  // The whole sparsity pattern, row by row and column by column, is scikit-learn's.
  expect(sha256(int32Bytes(X.indptr))).toBe(ref.indptrSha256);
  expect(sha256(int32Bytes(X.indices))).toBe(ref.indicesSha256);
  let maxDiff = 0;
  for (const { row, id, columns, values } of ref.rows) {
    expect(ids[row]).toBe(id);
    const start = X.indptr[row];
    expect(Array.from(X.indices.subarray(start, X.indptr[row + 1]))).toEqual(columns);
    values.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(X.data[start + i] - v))));
  }
  expect(maxDiff).toBeLessThanOrEqual(1e-12);
  for (const { column, term, idf: expected } of ref.idf) {
    expect(vocabulary[column]).toBe(term);
    expect(Math.abs(idf[column] - expected)).toBeLessThanOrEqual(1e-12);
  }
  // Every row with a term has unit l2 norm.
  for (let r = 0; r < X.nRows; r++) {
    if (X.indptr[r + 1] === X.indptr[r]) continue;
    let sum = 0;
    for (let p = X.indptr[r]; p < X.indptr[r + 1]; p++) sum += X.data[p] * X.data[p];
    expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
  }
}

describe.skipIf(!haveSharedCorpora())("TF-IDF of the real corpora equals scikit-learn's", () => {
  it("20news-bydate-train: 11,314 x 56,123, 1,193,601 non-zeros, values within 1e-12; transform = fit", async () => {
    const { news20Train } = ensureCorpora();
    const { ids, texts } = await readLabelledFolder(news20Train);
    const { X, state, emptyDocuments } = fitVectorizer(texts, { ...defaultTextOptions });
    expect([X.nRows, X.nCols, X.indptr[X.nRows]]).toEqual([11_314, 56_123, 1_193_601]);
    checkAgainstReference(X, state.vocabulary, state.idf as number[], ids, loadReference("20news-bydate-train"));
    expect(emptyDocuments).toEqual([]);
    const Y = transformTexts(texts, state);
    expect(Array.from(Y.indices)).toEqual(Array.from(X.indices));
    expect(Array.from(Y.data)).toEqual(Array.from(X.data));
  });

  it("bbc: 2,225 x 17,473, 310,493 non-zeros, values within 1e-12", async () => {
    const { bbc } = ensureCorpora();
    const { ids, texts } = await readLabelledFolder(bbc);
    const { X, state } = fitVectorizer(texts, { ...defaultTextOptions });
    expect([X.nRows, X.nCols, X.indptr[X.nRows]]).toEqual([2_225, 17_473, 310_493]);
    checkAgainstReference(X, state.vocabulary, state.idf as number[], ids, loadReference("bbc"));
  });
});
