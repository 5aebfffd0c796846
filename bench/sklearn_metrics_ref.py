#!/usr/bin/env python3
"""Reference values for src/eval, computed with scikit-learn / scipy / numpy.

Usage (python3 with scikit-learn 1.2.1, scipy, numpy):

    /usr/bin/python3 bench/sklearn_metrics_ref.py > test/unit/eval/reference.json

Prints ONE JSON object on stdout. Every case is generated from a fixed numpy seed, so the output is
the same on every run. Sections:

* "labels": label/cluster vectors (random, correlated, and edge cases: empty, one document, a single
  cluster on one or both sides, all-distinct clusters, negative and gapped values, a 20-class case
  the size of 20 Newsgroups) with
  nmi = sklearn.metrics.normalized_mutual_info_score(average_method="arithmetic"),
  ari = sklearn.metrics.adjusted_rand_score, purity = the `purity` of ../shared/bench/sklearn_ref.py
  (null for the empty case, where it is undefined there).
* "npmi": a CSR matrix (stored explicit zeros included, which B = (X > 0) must ignore), top-term
  index lists and the per-topic NPMI of `npmi_coherence` in ../shared/bench/sklearn_ref.py (imported
  from there, so the definition is the shared one); one case is a small text corpus vectorized by
  TfidfVectorizer with top lists given as words.
* "assignment": cost matrices (square and rectangular, some with many ties) and the optimal total
  of scipy.optimize.linear_sum_assignment.
* "stability": runs of top-word lists and their stability: mean over pairs of runs of
  (total Jaccard of the matching maximizing it, linear_sum_assignment) / max(k_a, k_b).
* "alignment": two topic-word weight matrices with partly shared vocabularies; cosine similarity over
  the shared terms (norms over those terms only), matching maximizing the total similarity, pairs
  sorted by a's topic index (continuous random weights, so the optimum is unique).
"""

import argparse
import importlib.util
import json
import os
import sys

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment


def load_shared_ref(path):
    spec = importlib.util.spec_from_file_location("sklearn_ref", path)
    if spec is None or not os.path.exists(path):
        sys.exit(f"{path}: not found (pass --shared-ref PATH to ../shared/bench/sklearn_ref.py)")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def label_cases(rng, ref):
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    cases = []

    def add(name, y, z):
        y = np.asarray(y, dtype=np.int64)
        z = np.asarray(z, dtype=np.int64)
        if len(y) > 0:
            # sklearn_ref.purity uses bincount: give it the 0-based codes of the labels.
            pur = float(ref.purity(np.unique(y, return_inverse=True)[1], z))
        else:
            pur = None
        cases.append({
            "name": name,
            "labels": y.tolist(),
            "clusters": z.tolist(),
            "nmi": float(normalized_mutual_info_score(y, z, average_method="arithmetic")),
            "ari": float(adjusted_rand_score(y, z)),
            "purity": pur,
        })

    add("empty", [], [])
    add("one document", [3], [7])
    add("both single cluster", [1, 1, 1, 1, 1], [4, 4, 4, 4, 4])
    add("labels single, clusters split", [0, 0, 0, 0, 0, 0], [0, 1, 0, 2, 1, 0])
    add("labels split, clusters single", [0, 1, 2, 0, 1, 2, 2], [5, 5, 5, 5, 5, 5, 5])
    add("all-distinct clusters", [0, 0, 1, 1, 2, 2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7])
    add("all-distinct both", [9, 8, 7, 6, 5], [0, 1, 2, 3, 4])
    add("identical", [0, 1, 1, 2, 2, 2, 0], [0, 1, 1, 2, 2, 2, 0])
    add("relabelled", [0, 1, 1, 2, 2, 2, 0], [7, -3, -3, 100, 100, 100, 7])
    add("sklearn doc -0.5", [0, 0, 1, 1], [0, 1, 0, 1])
    add("two documents apart", [0, 1], [0, 0])
    add("negative and gapped", [-5, 1000, -5, 3, 3, 1000, -5, 3], [2, 2, -1, -1, 40, 40, 2, -1])
    for i, (n, nc, nk) in enumerate([(2, 2, 2), (5, 2, 3), (10, 3, 4), (37, 5, 5), (100, 4, 9),
                                     (500, 10, 7), (1000, 20, 20)]):
        add(f"random {i}", rng.randint(0, nc, n), rng.randint(0, nk, n))
    for i, (n, nc, noise) in enumerate([(50, 3, 0.1), (300, 6, 0.3), (2000, 8, 0.5)]):
        y = rng.randint(0, nc, n)
        z = (y * 3 + 1) % 11  # a relabelling
        flip = rng.rand(n) < noise
        z = np.where(flip, rng.randint(0, 11, n), z)
        add(f"correlated {i}", y, z)
    # The size of 20 Newsgroups train (11,314 documents, 20 labels): the ARI products exceed 2^53.
    n = 11314
    y = rng.randint(0, 20, n)
    z = np.where(rng.rand(n) < 0.4, rng.randint(0, 20, n), (y + 5) % 20)
    add("20ng-sized", y, z)
    return cases


