#!/usr/bin/env python3
"""Dump scikit-learn's TF-IDF matrix of a labelled corpus folder, for comparison with nmf-topics.

Usage (run with the Python that has scikit-learn 1.2.x, here /usr/bin/python3):

    python3 bench/sklearn_tfidf_dump.py CORPUS_DIR OUT_DIR        # full matrix, read by compare_tfidf.mjs
    python3 bench/sklearn_tfidf_dump.py CORPUS_DIR OUT.npz        # the same as a numpy archive
    python3 bench/sklearn_tfidf_dump.py CORPUS_DIR --reference OUT.json [--rows 50] [--terms 100]
                                                                  # compact reference for the corpus test
    python3 bench/sklearn_tfidf_dump.py --emit-english-stop-words src/text/english-stop-words.ts

The corpus is read like ../shared/bench/sklearn_ref.py: label folders sorted, files sorted, names
starting with "." and files directly under CORPUS_DIR skipped, each file decoded as UTF-8 and, if that
fails, as Latin-1; document ids are "label/file". The vectorizer is
TfidfVectorizer(stop_words="english", min_df=2, max_df=0.95, dtype=float64), every other option at its
default (the defaults of nmf-topics).

OUT_DIR holds (little-endian binaries, rows' column indices sorted ascending):
    meta.json    {"shape": [n_docs, n_terms], "nnz", "sklearn", "ids": [...], "vocabulary": [...], "idf": [...]}
    indptr.i32   int32, n_docs + 1
    indices.i32  int32, nnz
    data.f64     float64, nnz
The reference JSON holds the shape, nnz, sha256 of the vocabulary joined by "\\n", sha256 of the
indptr/indices/data binaries above, a few whole rows (columns and values) and the idf of a few terms,
chosen with numpy's RandomState(0).
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np


def read_corpus(root):
    labels = sorted(
        d for d in os.listdir(root)
        if not d.startswith(".") and os.path.isdir(os.path.join(root, d))
    )
    if not labels:
        sys.exit(f"{root}: no label folders found (expected one folder per label)")
    docs, ids = [], []
    for lab in labels:
        folder = os.path.join(root, lab)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if name.startswith(".") or not os.path.isfile(path):
                continue
            with open(path, "rb") as fh:
                raw = fh.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
            docs.append(text)
            ids.append(f"{lab}/{name}")
    return docs, ids


def vectorize(docs):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(stop_words="english", min_df=2, max_df=0.95, dtype=np.float64)
    X = vec.fit_transform(docs).tocsr()
    # TfidfVectorizer leaves each row in the order of its internal sparse product; sorting the
    # column indices of a row changes no value.
    X.sort_indices()
    return X, [str(t) for t in vec.get_feature_names_out()], vec.idf_


def sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def write_full(X, vocabulary, idf, ids, out):
    import sklearn

    indptr = X.indptr.astype("<i4")
    indices = X.indices.astype("<i4")
    data = X.data.astype("<f8")
    if out.endswith(".npz"):
        np.savez(out, shape=np.asarray(X.shape), indptr=indptr, indices=indices, data=data,
                 vocabulary=np.asarray(vocabulary), idf=idf, ids=np.asarray(ids))
        return
    os.makedirs(out, exist_ok=True)
    meta = {
        "shape": [int(X.shape[0]), int(X.shape[1])],
        "nnz": int(X.nnz),
        "sklearn": sklearn.__version__,
        "ids": ids,
        "vocabulary": vocabulary,
        "idf": [float(v) for v in idf],
    }
    with open(os.path.join(out, "meta.json"), "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False)
    indptr.tofile(os.path.join(out, "indptr.i32"))
    indices.tofile(os.path.join(out, "indices.i32"))
    data.tofile(os.path.join(out, "data.f64"))


def write_reference(X, vocabulary, idf, ids, corpus, out, n_rows, n_terms):
    import sklearn

    rng = np.random.RandomState(0)
    rows = sorted(int(r) for r in rng.choice(X.shape[0], size=min(n_rows, X.shape[0]), replace=False))
    terms = sorted(int(t) for t in rng.choice(X.shape[1], size=min(n_terms, X.shape[1]), replace=False))
    ref = {
        "corpus": os.path.basename(os.path.normpath(corpus)),
        "generator": "bench/sklearn_tfidf_dump.py --reference",
        "sklearn": sklearn.__version__,
        "vectorizer": 'TfidfVectorizer(stop_words="english", min_df=2, max_df=0.95, dtype=float64)',
        "nDocs": int(X.shape[0]),
        "nTerms": int(X.shape[1]),
        "nnz": int(X.nnz),
        "vocabularySha256": sha256_hex("\n".join(vocabulary).encode("utf-8")),
        "indptrSha256": sha256_hex(X.indptr.astype("<i4").tobytes()),
        "indicesSha256": sha256_hex(X.indices.astype("<i4").tobytes()),
        "dataSha256": sha256_hex(X.data.astype("<f8").tobytes()),
        "rows": [
            {
                "row": r,
                "id": ids[r],
                "columns": [int(c) for c in X.indices[X.indptr[r]:X.indptr[r + 1]]],
                "values": [float(v) for v in X.data[X.indptr[r]:X.indptr[r + 1]]],
            }
            for r in rows
        ],
        "idf": [{"column": t, "term": vocabulary[t], "idf": float(idf[t])} for t in terms],
    }
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(ref, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")


def emit_english_stop_words(out):
    from sklearn.feature_extraction._stop_words import ENGLISH_STOP_WORDS

    words = sorted(ENGLISH_STOP_WORDS)
    if len(words) != 318:
        sys.exit(f"expected 318 English stop words, scikit-learn has {len(words)}")
    import sklearn

    lines = [
        "/**",
        " * scikit-learn's ENGLISH_STOP_WORDS (sklearn/feature_extraction/_stop_words.py, scikit-learn "
        + sklearn.__version__ + "),",
        " * 318 words sorted by code unit; the default stop list for English, so that the TF-IDF matrix",
        " * matches TfidfVectorizer(stop_words=\"english\"). Generated by",
        " * `python3 bench/sklearn_tfidf_dump.py --emit-english-stop-words src/text/english-stop-words.ts`;",
        " * do not edit by hand.",
        " */",
        "export const englishStopWords: readonly string[] = Object.freeze([",
    ]
    for i in range(0, len(words), 8):
        lines.append("  " + " ".join(json.dumps(w) + "," for w in words[i:i + 8]))
    lines.append("]);")
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", nargs="?")
    p.add_argument("out", nargs="?")
    p.add_argument("--reference", metavar="OUT.json")
    p.add_argument("--rows", type=int, default=50)
    p.add_argument("--terms", type=int, default=100)
    p.add_argument("--emit-english-stop-words", metavar="FILE.ts")
    a = p.parse_args()
    if a.emit_english_stop_words:
        emit_english_stop_words(a.emit_english_stop_words)
        return
    if not a.corpus or not (a.out or a.reference):
        p.error("give CORPUS_DIR and OUT (a folder or .npz) or --reference OUT.json")
    docs, ids = read_corpus(a.corpus)
    X, vocabulary, idf = vectorize(docs)
    if a.out:
        write_full(X, vocabulary, idf, ids, a.out)
    if a.reference:
        write_reference(X, vocabulary, idf, ids, a.corpus, a.reference, a.rows, a.terms)
    print(f"{a.corpus}: {X.shape[0]} x {X.shape[1]}, {X.nnz} non-zeros", file=sys.stderr)


if __name__ == "__main__":
    main()
