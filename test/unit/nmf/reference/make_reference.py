#!/usr/bin/env python3
"""Records scikit-learn 1.2.1's NNDSVD initialisation of two small matrices, and fits of 50
iterations from it, for test/unit/nmf/init.test.ts and sklearn-fits.test.ts. Run with the Python
that has scikit-learn 1.2.1:

    /usr/bin/python3 test/unit/nmf/reference/make_reference.py > test/unit/nmf/reference/sklearn.json

The matrices are small enough (min(shape) <= k + 10) that scikit-learn's randomized SVD spans the
whole range and is exact, so any correct implementation must agree to rounding.
"""
import json

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.decomposition import NMF
from sklearn.decomposition._nmf import _initialize_nmf

# Fits recorded per case: fixed 50 iterations (tol so small that no stopping rule fires).
FITS = [
    {"loss": "frobenius", "solver": "cd", "init": "nndsvd", "alpha_W": 0.0, "l1_ratio": 0.0},
    {"loss": "frobenius", "solver": "cd", "init": "nndsvda", "alpha_W": 0.002, "l1_ratio": 0.5},
    {"loss": "frobenius", "solver": "mu", "init": "nndsvda", "alpha_W": 0.002, "l1_ratio": 0.5},
    {"loss": "kl", "solver": "mu", "init": "nndsvda", "alpha_W": 0.0, "l1_ratio": 0.0},
    {"loss": "kl", "solver": "mu", "init": "nndsvda", "alpha_W": 0.001, "l1_ratio": 0.3},
]

cases = []
rng = np.random.RandomState(20240601)
for shape, k in (((8, 12), 4), ((14, 6), 3)):
    X = rng.rand(*shape)
    X[X < 0.35] = 0.0  # sparse-ish, non-negative
    X = np.round(X, 6)  # values exactly representable in JSON
    s = np.linalg.svd(X, compute_uv=False)
    Xs = sp.csr_matrix(X)
    W, H = _initialize_nmf(Xs, k, init="nndsvd", random_state=0)
    Wa, Ha = _initialize_nmf(Xs, k, init="nndsvda", random_state=0)
    fits = []
    for f in FITS:
        model = NMF(n_components=k, init=f["init"], solver=f["solver"],
                    beta_loss="frobenius" if f["loss"] == "frobenius" else "kullback-leibler",
                    tol=1e-300, max_iter=50, alpha_W=f["alpha_W"], alpha_H="same",
                    l1_ratio=f["l1_ratio"], random_state=0)
        Wf = model.fit_transform(Xs)
        fits.append({**f, "n_iter": int(model.n_iter_), "W": Wf.ravel().tolist(),
                     "H": model.components_.ravel().tolist()})
    cases.append({
        "shape": list(shape),
        "k": k,
        "X": X.ravel().tolist(),
        "singular_values": s.tolist(),
        "nndsvd": {"W": W.ravel().tolist(), "H": H.ravel().tolist()},
        "nndsvda": {"W": Wa.ravel().tolist(), "H": Ha.ravel().tolist()},
        "fits": fits,
    })
print(json.dumps({"sklearn": sklearn.__version__, "cases": cases}, indent=1))