def csr_json(X):
    X = sp.csr_matrix(X)
    return {
        "nRows": int(X.shape[0]), "nCols": int(X.shape[1]),
        "indptr": X.indptr.tolist(), "indices": X.indices.tolist(), "data": X.data.tolist(),
    }


def npmi_cases(rng, ref):
    cases = []

    # 1. Random weighted matrix: column 0 in every document (P(i) = P(i,j) = 1 with itself-like
    # pairs), column 1 in no document, columns 2 and 3 never together, explicit stored zeros.
    n_docs, n_terms = 60, 40
    dense = np.where(rng.rand(n_docs, n_terms) < 0.2, rng.rand(n_docs, n_terms) + 0.01, 0.0)
    dense[:, 0] = rng.rand(n_docs) + 0.5
    dense[:, 1] = 0.0
    dense[:30, 2] = 0.7
    dense[30:, 2] = 0.0
    dense[:30, 3] = 0.0
    dense[30:, 3] = 0.4
    dense[:, 4] = 0.0
    dense[:10, 4] = 1.0  # subset of column 2's documents
    rows, cols, vals = [], [], []
    for r in range(n_docs):
        for c in range(n_terms):
            if dense[r, c] != 0 or (c == 5 and r % 7 == 0):  # explicit zeros in column 5
                rows.append(r)
                cols.append(c)
                vals.append(float(dense[r, c]))
    X = sp.csr_matrix((vals, (rows, cols)), shape=(n_docs, n_terms))
    X.has_sorted_indices = False
    X.sort_indices()
    assert X.nnz == len(vals), "explicit zeros must stay stored"
    top = [
        [0, 2, 3, 4, 6, 7, 8, 9, 10, 11],
        [1, 12, 13, 14, 15, 16, 17, 18, 19, 20],
        [5, 0, 21, 22, 23],
        [2, 3],
        [2, 4],
        [0, 2],
        list(rng.permutation(n_terms)[:10]),
        list(rng.permutation(n_terms)[:10]),
        list(rng.permutation(n_terms)[:7]),
    ]
    top = [np.asarray(t, dtype=np.int64) for t in top]
    B = sp.csc_matrix((X > 0).astype(np.int8))
    cases.append({
        "name": "random weighted 60x40",
        "X": csr_json(X),
        "topTerms": [t.tolist() for t in top],
        "npmi": ref.npmi_coherence(B, top),
    })

    # 2. A sparse random binary matrix with more documents.
    X2 = sp.random(400, 120, density=0.05, format="csr", random_state=rng,
                   data_rvs=lambda k: np.ones(k))
    top2 = [np.asarray(rng.permutation(120)[:10], dtype=np.int64) for _ in range(6)]
    B2 = sp.csc_matrix((X2 > 0).astype(np.int8))
    cases.append({
        "name": "random binary 400x120",
        "X": csr_json(X2),
        "topTerms": [t.tolist() for t in top2],
        "npmi": ref.npmi_coherence(B2, top2),
    })

    # 3. A tiny text corpus through TfidfVectorizer; top lists given as words.
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [
        "the cat sat on the mat with another cat",
        "dogs and cats are pets; a dog chased the cat",
        "stock markets fell as investors sold shares",
        "shares of the bank rose; markets recovered",
        "the dog sat on the mat",
        "investors bought bank shares and stock",
        "a cat and a dog are friendly pets",
        "the market for pets grew",
    ]
    vec = TfidfVectorizer()
    X3 = vec.fit_transform(docs)
    vocab = vec.get_feature_names_out().tolist()
    words = [
        ["cat", "dog", "pets", "mat", "sat"],
        ["shares", "stock", "investors", "bank", "markets"],
        ["cat", "shares", "the", "pets"],
    ]
    top3 = [np.asarray([vocab.index(w) for w in ws], dtype=np.int64) for ws in words]
    B3 = sp.csc_matrix((X3 > 0).astype(np.int8))
    cases.append({
        "name": "tiny text corpus",
        "X": csr_json(X3),
        "vocabulary": vocab,
        "topWords": words,
        "topTerms": [t.tolist() for t in top3],
        "npmi": ref.npmi_coherence(B3, top3),
    })
    for c in cases:
        c["npmiMean"] = float(np.mean(c["npmi"]))
    return cases


def assignment_cases(rng):
    cases = []
    shapes = [(1, 1), (1, 4), (4, 1), (3, 3), (5, 8), (8, 5), (12, 12), (20, 15), (15, 20), (30, 30)]
    for i, (r, c) in enumerate(shapes):
        cost = rng.randn(r, c) * 10
        cases.append((f"gaussian {r}x{c}", cost))
    for i, (r, c) in enumerate([(6, 6), (7, 10), (10, 7), (25, 25)]):
        cost = np.round(rng.randn(r, c) * 1.5)  # small integers: many ties
        cases.append((f"ties {r}x{c}", cost))
    cases.append(("all equal 6x6", np.full((6, 6), 2.5)))
    out = []
    for name, cost in cases:
        ri, ci = linear_sum_assignment(cost)
        out.append({
            "name": name, "nRows": int(cost.shape[0]), "nCols": int(cost.shape[1]),
            "cost": cost.ravel().tolist(), "total": float(cost[ri, ci].sum()),
        })
    return out


def jaccard(a, b):
    a, b = set(a), set(b)
    u = len(a | b)
    return 1.0 if u == 0 else len(a & b) / u


def stability(runs):
    vals = []
    for r in range(len(runs)):
        for s in range(r + 1, len(runs)):
            ka, kb = len(runs[r]), len(runs[s])
            J = np.array([[jaccard(x, y) for y in runs[s]] for x in runs[r]]).reshape(ka, kb)
            ri, ci = linear_sum_assignment(J, maximize=True)
            vals.append(J[ri, ci].sum() / max(ka, kb))
    return float(np.mean(vals))


def stability_cases(rng):
    vocab = [f"w{i:02d}" for i in range(40)]
    cases = []
    for ci, (n_runs, k, n_words, swap) in enumerate([(2, 3, 5, 2), (3, 5, 10, 3), (4, 8, 10, 5), (3, 6, 10, 0)]):
        base = [list(rng.choice(vocab, n_words, replace=False)) for _ in range(k)]
        runs = []
        for _ in range(n_runs):
            run = []
            for topic in base:
                t = list(topic)
                for _ in range(rng.randint(0, swap + 1)):
                    t[rng.randint(0, n_words)] = vocab[rng.randint(0, len(vocab))]
                run.append(t)
            run = [run[i] for i in rng.permutation(k)]  # topic order differs between runs
            runs.append(run)
        cases.append({"name": f"stability {ci}", "runs": runs, "stability": stability(runs)})
    # Unequal numbers of topics: unmatched topics count as 0.
    runs = [[["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]], [["a", "b", "x"], ["g", "h", "i"]]]
    cases.append({"name": "unequal k", "runs": runs, "stability": stability(runs)})
    return cases


def alignment_cases(rng):
    cases = []
    for ci, (ka, kb, na, nb, n_shared) in enumerate([(4, 4, 30, 30, 30), (6, 4, 40, 35, 25),
                                                     (3, 7, 20, 50, 15), (10, 10, 80, 70, 50)]):
        shared = [f"s{i:03d}" for i in range(n_shared)]
        terms_a = shared + [f"a{i:03d}" for i in range(na - n_shared)]
        terms_b = shared + [f"b{i:03d}" for i in range(nb - n_shared)]
        terms_a = [terms_a[i] for i in rng.permutation(na)]
        terms_b = [terms_b[i] for i in rng.permutation(nb)]
        Wa = rng.rand(ka, na) ** 4  # skewed, topic-like
        Wb = rng.rand(kb, nb) ** 4
        ia = [terms_a.index(t) for t in shared]
        ib = [terms_b.index(t) for t in shared]
        A, Bm = Wa[:, ia], Wb[:, ib]
        na_ = np.sqrt((A * A).sum(axis=1))
        nb_ = np.sqrt((Bm * Bm).sum(axis=1))
        S = (A @ Bm.T) / np.outer(na_, nb_)
        ri, cj = linear_sum_assignment(S, maximize=True)
        order = np.argsort(ri)
        pairs = [{"a": int(ri[o]), "b": int(cj[o]), "similarity": float(S[ri[o], cj[o]])} for o in order]
        cases.append({
            "name": f"alignment {ci}",
            "a": {"terms": terms_a, "k": ka, "weights": Wa.ravel().tolist()},
            "b": {"terms": terms_b, "k": kb, "weights": Wb.ravel().tolist()},
            "similarity": S.ravel().tolist(),
            "pairs": pairs,
            "unmatchedA": sorted(set(range(ka)) - set(ri.tolist())),
            "unmatchedB": sorted(set(range(kb)) - set(cj.tolist())),
        })
    return cases


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared-ref", default=os.path.join(here, "..", "..", "shared", "bench", "sklearn_ref.py"))
    ap.add_argument("--seed", type=int, default=20240501)
    a = ap.parse_args()
    ref = load_shared_ref(os.path.normpath(a.shared_ref))

    import scipy
    import sklearn

    rng = np.random.RandomState(a.seed)
    out = {
        "generator": "bench/sklearn_metrics_ref.py",
        "seed": a.seed,
        "env": {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "labels": label_cases(rng, ref),
        "npmi": npmi_cases(rng, ref),
        "assignment": assignment_cases(rng),
        "stability": stability_cases(rng),
        "alignment": alignment_cases(rng),
    }
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
